//! Tests of the document validators (PEM, JWT, MRZ, VIN), kept apart to keep `document.rs` short.

use super::*;

fn run(f: fn(&str) -> bool, table: &[(&str, bool)]) {
    for &(v, ok) in table {
        assert_eq!(f(v), ok, "{v}");
    }
}

const KEY: &str = "-----BEGIN RSA PRIVATE KEY-----\nMIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9Cnzj4p4WGeKLs1Pt8Qu\nKUpRKfFLfRYC9AIKjbJTWit+CqvjWYzvQwECAwEAAQ==\n-----END RSA PRIVATE KEY-----";

#[test]
fn pem_block_table() {
    run(
        pem_block,
        &[
            ("-----BEGIN RSA PRIVATE KEY-----", true),
            ("-----BEGIN OPENSSH PRIVATE KEY-----\n", true),
            ("-----BEGIN PGP PRIVATE KEY BLOCK-----", true),
            ("-----BEGIN CERTIFICATE-----\r\nMIIB", true),
            ("-----BEGIN X509 CRL-----", true),
            (KEY, true),
            (
                "-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END EC PRIVATE KEY-----",
                false,
            ),
            ("-----BEGIN -----", false),
            ("-----BEGIN  RSA KEY-----", false),
            ("-----BEGIN RSA PRIVATE KEY----", false),
            ("----BEGIN RSA PRIVATE KEY-----", false),
            ("-----BEGIN RSA PRIVATE KEY-----trailing", false),
            ("-----END RSA PRIVATE KEY-----", false),
            ("-----BEGIN RSA--KEY-----", false),
        ],
    );
}

#[test]
fn pem_block_end_spans() {
    let text = format!("key: {KEY} tail");
    let begin = text.find("-----BEGIN").unwrap_or(0);
    let end = pem_block_end(&text, begin);
    assert_eq!(end, Some(text.len() - " tail".len()));
    // END label must match.
    let wrong = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END PRIVATE KEY-----";
    assert_eq!(pem_block_end(wrong, 0), None);
    // A second BEGIN before the END: the first block has no end.
    let two = "-----BEGIN CERTIFICATE-----\nAAAA\n-----BEGIN CERTIFICATE-----\nBBBB\n-----END CERTIFICATE-----";
    assert_eq!(pem_block_end(two, 0), None);
    let second = two.rfind("-----BEGIN").unwrap_or(0);
    assert_eq!(pem_block_end(two, second), Some(two.len()));
    // No END at all, an offset that is not a BEGIN line, offsets past the end or inside a character.
    assert_eq!(pem_block_end("-----BEGIN CERTIFICATE-----\nAAAA", 0), None);
    assert_eq!(pem_block_end(&text, 0), None);
    assert_eq!(pem_block_end(&text, text.len()), None);
    assert_eq!(pem_block_end(&text, text.len() + 10), None);
    let accented = "é-----BEGIN A-----\n-----END A-----";
    assert_eq!(pem_block_end(accented, 1), None);
    assert_eq!(pem_block_end(accented, 2), Some(accented.len()));
    // The END line must start within 64 KiB of the BEGIN line.
    let far = format!(
        "-----BEGIN A-----\n{}\n-----END A-----",
        "A".repeat(PEM_WINDOW)
    );
    assert_eq!(pem_block_end(&far, 0), None);
    let near = format!(
        "-----BEGIN A-----\n{}\n-----END A-----",
        "A".repeat(PEM_WINDOW - 100)
    );
    assert_eq!(pem_block_end(&near, 0), Some(near.len()));
}

#[test]
fn jwt_table() {
    run(
        jwt,
        &[
            // jwt.io sample token (HS256).
            (
                "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
                true,
            ),
            // RFC 7519 section 3.1 example.
            (
                "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk",
                true,
            ),
            ("eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.", true), // unsecured JWT
            ("eyJ0eXAiOiJKV1QifQ.eyJzdWIiOiIxIn0.c2ln", false), // header without alg
            ("eyJhbGciOjI1Nn0.eyJzdWIiOiIxIn0.c2ln", false), // alg not a string
            ("eyJhbGciOiJub25lIn0.WzFd.c2ln", false),       // payload is an array
            ("eyJhbGciOiJub25lIn0.bm90IGpzb24.c2ln", false), // payload not JSON
            ("eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0", false), // two segments
            ("eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.c2ln.c2ln", false),
            ("eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.c2l*", false),
            ("e.eyJzdWIiOiIxIn0.c2ln", false),
            ("..", false),
        ],
    );
}

#[test]
fn base64url() {
    assert_eq!(base64url_decode(b"TWFu"), Some(b"Man".to_vec()));
    assert_eq!(base64url_decode(b"TWE"), Some(b"Ma".to_vec()));
    assert_eq!(base64url_decode(b"TWE="), Some(b"Ma".to_vec()));
    assert_eq!(base64url_decode(b"TQ=="), Some(b"M".to_vec()));
    assert_eq!(base64url_decode(b"T"), None);
    assert_eq!(base64url_decode(b"TW=E"), None);
    assert_eq!(base64url_decode(b"TW+/"), None);
}

#[test]
fn mrz_table() {
    run(
        mrz,
        &[
            // ICAO Doc 9303 specimens (Part 4 TD3, Part 5 TD1, Part 6 TD2).
            ("L898902C36UTO7408122F1204159ZE184226B<<<<<10", true),
            (
                "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10",
                true,
            ),
            ("I<UTOD231458907<<<<<<<<<<<<<<<", true),
            ("7408122F1204159UTO<<<<<<<<<<<6", true),
            (
                "I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\nERIKSSON<<ANNA<MARIA<<<<<<<<<<",
                true,
            ),
            (
                "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\nD231458907UTO7408122F1204159<<<<<<<6",
                true,
            ),
            ("D231458907UTO7408122F1204159<<<<<<<6", true),
            // TD1 with a document number longer than 9 characters (ICAO 9303 Part 5, 4.2.4).
            ("I<UTOD23145890<7349<<<<<<<<<<<", true),
            ("L898902C36UTO7408122F1204159ZE184226B<<<<<11", false), // composite
            ("L898902C37UTO7408122F1204159ZE184226B<<<<<10", false), // document number
            ("L898902C36UTO7408123F1204159ZE184226B<<<<<10", false), // birth date
            ("L898902C36UTO7408122F1204158ZE184226B<<<<<10", false), // expiry
            ("L898902C36UTO7413122F1204159ZE184226B<<<<<10", false), // month 13
            ("l898902c36uto7408122f1204159ze184226b<<<<<10", false),
            ("I<UTOD231458908<<<<<<<<<<<<<<<", false),
            (
                "I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<5",
                false,
            ),
            ("L898902C36UTO7408122F1204159ZE184226B<<<<<1", false),
        ],
    );
}

#[test]
fn vin_table() {
    run(
        vin,
        &[
            ("1M8GDM9AXKP042788", true), // Wikipedia check-digit example
            ("1HGCM82633A004352", true),
            ("11111111111111111", false), // valid check digit, but a filler value
            ("1M8GDM9AXKP042789", false),
            ("1M8GDM9A1KP042788", false),
            ("1M8GDM9AXKP04278", false),
            ("1M8GDM9AXKP04278O", false), // O is not allowed
            ("1M8GDM9AXKP0427I8", false),
            ("1m8gdm9axkp042788", true),
        ],
    );
}
