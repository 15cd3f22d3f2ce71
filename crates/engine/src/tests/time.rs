//! Unit tests of `time` (kept out of the module file so it reads as the product code).

use super::*;

#[test]
fn formats_known_instants() {
    assert_eq!(mysql_datetime(0, 0), "1970-01-01 00:00:00");
    assert_eq!(mysql_datetime(1_795_500_000, 0), "2026-11-24 06:00:00");
    assert_eq!(mysql_datetime(951_782_400, 0), "2000-02-29 00:00:00");
    assert_eq!(mysql_datetime(1_795_500_000, 3600 * 2), "2026-11-24 08:00:00");
    assert_eq!(mysql_datetime(-1, 0), "1969-12-31 23:59:59");
}

#[test]
fn digits_written_by_hand_read_as_format_writes_them() {
    // Instants sampled every 37 days and an hour from a year before 0000-01-01 to a year past
    // 9999-12-31 (so the years a host's nonsense time gives too), each also 59 s, an hour less
    // a second and a day less a second later.
    let reference = |t: i64| {
        let (y, m, d) = civil_from_days(t.div_euclid(86_400));
        let s = t.rem_euclid(86_400);
        format!("{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02}", s / 3600, s % 3600 / 60, s % 60)
    };
    let mut t = -62_167_219_200 - 86_400 * 400;
    while t < 253_402_300_800 + 86_400 * 400 {
        for instant in [t, t + 59, t + 3599, t + 86_399] {
            assert_eq!(mysql_datetime(instant, 0), reference(instant), "{instant}");
        }
        t += 86_400 * 37 + 3_661;
    }
    assert_eq!(mysql_datetime(i64::MIN, 0), reference(i64::MIN));
    assert_eq!(mysql_datetime(i64::MAX, 0), reference(i64::MAX));
}

#[test]
fn periods_start_at_the_sites_local_midnight() {
    // 2026-11-24 06:00:00 UTC.
    let now = 1_795_500_000;
    assert_eq!(mysql_datetime(start_of_day(now, 0), 0), "2026-11-24 00:00:00");
    // UTC+10: it is 16:00 on the 24th there; the day began at 14:00 UTC on the 23rd.
    assert_eq!(mysql_datetime(start_of_day(now, 36_000), 0), "2026-11-23 14:00:00");
    // UTC-8: 22:00 on the 23rd there.
    assert_eq!(mysql_datetime(start_of_day(now, -28_800), 0), "2026-11-23 08:00:00");
    assert_eq!(mysql_datetime(start_of_month(now, 0), 0), "2026-11-01 00:00:00");
    assert_eq!(mysql_datetime(start_of_month(now, 36_000), 0), "2026-10-31 14:00:00");
    // Leap day, and the first of March right after it.
    assert_eq!(mysql_datetime(start_of_month(951_782_400, 0), 0), "2000-02-01 00:00:00");
    assert_eq!(mysql_datetime(start_of_month(951_868_800, 0), 0), "2000-03-01 00:00:00");
    for days in [-800_000, -1, 0, 59, 10_957, 20_000, 2_000_000] {
        let (y, m, d) = civil_from_days(days);
        assert_eq!(days_from_civil(y, m, d), days);
    }
}

#[test]
fn extreme_times_and_offsets_never_trap() {
    for (now, offset) in [(i64::MIN, i64::MAX), (i64::MAX, i64::MIN), (i64::MIN, 1), (0, i64::MIN), (i64::MAX, i64::MAX)] {
        let _ = (start_of_day(now, offset), start_of_month(now, offset), mysql_datetime(now, offset));
    }
}
