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
