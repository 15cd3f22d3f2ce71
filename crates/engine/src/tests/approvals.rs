//! Unit tests of `approvals`: who is checked, in which order, and the pending list.

use super::*;
use crate::connectors::find;
use serde_json::json;

const GATEWAY: &str = "aipuffer-connectors/aipuffer-connectors.php";

fn frame(kind: FrameKind, basename: &str, path: &str) -> Frame {
    Frame { kind, basename: basename.into(), name: format!("{basename} name"), path: path.into() }
}

/// A stack as WordPress builds it for `plugin-a` calling the AI Client, innermost first.
fn stack(caller: Option<Frame>) -> Vec<Frame> {
    let mut frames = vec![
        frame(FrameKind::Core, "", "wp-includes/class-wp-http.php"),
        frame(FrameKind::Plugin, GATEWAY, "src/Http/Http_Executor.php"),
        frame(FrameKind::Plugin, GATEWAY, "src/Gateway/Gateway_Model.php"),
        frame(FrameKind::Core, "", "wp-includes/php-ai-client/src/Builders/PromptBuilder.php"),
        frame(FrameKind::Plugin, "ai/ai.php", "includes/helpers.php"),
    ];
    frames.extend(caller);
    frames.push(frame(FrameKind::Core, "", "wp-includes/class-wp-hook.php"));
    frames.push(frame(FrameKind::Core, "", "wp-settings.php"));
    frames
}

/// The same stack when the call happens while a theme template renders (`plugin-a`'s shortcode
/// inside the theme's `single.php`): the theme is the outermost identifiable frame.
fn stack_in_theme(caller: Option<Frame>) -> Vec<Frame> {
    let mut frames = stack(caller);
    frames.insert(frames.len() - 1, frame(FrameKind::Theme, "twentytwentyfive", "single.php"));
    frames
}

/// The request's context (the gateway and the stack) and the approvals as stored.
struct Request {
    context: Context,
    state: ApprovalState,
}

fn state(approvals: serde_json::Value, frames: Vec<Frame>) -> Request {
    Request {
        context: Context { gateway: GATEWAY.into(), gateway_name: "AI Puffer Connectors".into(), frames, ..Context::default() },
        state: ApprovalState { guard_skips_provider_plugin: false, approvals: serde_json::from_value(approvals).unwrap() },
    }
}

fn check(request: &Request, connector: &Connector) -> Option<Blocked> {
    super::check(&request.context, &request.state, connector)
}

#[test]
fn the_caller_is_the_innermost_frame_of_someone_other_than_the_gateway_and_the_ai_plugins_plumbing() {
    let request = state(json!({}), stack_in_theme(plugin_a()));
    let found: Vec<String> = callers(&request.context).into_iter().map(|p| p.basename).collect();
    assert_eq!(found, ["plugin-a/plugin-a.php", "twentytwentyfive"]);
    assert!(callers(&state(json!({}), stack(None)).context).is_empty(), "WordPress itself: no caller");
}

fn plugin_a() -> Option<Frame> {
    Some(frame(FrameKind::Plugin, "plugin-a/plugin-a.php", "includes/ai.php"))
}

#[test]
fn an_unapproved_gateway_is_named_first_and_the_caller_goes_pending_with_it() {
    let blocked = check(&state(json!({}), stack(plugin_a())), find("openai").unwrap()).unwrap();
    assert_eq!(blocked.failure.reason, Reason::ApprovalGatewayNeeded);
    assert_eq!((blocked.failure.status, blocked.failure.code), (403, crate::failure::Code::PromptClientError));
    assert!(blocked.failure.message.contains("AI Puffer Connectors"), "{}", blocked.failure.message);
    assert!(blocked.failure.message.contains("Tools > Connector Approvals"));
    let basenames: Vec<&str> = blocked.pending.iter().map(|p| p.basename.as_str()).collect();
    assert_eq!(basenames, [GATEWAY, "plugin-a/plugin-a.php"]);
}

