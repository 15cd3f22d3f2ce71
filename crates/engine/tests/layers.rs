//! The engine's modules form layers that only look down (see `lib.rs`): data types → tables →
//! decisions → wire formats → the step machine. This test reads every `crate::…` path in the
//! sources and fails on a reference to a higher layer or a cycle inside one.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

const LAYERS: &[(&str, &[&str])] = &[
    (
        "data",
        &[
            "ai_client",
            "call",
            "failure",
            "lenient",
            "messages",
            "money",
            "price_list",
            "pricing_rules",
            "protocol",
            "reply",
            "rows",
            "site",
            "time",
            "usage",
        ],
    ),
    ("tables", &["connectors", "image_models", "defaults", "catalog"]),
    ("decisions", &["route", "approvals", "caps", "pricing", "usd", "accounting", "adjustments", "result", "model_sync"]),
    ("wire formats", &["providers"]),
    ("step machine", &["tasks"]),
];

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|(_, modules)| modules.contains(&module))
}

/// Module → the modules its code names through `crate::`.
fn references() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut files = vec![src.clone()];
    while let Some(path) = files.pop() {
        if path.is_dir() {
            if path.file_name().is_some_and(|n| n == "tests") {
                continue; // unit tests may reach anywhere
            }
            files.extend(fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
            continue;
        }
        let relative = path.strip_prefix(&src).unwrap().to_string_lossy().to_string();
        if relative == "lib.rs" {
            continue; // the crate root re-exports every layer
        }
        let module = relative.split(['/', '.']).next().unwrap().to_string();
        let text = fs::read_to_string(&path).unwrap();
        let mut names = BTreeSet::new();
        let mut rest = text.as_str();
        while let Some(at) = rest.find("crate::") {
            rest = &rest[at + 7..];
            if rest.starts_with('{') {
                // `use crate::{a, b::c}`
                let group = &rest[1..rest.find('}').unwrap_or(rest.len())];
                names.extend(group.split(',').map(|p| p.trim().split("::").next().unwrap().to_string()));
            } else {
                names.insert(rest.split(|c: char| !(c.is_alphanumeric() || c == '_')).next().unwrap().to_string());
            }
        }
        names.remove(&module);
        names.retain(|n| !n.is_empty());
        graph.entry(module).or_default().extend(names);
    }
    graph
}

#[test]
fn every_module_belongs_to_a_layer_and_only_looks_down() {
    let graph = references();
    let mut wrong = Vec::new();
    for (module, names) in &graph {
        let Some(own) = layer_of(module) else {
            wrong.push(format!("{module} is in no layer"));
            continue;
        };
        for name in names {
            match layer_of(name) {
                None => wrong.push(format!("{module} names {name}, which is in no layer")),
                Some(layer) if layer > own => {
                    wrong.push(format!("{module} ({}) names {name} ({}), a higher layer", LAYERS[own].0, LAYERS[layer].0))
                }
                Some(_) => {}
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn no_cycles_inside_a_layer() {
    let graph = references();
    // Depth-first search for a back edge.
    fn visit<'a>(
        node: &'a str,
        graph: &'a BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<&'a str>,
        done: &mut BTreeSet<&'a str>,
    ) -> Option<String> {
        if let Some(at) = path.iter().position(|n| *n == node) {
            return Some(format!("{} → {node}", path[at..].join(" → ")));
        }
        if !done.insert(node) {
            return None;
        }
        path.push(node);
        for next in graph.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, graph, path, done) {
                return Some(cycle);
            }
        }
        path.pop();
        None
    }
    let mut done = BTreeSet::new();
    for module in graph.keys() {
        if let Some(cycle) = visit(module, &graph, &mut Vec::new(), &mut done) {
            panic!("import cycle: {cycle}");
        }
    }
}
