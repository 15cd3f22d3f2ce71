//! Unit tests of `money` (kept out of the module file so it reads as the product code).

use super::*;

#[test]
fn parses_decimal_text_exactly() {
    assert_eq!(Micros::parse("0.002"), Some(Micros(2_000)));
    assert_eq!(Micros::parse("12"), Some(Micros(12_000_000)));
    assert_eq!(Micros::parse(" 3.000000 "), Some(Micros(3_000_000)));
    assert_eq!(Micros::parse("-1.5"), Some(Micros(-1_500_000)));
    assert_eq!(Micros::parse(".5"), Some(Micros(500_000)));
    assert_eq!(Micros::parse("1e3"), None);
    assert_eq!(Micros::parse("0.0000001"), None);
    assert_eq!(Micros::parse(""), None);
    assert_eq!(Micros::parse("abc"), None);
}

#[test]
fn rounds_charges_up() {
    assert_eq!(Micros(1).ceil_units(), 1);
    assert_eq!(Micros(2_000_000).ceil_units(), 2);
    assert_eq!(Micros(2_000_001).ceil_units(), 3);
    assert_eq!(Micros(0).ceil_units(), 0);
    assert_eq!(Micros(-1_500_000).ceil_units(), -1);
}

#[test]
fn prints_six_decimals() {
    assert_eq!(Micros(2_000).to_decimal_string(), "0.002000");
    assert_eq!(Micros(-1_500_000).to_decimal_string(), "-1.500000");
}
