//! Unit tests of `accounting` (kept out of the module file so it reads as the product code).

use super::*;

#[test]
fn debit_takes_what_the_balance_has() {
    assert_eq!(debit(Some("100"), 30), Debit { before: 100, deducted: 30, after: 70 });
    assert_eq!(debit(Some("10"), 30), Debit { before: 10, deducted: 10, after: 0 });
    assert_eq!(debit(Some("12.9"), 5), Debit { before: 12, deducted: 5, after: 7 });
    assert_eq!(debit(Some("-4"), 5), Debit { before: 0, deducted: 0, after: 0 });
    assert_eq!(debit(Some("lots"), 5), Debit { before: 0, deducted: 0, after: 0 });
    assert_eq!(debit(None, 5), Debit { before: 0, deducted: 0, after: 0 });
}
