//! Unit tests of `caps`: which caps bound a caller, what is read, and when a request is refused.

use super::*;
use serde_json::json;

fn cap(caller: &str, period: CapPeriod, unit: CapUnit, limit: &str) -> Cap {
    Cap { caller: caller.into(), period, unit, limit: limit.into() }
}

fn seo() -> Party {
    Party { kind: "plugin".into(), basename: "seo-helper/seo-helper.php".into(), name: "SEO Helper".into() }
}

fn spent(values: &[serde_json::Value]) -> Vec<Locked> {
    values.iter().enumerate().map(|(i, v)| Locked { id: format!("cap-{i}"), found: true, value: v.clone() }).collect()
}

#[test]
fn a_callers_own_caps_and_the_site_wide_ones_apply() {
    let caps = [
        cap("seo-helper/seo-helper.php", CapPeriod::Day, CapUnit::Credits, "100"),
        cap("other/other.php", CapPeriod::Day, CapUnit::Credits, "1"),
        cap("", CapPeriod::Month, CapUnit::Usd, "5"),
    ];
    let seo = seo();
    assert_eq!(applicable(&caps, Some(&seo)), [caps[0].clone(), caps[2].clone()]);
    assert_eq!(applicable(&caps, None), [caps[2].clone()], "WordPress itself: only the site-wide cap");
}

#[test]
fn each_cap_reads_the_spend_of_its_period_in_the_sites_time_zone() {
    let caps = [cap("seo-helper/seo-helper.php", CapPeriod::Day, CapUnit::Credits, "100"), cap("", CapPeriod::Month, CapUnit::Usd, "5")];
    let context = Context { now: 1_795_500_000, ..Context::default() };
    let reads = serde_json::to_value(spend_reads(&caps, &context, 36_000)).unwrap();
    assert_eq!(
        reads,
        json!([
            { "lock": "spend", "id": "cap-0", "caller": "seo-helper/seo-helper.php", "since": "2026-11-23 14:00:00", "unit": "credits" },
            { "lock": "spend", "id": "cap-1", "caller": null, "since": "2026-10-31 14:00:00", "unit": "usd" }
        ])
    );
}

#[test]
fn a_request_starts_only_below_every_cap() {
    let seo = seo();
    let caps = [cap("seo-helper/seo-helper.php", CapPeriod::Day, CapUnit::Credits, "100"), cap("", CapPeriod::Month, CapUnit::Usd, "5")];
    assert_eq!(check(&caps, Some(&seo), &spent(&[json!("99"), json!("4.999999999999")])), Ok(()));

    let failure = check(&caps, Some(&seo), &spent(&[json!("100"), json!("0")])).unwrap_err();
    assert_eq!((failure.status, failure.reason), (429, Reason::CapReached));
    assert_eq!(
        failure.message,
        "The plugin \"SEO Helper\" has used 100 credits of its daily cap of 100 credits for AI requests on this site, so this request was not sent. An administrator can raise or remove the cap under AI Puffer > Pricing rules > Spending caps."
    );

    let failure = check(&caps, Some(&seo), &spent(&[json!("0"), json!("5.0000001")])).unwrap_err();
    assert_eq!(failure.reason, Reason::SiteCapReached);
    assert!(
        failure.message.starts_with("This site's AI requests have used $5.0000001 of the monthly cap of $5.00 for all callers together"),
        "{}",
        failure.message
    );
}

#[test]
fn a_missing_or_unreadable_spend_is_a_host_error_and_nothing_spent_is_zero() {
    let caps = [cap("", CapPeriod::Day, CapUnit::Credits, "1")];
    assert_eq!(check(&caps, None, &[]).unwrap_err().reason, Reason::BadInput);
    assert_eq!(check(&caps, None, &spent(&[json!("1e3")])).unwrap_err().reason, Reason::BadInput);
    assert_eq!(check(&caps, None, &spent(&[serde_json::Value::Null])), Ok(()), "no usage yet: SUM() is NULL");
    assert_eq!(check(&caps, None, &spent(&[json!(1)])).unwrap_err().reason, Reason::SiteCapReached);
}

#[test]
fn the_preview_shows_what_is_left_of_each_cap_that_bounds_the_caller_and_the_same_refusal() {
    let seo = seo();
    let caps = [
        cap("other/other.php", CapPeriod::Day, CapUnit::Credits, "1"),
        cap("seo-helper/seo-helper.php", CapPeriod::Day, CapUnit::Credits, "100"),
        cap("", CapPeriod::Month, CapUnit::Usd, "5"),
    ];
    let reads = spent(&[json!("7"), json!("90"), json!("1.25")]);
    let estimate = Estimate { credits: 12, usd: Some(20_000_000) };
    let (shown, refusal) = headroom(&caps, Some(&seo), &reads, estimate).unwrap();
    let summary: Vec<_> = shown
        .iter()
        .map(|h| (h.status.cap.caller.as_str(), h.left.as_str(), h.this_request.as_deref(), h.refuses, h.reached_after))
        .collect();
    assert_eq!(
        summary,
        [
            ("seo-helper/seo-helper.php", "10 credits", Some("12 credits"), false, Some(true)),
            ("", "$3.75", Some("$0.00002"), false, Some(false))
        ],
        "the other plugin's cap is left out; the reads are matched by the cap's place among all caps"
    );
    assert_eq!((shown[0].status.spent.as_str(), shown[0].status.percent, shown[0].status.level), ("90 credits", 90, "warning"));
    assert_eq!(refusal, None);
    assert_eq!(check(&applicable(&caps, Some(&seo)), Some(&seo), &spent(&[json!("90"), json!("1.25")])), Ok(()), "as check decides");

    let reached = spent(&[json!("0"), json!("100"), json!("9")]);
    let (shown, refusal) = headroom(&caps, Some(&seo), &reached, Estimate { credits: 1, usd: None }).unwrap();
    assert_eq!(shown.iter().map(|h| (h.left.as_str(), h.refuses)).collect::<Vec<_>>(), [("0 credits", true), ("$0.00", true)]);
    assert_eq!(shown[1].this_request, None, "no price: the dollar cost is unknown");
    assert_eq!(shown[1].reached_after, None);
    assert_eq!(
        refusal,
        check(&applicable(&caps, Some(&seo)), Some(&seo), &spent(&[json!("100"), json!("9")])).err(),
        "the first reached cap refuses, as in a prompt"
    );

    let (shown, _) = headroom(&caps, None, &reached, estimate).unwrap();
    assert_eq!(shown.len(), 1, "WordPress itself: only the site-wide cap");
    assert_eq!(headroom(&caps, Some(&seo), &[], estimate).unwrap_err().reason, Reason::BadInput, "a spend the host did not read");
}
