//! Tolerant readers for stored WordPress data. Options saved by AI Puffer over the years hold
//! strings, numbers, booleans and the odd empty string where an array belongs; a setting of the
//! wrong shape must read as "not set", never fail the whole request.

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value};

/// Any scalar as text (`1` → "1", `true` → "1", `null`/arrays/objects → "").
pub fn string<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(scalar_text(&Value::deserialize(d)?))
}

pub fn scalar_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(true) => "1".into(),
        _ => String::new(),
    }
}

/// An object whose values are objects; anything else in it is dropped.
pub fn object_of_objects<'de, D: Deserializer<'de>>(d: D) -> Result<BTreeMap<String, Map<String, Value>>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::Object(entries) => entries
            .into_iter()
            .filter_map(|(k, v)| match v {
                Value::Object(inner) => Some((k, inner)),
                _ => None,
            })
            .collect(),
        _ => BTreeMap::new(),
    })
}

/// An object; an empty list (what PHP's `json_encode` makes of an empty array) or any other
/// non-object reads as an empty object.
pub fn map<'de, D: Deserializer<'de>>(d: D) -> Result<Map<String, Value>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::Object(entries) => entries,
        _ => Map::new(),
    })
}

/// A value of type `T` when it reads as one; anything else (PHP's `""` or `[]` for "not set", a
/// wrong shape) reads as the default.
pub fn or_default<'de, D: Deserializer<'de>, T: serde::de::DeserializeOwned + Default>(d: D) -> Result<T, D::Error> {
    Ok(typed(&Value::deserialize(d)?).unwrap_or_default())
}

/// A flag as PHP stores it: `true`, `1`, `"1"`, `"yes"`, `"on"`, `"true"` are set; anything else is not.
pub fn flag<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::Bool(b) => b,
        Value::Number(n) => n.as_f64().is_some_and(|n| n != 0.0),
        Value::String(s) => matches!(s.trim().to_ascii_lowercase().as_str(), "1" | "yes" | "on" | "true"),
        _ => false,
    })
}

/// A decimal amount of at most six places as text or number (`"0.500000"`, `12`); anything
/// else reads as none (a rate that can't be read exactly is not guessed at).
pub fn decimal<'de, D: Deserializer<'de>>(d: D) -> Result<Option<crate::money::Micros>, D::Error> {
    Ok(crate::money::Micros::parse(&scalar_text(&Value::deserialize(d)?)))
}

/// A value as type `T`, or `None` when it does not read as one (a locked value the host read, an
/// item of a lenient list). Through text on purpose: every type is then read by the one
/// deserializer the engine already has for its input, not compiled a second time for `Value`.
pub fn typed<T: serde::de::DeserializeOwned>(value: &Value) -> Option<T> {
    serde_json::from_str(&value.to_string()).ok()
}
