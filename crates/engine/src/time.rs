//! Calendar arithmetic for timestamps the host passes in (the engine has no clock).

/// `YYYY-MM-DD HH:MM:SS` for a Unix time plus an offset in seconds (MySQL DATETIME text).
pub fn mysql_datetime(unix: i64, offset: i64) -> String {
    let t = unix.saturating_add(offset);
    let days = t.div_euclid(86_400);
    let secs = t.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    let (hour, minute, second) = (secs / 3600, secs % 3600 / 60, secs % 60);
    if !(0..=9999).contains(&y) {
        // A host's nonsense time: written as `format!` writes it (a sign, more digits).
        return format!("{y:04}-{m:02}-{d:02} {hour:02}:{minute:02}:{second:02}");
    }
    // Every ledger and log row carries one or two of these, and `format!`'s machinery cost ≈2 %
    // of a decision's instructions (callgrind, native); digits by hand cost next to nothing.
    let mut text = String::with_capacity(19);
    let fields = [y / 100, y % 100, i64::from(m), i64::from(d), hour, minute, second];
    for (before, n) in ["", "", "-", "-", " ", ":", ":"].into_iter().zip(fields) {
        text.push_str(before);
        text.push(char::from(b'0' + (n / 10) as u8));
        text.push(char::from(b'0' + (n % 10) as u8));
    }
    text
}

/// The Unix time at which the site's current day (or month) began: local midnight, with the
/// site's UTC offset in seconds.
pub fn start_of_day(unix: i64, offset: i64) -> i64 {
    let local = unix.saturating_add(offset);
    // Saturating: a host's nonsense time or offset gives a nonsense read, never a trap.
    local.div_euclid(86_400).saturating_mul(86_400).saturating_sub(offset)
}

/// See `start_of_day`: local midnight of the 1st of the current month.
pub fn start_of_month(unix: i64, offset: i64) -> i64 {
    let local = unix.saturating_add(offset);
    let (y, m, _) = civil_from_days(local.div_euclid(86_400));
    days_from_civil(y, m, 1).saturating_mul(86_400).saturating_sub(offset)
}

/// (year, month, day) → days since 1970-01-01 (Howard Hinnant's `days_from_civil`).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Days since 1970-01-01 → (year, month, day) in the proleptic Gregorian calendar
/// (Howard Hinnant's `civil_from_days`).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
#[path = "tests/time.rs"]
mod tests;
