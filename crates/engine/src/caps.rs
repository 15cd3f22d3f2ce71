//! Spending caps, checked before any provider request: a caller (or every caller together) that
//! has already spent its day's or month's limit — in credits or in dollars, by the ledger — gets
//! the AI Client's 429 with a message naming the caller, the cap and where to change it. A cap
//! bounds when requests start; a request that starts below it is answered and charged in full.

use serde::Serialize;

use crate::failure::{params, Failure};
use crate::messages::Reason;
use crate::money::{parse_scaled, Micros};
use crate::protocol::{Lock, Locked};
use crate::site::{Cap, CapPeriod, CapUnit, Context, Party};
use crate::time::{mysql_datetime, start_of_day, start_of_month};

/// Spend is compared in pico-units: dollar costs carry twelve decimals.
const PLACES: usize = 12;
const PICO: i128 = 1_000_000_000_000;

/// The caps that bound a call from `caller` (none: WordPress itself, bound by site-wide caps only).
pub fn applicable(caps: &[Cap], caller: Option<&Party>) -> Vec<Cap> {
    caps.iter().filter(|cap| applies(cap, caller)).cloned().collect()
}

fn applies(cap: &Cap, caller: Option<&Party>) -> bool {
    cap.caller.trim().is_empty() || caller.is_some_and(|c| c.basename == cap.caller.trim())
}

/// What the host reads for each cap: the spend in its period so far.
pub fn spend_reads(caps: &[Cap], context: &Context, gmt_offset: i64) -> Vec<Lock> {
    caps.iter()
        .enumerate()
        .map(|(i, cap)| {
            let since = match cap.period {
                CapPeriod::Day => start_of_day(context.now, gmt_offset),
                CapPeriod::Month => start_of_month(context.now, gmt_offset),
            };
            let caller = Some(cap.caller.trim().to_string()).filter(|c| !c.is_empty());
            Lock::Spend { id: format!("cap-{i}"), caller, since: mysql_datetime(since, 0), unit: cap.unit }
        })
        .collect()
}

/// The first cap the spend read has reached, as the caller's error.
pub fn check(caps: &[Cap], caller: Option<&Party>, locked: &[Locked]) -> Result<(), Failure> {
    for (i, cap) in caps.iter().enumerate() {
        let (spent, limit) = (spent(i, locked)?, limit(cap));
        if spent >= limit {
            return Err(reached(cap, caller, spent, limit));
        }
    }
    Ok(())
}

/// How far a cap is used, for the administrator: the spend, the limit and the share used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CapStatus {
    pub cap: Cap,
    /// `120 credits`, `$4.50`.
    pub spent: String,
    pub limit: String,
    /// Whole percent of the limit used (100 or more: reached; a cap of 0 is always reached).
    pub percent: u64,
    /// What an administrator is told: `ok`, `warning` (80 % used) or `reached`.
    pub level: &'static str,
}

/// A cap this far used is worth a warning.
const WARN_AT_PERCENT: u64 = 80;

pub fn statuses(caps: &[Cap], locked: &[Locked]) -> Result<Vec<CapStatus>, Failure> {
    caps.iter().enumerate().map(|(i, cap)| Ok(status(cap, spent(i, locked)?))).collect()
}

fn status(cap: &Cap, spent: i128) -> CapStatus {
    let limit = limit(cap);
    let percent = if limit == 0 { 100 } else { u64::try_from(spent * 100 / limit).unwrap_or(u64::MAX) };
    let level = match percent {
        p if p >= 100 => "reached",
        p if p >= WARN_AT_PERCENT => "warning",
        _ => "ok",
    };
    CapStatus { cap: cap.clone(), spent: amount(cap.unit, spent), limit: amount(cap.unit, limit), percent, level }
}

/// What one request is estimated to cost, in each unit a cap can count.
#[derive(Debug, Clone, Copy)]
pub struct Estimate {
    pub credits: u64,
    /// Pico-dollars; `None` when the price list does not know the model.
    pub usd: Option<i128>,
}

