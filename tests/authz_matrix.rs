//! The authorization matrix: every operation in the OpenAPI document × every role. An operation
//! without a rule here fails, so no endpoint ships without someone deciding who may call it.

use hoagiai::auth::Role;

use crate::common::{Client, TestApp};

#[derive(Clone, Copy)]
enum Access {
    /// No token needed.
    Public,
    /// Any signed-in role (scope still limits what it sees).
    AnyRole,
    Only(&'static [Role]),
}

use Access::*;
use Role::*;

const MANAGERS: &[Role] = &[Admin, Officer];
/// Everyone who works with teams and mediators; statistics readers see numbers only.
const TEAM_READERS: &[Role] = &[Admin, Officer, TeamLeader, Mediator, Viewer];
/// Those who do casework: officers, team leaders, and mediators on their own cases.
const CASE_WORKERS: &[Role] = &[Officer, TeamLeader, Mediator];
/// Those who manage a case: officers and team leaders.
const CASE_EDITORS: &[Role] = &[Officer, TeamLeader];
/// The commune's money and its year-end review: its officers and leadership (and administrators).
const FUNDING_READERS: &[Role] = &[Admin, Officer, Viewer];

const RULES: &[(&str, Access)] = &[
    ("login", Public),
    ("refresh", Public),
    ("logout", Public),
    ("token", Public),
    ("list_enums", Public),
    ("healthz", Public),
    ("readyz", Public),
    ("metrics", Public),
    ("get_me", AnyRole),
    ("change_my_password", AnyRole),
    ("list_units", AnyRole),
    ("get_unit", AnyRole),
    ("list_unit_successions", AnyRole),
    ("create_unit", Only(&[Admin])),
    ("update_unit", Only(&[Admin])),
    ("create_succession", Only(&[Admin])),
    ("list_users", Only(&[Admin, Officer, Viewer])),
    ("get_user", Only(&[Admin, Officer, Viewer])),
    ("create_user", Only(MANAGERS)),
    ("update_user", Only(MANAGERS)),
    ("reset_password", Only(MANAGERS)),
    ("list_api_clients", Only(MANAGERS)),
    ("create_api_client", Only(MANAGERS)),
    ("revoke_api_client", Only(MANAGERS)),
    ("list_audit", Only(MANAGERS)),
    ("list_teams", Only(TEAM_READERS)),
    ("get_team", Only(TEAM_READERS)),
    ("get_team_health", Only(TEAM_READERS)),
    ("print_annual_report", Only(TEAM_READERS)),
    ("create_team", Only(MANAGERS)),
    ("update_team", Only(MANAGERS)),
    ("list_mediators", Only(TEAM_READERS)),
    ("get_mediator", Only(TEAM_READERS)),
    ("create_mediator", Only(MANAGERS)),
    ("update_mediator", Only(MANAGERS)),
    ("add_membership", Only(MANAGERS)),
    ("end_membership", Only(MANAGERS)),
    ("transfer_membership", Only(MANAGERS)),
    ("list_cases", Only(TEAM_READERS)),
    ("get_case", Only(TEAM_READERS)),
    ("create_case", Only(CASE_WORKERS)),
    ("update_case", Only(CASE_EDITORS)),
    ("assign_mediator", Only(CASE_EDITORS)),
    ("end_assignment", Only(CASE_EDITORS)),
    ("flag_conflict", Only(CASE_EDITORS)),
    ("mark_out_of_scope", Only(CASE_EDITORS)),
    ("record_referral", Only(CASE_EDITORS)),
    ("transfer_case", Only(&[Officer])),
    ("record_written_agreement", Only(CASE_EDITORS)),
    ("record_follow_up", Only(CASE_EDITORS)),
    ("record_deadline_exception", Only(CASE_EDITORS)),
    ("record_session", Only(CASE_WORKERS)),
    ("record_escalation", Only(CASE_WORKERS)),
    ("end_case", Only(CASE_WORKERS)),
    // A recorded result is corrected by the commune, never by the team that recorded it.
    ("correct_result", Only(&[Officer])),
    ("get_logbook", Only(TEAM_READERS)),
    ("get_indicators", AnyRole),
    ("list_case_facts", Only(&[Admin, Officer, Viewer, Stats])),
    ("submit_report", Only(MANAGERS)),
    ("list_reports", AnyRole),
    ("get_report", AnyRole),
    ("list_trainings", Only(TEAM_READERS)),
    ("get_training", Only(TEAM_READERS)),
    ("upload_attachment", Only(CASE_WORKERS)),
    ("create_election", Only(MANAGERS)),
    ("recognise_election", Only(MANAGERS)),
    ("list_elections", Only(TEAM_READERS)),
    ("get_election", Only(TEAM_READERS)),
    // The controller's work: the commune's justice officer (officers above a commune are refused
    // by the store, 403 `commune_officer_only`).
    ("create_subject_request", Only(&[Officer])),
    ("list_subject_requests", Only(&[Officer])),
    ("get_subject_request", Only(&[Officer])),
    ("close_subject_request", Only(&[Officer])),
    ("export_subject_request", Only(&[Officer])),
    ("find_party_rows", Only(&[Officer])),
    ("pseudonymise_closed_cases", Only(&[Officer])),
    ("create_staffing_decision", Only(MANAGERS)),
    ("list_staffing_decisions", Only(TEAM_READERS)),
    ("print_written_agreement", Only(TEAM_READERS)),
    ("list_attachments", Only(TEAM_READERS)),
    ("get_attachment", Only(TEAM_READERS)),
    ("get_training_coverage", Only(TEAM_READERS)),
    ("create_training", Only(MANAGERS)),
    ("update_training", Only(MANAGERS)),
    ("list_funding_policies", Only(FUNDING_READERS)),
    ("create_funding_policy", Only(MANAGERS)),
    ("update_funding_policy", Only(MANAGERS)),
    ("list_budgets", Only(FUNDING_READERS)),
    ("create_budget", Only(MANAGERS)),
    ("update_budget", Only(MANAGERS)),
    ("list_disbursements", Only(FUNDING_READERS)),
    ("get_disbursement", Only(FUNDING_READERS)),
    ("create_disbursement", Only(MANAGERS)),
    ("get_fee_suggestions", Only(FUNDING_READERS)),
    ("accept_fee_suggestions", Only(MANAGERS)),
    ("record_duty_breach", Only(MANAGERS)),
    ("list_confirmation_lists", Only(FUNDING_READERS)),
    ("get_confirmation_list", Only(FUNDING_READERS)),
    ("create_confirmation_list", Only(MANAGERS)),
    ("update_confirmation_list", Only(MANAGERS)),
    ("get_funding_summary", Only(FUNDING_READERS)),
    ("list_incident_claims", Only(FUNDING_READERS)),
    ("create_incident_claim", Only(MANAGERS)),
    ("decide_incident_claim", Only(MANAGERS)),
    ("list_rating_schemes", Only(FUNDING_READERS)),
    ("create_rating_scheme", Only(&[Admin])),
    ("list_team_ratings", Only(FUNDING_READERS)),
    ("create_team_rating", Only(MANAGERS)),
    ("update_team_rating", Only(MANAGERS)),
    ("list_awards", Only(FUNDING_READERS)),
    ("create_award", Only(MANAGERS)),
    ("update_award", Only(MANAGERS)),
    ("get_plan_targets", Only(FUNDING_READERS)),
    ("set_plan_targets", Only(MANAGERS)),
    ("record_team_review", Only(MANAGERS)),
    ("get_year_end_report", Only(FUNDING_READERS)),
    ("get_team_activity", Only(FUNDING_READERS)),
    ("list_access_standards", AnyRole),
    ("put_access_standard", Only(&[Admin])),
    ("get_access_assessment", AnyRole),
];

struct Operation {
    id: String,
    method: String,
    path: String,
}

fn operations() -> Vec<Operation> {
    let doc = serde_json::to_value(hoagiai::app::openapi_document()).unwrap();
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let concrete = path
                .split('/')
                .map(|seg| if seg.starts_with('{') { uuid::Uuid::now_v7().to_string() } else { seg.to_string() })
                .collect::<Vec<_>>()
                .join("/");
            out.push(Operation { id: op["operationId"].as_str().unwrap().to_string(), method: method.to_uppercase(), path: concrete });
        }
    }
    out
}