#[test]
fn an_approved_gateway_leaves_the_innermost_caller_to_approve() {
    let approvals = json!({ GATEWAY: { "openai": true } });
    let blocked = check(&state(approvals, stack(plugin_a())), find("openai").unwrap()).unwrap();
    assert_eq!(blocked.failure.reason, Reason::ApprovalCallerNeeded);
    assert_eq!(blocked.failure.params["kind"], "plugin");
    assert_eq!(blocked.failure.params["name"], "plugin-a/plugin-a.php name");
    assert_eq!(
        blocked.pending,
        vec![Party { kind: "plugin".into(), basename: "plugin-a/plugin-a.php".into(), name: "plugin-a/plugin-a.php name".into() }]
    );
}

#[test]
fn both_approved_lets_the_request_through() {
    let approvals = json!({ GATEWAY: { "openai": true }, "plugin-a/plugin-a.php": { "openai": true } });
    assert_eq!(check(&state(approvals, stack(plugin_a())), find("openai").unwrap()), None);
}

#[test]
fn a_plugin_called_from_a_theme_needs_both_because_the_guard_names_the_outermost() {
    let openai = find("openai").unwrap();
    let approvals = json!({ GATEWAY: { "openai": true } });
    let blocked = check(&state(approvals, stack_in_theme(plugin_a())), openai).unwrap();
    assert_eq!(blocked.failure.params["name"], "plugin-a/plugin-a.php name", "AI Puffer's caller (innermost) is named first");
    let pending: Vec<&str> = blocked.pending.iter().map(|p| p.basename.as_str()).collect();
    assert_eq!(pending, ["plugin-a/plugin-a.php", "twentytwentyfive"], "the guard's caller (outermost) goes pending too");

    let plugin_approved = json!({ GATEWAY: { "openai": true }, "plugin-a/plugin-a.php": { "openai": true } });
    let blocked = check(&state(plugin_approved, stack_in_theme(plugin_a())), openai).unwrap();
    assert_eq!((blocked.failure.params["kind"].as_str(), blocked.pending.len()), ("theme", 1));

    let all = json!({ GATEWAY: { "openai": true }, "plugin-a/plugin-a.php": { "openai": true }, "twentytwentyfive": { "openai": true } });
    assert_eq!(check(&state(all, stack_in_theme(plugin_a())), openai), None);
}

#[test]
fn approvals_are_per_connector() {
    let approvals = json!({ GATEWAY: { "google": true }, "plugin-a/plugin-a.php": { "openai": true } });
    assert_eq!(check(&state(approvals, stack(plugin_a())), find("openai").unwrap()).unwrap().failure.reason, Reason::ApprovalGatewayNeeded);
}

#[test]
fn without_a_plugin_caller_the_theme_is_the_caller_and_nothing_identifiable_means_allowed() {
    let approvals = json!({ GATEWAY: { "openai": true } });
    let blocked = check(&state(approvals.clone(), stack_in_theme(None)), find("openai").unwrap()).unwrap();
    assert_eq!(blocked.pending[0].kind, "theme");
    let core_only = vec![frame(FrameKind::Core, "", "wp-cron.php"), frame(FrameKind::Plugin, GATEWAY, "src/Gateway/Gateway_Model.php")];
    assert_eq!(check(&state(approvals, core_only), find("openai").unwrap()), None);
}

#[test]
fn mu_plugins_are_callers_and_the_ai_plugins_own_plumbing_is_not() {
    let approvals = json!({ GATEWAY: { "openai": true } });
    let blocked = check(
        &state(approvals.clone(), stack(Some(frame(FrameKind::MuPlugin, "site-tools.php", "site-tools.php")))),
        find("openai").unwrap(),
    )
    .unwrap();
    assert_eq!((blocked.pending[0].kind.as_str(), blocked.pending[0].basename.as_str()), ("mu-plugin", "site-tools.php"));
    // The AI plugin's own feature code (not its plumbing) is a caller like any other.
    let feature = frame(FrameKind::Plugin, "ai/ai.php", "includes/Experiments/Title_Generation/Title_Generation.php");
    assert_eq!(check(&state(approvals, stack(Some(feature))), find("openai").unwrap()).unwrap().pending[0].basename, "ai/ai.php");
}

#[test]
fn a_guard_that_skips_the_provider_plugin_never_asks_for_the_gateway() {
    let mut newer = state(json!({}), stack(plugin_a()));
    newer.state.guard_skips_provider_plugin = true;
    let blocked = check(&newer, find("openai").unwrap()).unwrap();
    assert_eq!(blocked.failure.reason, Reason::ApprovalCallerNeeded);
    assert_eq!(blocked.pending.len(), 1);
}

