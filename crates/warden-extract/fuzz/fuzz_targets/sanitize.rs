//! Any bytes through `sanitize` with a few values to replace: text, ZIP containers and whatever the
//! fuzzer makes of the seeds (tests/files/).
#![no_main]

use libfuzzer_sys::fuzz_target;
use warden_extract::{Limits, sanitize};

fuzz_target!(|data: &[u8]| {
    let limits = Limits {
        max_file_bytes: 1 << 20,
        max_expanded_bytes: 8 << 20,
        ..Limits::default()
    };
    let values = [
        ("a".to_owned(), "[X]".to_owned()),
        ("@".to_owned(), "".to_owned()),
        ("ab".to_owned(), "<&>".to_owned()),
    ];
    let _ = sanitize(data, "fuzz.txt", &limits, &values);
});
