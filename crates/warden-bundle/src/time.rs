//! Unix seconds as RFC 3339 text (UTC), for messages an administrator reads. Only formatting: the
//! crate never reads a clock, and bundles store times as unix seconds.

/// `secs` as `YYYY-MM-DDTHH:MM:SSZ` (UTC).
pub fn format_time(secs: u64) -> String {
    let days = secs / 86_400;
    let rest = secs % 86_400;
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

/// Year, month, day of a count of days since 1970-01-01 (Howard Hinnant's `civil_from_days`, for the
/// non-negative days this crate has).
fn civil_from_days(days: u64) -> (u64, u64, u64) {
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + u64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::format_time;

    #[test]
    fn known_dates() {
        for (secs, text) in [
            (0, "1970-01-01T00:00:00Z"),
            (951_782_400, "2000-02-29T00:00:00Z"),
            (1_767_225_599, "2025-12-31T23:59:59Z"),
            (1_767_225_600, "2026-01-01T00:00:00Z"),
            (4_102_444_800, "2100-01-01T00:00:00Z"),
            (crate::MAX_NUMBER, "285428751-11-12T07:36:31Z"),
        ] {
            assert_eq!(format_time(secs), text, "{secs}");
        }
    }
}