fn statuses(needs: &[Need]) -> Vec<(&str, &str, &str)> {
    needs.iter().map(|n| (n.role, n.party.basename.as_str(), n.status)).collect()
}

#[test]
fn the_preview_lists_whom_check_would_ask_and_what_it_would_find() {
    let openai = find("openai").unwrap();
    let request = state(json!({ GATEWAY: { "openai": true } }), stack_in_theme(plugin_a()));
    assert_eq!(
        statuses(&needs(&request.context, Some(&request.state), openai)),
        [
            ("gateway", GATEWAY, "approved"),
            ("caller", "plugin-a/plugin-a.php", "needs_approval"),
            ("caller", "twentytwentyfive", "needs_approval")
        ]
    );
    assert_eq!(needs(&request.context, None, openai).iter().map(|n| n.status).collect::<Vec<_>>(), ["not_needed"; 3], "no guard: nobody");

    let mut newer = state(json!({ "plugin-a/plugin-a.php": { "openai": true } }), stack(plugin_a()));
    newer.state.guard_skips_provider_plugin = true;
    assert_eq!(
        statuses(&needs(&newer.context, Some(&newer.state), openai)),
        [("gateway", GATEWAY, "not_needed"), ("caller", "plugin-a/plugin-a.php", "approved")]
    );
    assert_eq!(check(&newer, openai), None, "what the list says is what check decides");

    let wordpress = state(json!({}), stack(None));
    assert_eq!(statuses(&needs(&wordpress.context, Some(&wordpress.state), openai)), [("gateway", GATEWAY, "needs_approval")]);
    assert!(needs(&Context::default(), Some(&wordpress.state), openai).is_empty(), "a host that names no gateway: nobody to list");
}

fn party(basename: &str) -> Party {
    Party { kind: "plugin".into(), basename: basename.into(), name: basename.into() }
}

fn entries(write: &Write) -> Map<String, Value> {
    match write {
        Write::Option { value: Value::Object(entries), .. } => entries.clone(),
        other => panic!("not an option write: {other:?}"),
    }
}

#[test]
fn pending_entries_use_the_ai_plugins_keys_and_count_attempts() {
    let first = pending_write(&[Locked { id: "pending".into(), found: false, value: Value::Null }], &[party("p/p.php")], "openai", 100);
    let Write::Option { expect, autoload, .. } = &first else { panic!() };
    assert_eq!((expect, autoload), (&None, &false), "created, not autoloaded");
    let entry = &entries(&first)["p/p.php::openai"];
    assert_eq!(
        entry,
        &json!({ "caller_type": "plugin", "caller_basename": "p/p.php", "caller_name": "p/p.php", "connector_id": "openai", "attempts": 1, "first_seen": 100, "last_seen": 100 })
    );

    let stored = Value::Object(entries(&first));
    let again = pending_write(&[Locked { id: "pending".into(), found: true, value: stored.clone() }], &[party("p/p.php")], "openai", 160);
    let Write::Option { expect, .. } = &again else { panic!() };
    assert_eq!(expect.as_ref(), Some(&stored), "compare-and-set on what was read");
    let entry = &entries(&again)["p/p.php::openai"];
    assert_eq!((entry["attempts"].as_u64(), entry["first_seen"].as_i64(), entry["last_seen"].as_i64()), (Some(2), Some(100), Some(160)));
}

#[test]
fn the_pending_list_keeps_the_newest_fifty() {
    let mut list = Map::new();
    for i in 0..50 {
        list.insert(
            format!("p{i}/p.php::openai"),
            json!({ "connector_id": "openai", "attempts": 1, "first_seen": 1000 + i, "last_seen": 1000 + i }),
        );
    }
    let write =
        pending_write(&[Locked { id: "pending".into(), found: true, value: Value::Object(list) }], &[party("new/new.php")], "openai", 5000);
    let entries = entries(&write);
    assert_eq!(entries.len(), 50);
    assert!(entries.contains_key("new/new.php::openai"));
    assert!(!entries.contains_key("p0/p.php::openai"), "the oldest is dropped");
    assert!(entries.contains_key("p1/p.php::openai"));
}