/// A cap that bounds a caller, as the admin preview shows it: how far it is used, what is left
/// this period, and what this request would do to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CapHeadroom {
    #[serde(flatten)]
    pub status: CapStatus,
    /// What is left before the cap is reached (never below nothing).
    pub left: String,
    /// The request's estimate in the cap's unit (none: dollars, and no price is known).
    pub this_request: Option<String>,
    /// The cap is reached already: a request from this caller would be refused now.
    pub refuses: bool,
    /// This request, at its estimate, would reach the cap — it is still answered (a cap bounds
    /// when requests start), the next one is refused. `None` when its cost is unknown.
    pub reached_after: Option<bool>,
}

/// Every cap of `caps` that bounds `caller`, with its headroom, and the refusal the first reached
/// one gives a request now — the same refusal `check` gives a prompt. `locked` holds the spend of
/// each of `caps` as `spend_reads` asks for it over all of them (`cap-{i}`, as `cap_status` reads).
pub fn headroom(
    caps: &[Cap],
    caller: Option<&Party>,
    locked: &[Locked],
    estimate: Estimate,
) -> Result<(Vec<CapHeadroom>, Option<Failure>), Failure> {
    let mut shown = Vec::new();
    let mut refusal = None;
    for (i, cap) in caps.iter().enumerate().filter(|(_, cap)| applies(cap, caller)) {
        let (spent, limit) = (spent(i, locked)?, limit(cap));
        let this_request = match cap.unit {
            CapUnit::Credits => Some(i128::from(estimate.credits) * PICO),
            CapUnit::Usd => estimate.usd,
        };
        let refuses = spent >= limit;
        if refuses && refusal.is_none() {
            refusal = Some(reached(cap, caller, spent, limit));
        }
        shown.push(CapHeadroom {
            status: status(cap, spent),
            left: amount(cap.unit, (limit - spent).max(0)),
            this_request: this_request.map(|pico| amount(cap.unit, pico)),
            refuses,
            reached_after: this_request.map(|pico| spent.saturating_add(pico) >= limit),
        });
    }
    Ok((shown, refusal))
}

/// The spend read for cap `i`, in pico-units (nothing spent yet: 0).
fn spent(i: usize, locked: &[Locked]) -> Result<i128, Failure> {
    let id = format!("cap-{i}");
    let read = locked.iter().find(|l| l.id == id).ok_or_else(|| Failure::bad_input(format_args!("the spend for cap {id} was not read")))?;
    let text = read.value.as_str().map(str::to_string).or_else(|| read.value.as_u64().map(|n| n.to_string()));
    match text {
        Some(text) => {
            parse_scaled(&text, PLACES).ok_or_else(|| Failure::bad_input(format_args!("the spend for cap {id} is not a decimal")))
        }
        None => Ok(0),
    }
}

fn limit(cap: &Cap) -> i128 {
    Micros::parse(&cap.limit).map_or(0, |m| m.0) * 1_000_000
}

fn reached(cap: &Cap, caller: Option<&Party>, spent: i128, limit: i128) -> Failure {
    let period = match cap.period {
        CapPeriod::Day => "daily",
        CapPeriod::Month => "monthly",
    };
    let (spent, limit, period) = (amount(cap.unit, spent), amount(cap.unit, limit), period.to_string());
    match caller.filter(|_| !cap.caller.trim().is_empty()) {
        Some(party) => Failure::client(
            429,
            Reason::CapReached,
            params([("spent", spent), ("limit", limit), ("period", period), ("kind", party.kind.clone()), ("name", party.name.clone())]),
        ),
        None => Failure::client(429, Reason::SiteCapReached, params([("spent", spent), ("limit", limit), ("period", period)])),
    }
}

/// `120 credits` (whole credits, rounded up) or `$5.00` / `$0.0014008` (exact, at least cents).
fn amount(unit: CapUnit, pico: i128) -> String {
    match unit {
        CapUnit::Credits => format!("{} credits", pico.div_euclid(PICO) + i128::from(pico.rem_euclid(PICO) != 0)),
        CapUnit::Usd => {
            let fraction = format!("{:012}", pico.rem_euclid(PICO));
            let fraction = fraction.trim_end_matches('0');
            format!("${}.{fraction:0<2}", pico.div_euclid(PICO))
        }
    }
}

#[cfg(test)]
#[path = "tests/caps.rs"]
mod tests;