async fn call(client: &Client, op: &Operation) -> u16 {
    let body = match op.method.as_str() {
        "POST" | "PATCH" | "PUT" => Some(("application/json", b"{}".to_vec())),
        _ => None,
    };
    client.send(&op.method, &op.path, &[("if-match", "\"1\"")], body).await.status.as_u16()
}

#[test]
fn every_operation_has_a_rule() {
    let missing: Vec<String> = operations().into_iter().filter(|op| !RULES.iter().any(|(id, _)| *id == op.id)).map(|op| op.id).collect();
    assert!(missing.is_empty(), "operations without an authorization rule in tests/authz_matrix.rs: {missing:?}");
    let stale: Vec<&str> = RULES.iter().map(|(id, _)| *id).filter(|id| !operations().iter().any(|op| op.id == *id)).collect();
    assert!(stale.is_empty(), "rules for operations that no longer exist: {stale:?}");
}

on_both_backends!(every_role_on_every_operation);

async fn every_role_on_every_operation(app: TestApp) {
    let tree = app.tree().await;
    let mut clients = vec![(None, app.anon())];
    for role in Role::ALL {
        let unit = if role == Admin { None } else { Some(tree.commune_a.as_str()) };
        clients.push((Some(role), app.user(role, unit).await.0));
    }
    let mut failures = Vec::new();
    for op in operations() {
        let Some((_, access)) = RULES.iter().find(|(id, _)| *id == op.id) else { continue };
        for (role, client) in &clients {
            let status = call(client, &op).await;
            let ok = match (access, role) {
                (Public, _) => status != 401 && status != 403,
                (_, None) => status == 401,
                (AnyRole, Some(_)) => status != 401 && status != 403,
                (Only(allowed), Some(r)) if allowed.contains(r) => status != 401 && status != 403,
                (Only(_), Some(_)) => status == 403,
            };
            if !ok {
                failures.push(format!("{} {} as {:?}: {status}", op.method, op.id, role));
            }
        }
    }
    // The logout of "{}" and the password change must not have changed anything that matters:
    // the admin can still work.
    assert_eq!(tree.admin.get("/api/v1/units").await.status.as_u16(), 200);
    assert!(failures.is_empty(), "authorization matrix:\n{}", failures.join("\n"));
}
