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

#[test]
fn scientific_notation_is_read_exactly_or_not_at_all() {
    assert_eq!(parse_exact("1.5e-05", 12), Some(15_000_000));
    assert_eq!(parse_exact("0.000123", 12), Some(123_000_000));
    assert_eq!(parse_exact("2E3", 0), Some(2000));
    assert_eq!(parse_exact("-1.25e-1", 2), None, "needs three decimals");
    assert_eq!(parse_exact("-1.25e-1", 3), Some(-125));
    assert_eq!(parse_exact("1e-13", 12), None);
    assert_eq!(parse_exact("e5", 12), None);
    assert_eq!(parse_exact("1.5e", 12), None);
}
