//! Engagements: recorded by specialists, corrected and retracted by new entries (never edited),
//! listed by filter, and turned into the caller's follow-ups.

use chrono::{Duration, Utc};
use serde_json::{Value, json};

use crate::helpers::{TestApp, on_each_database};

const ENGAGEMENT_CREATE: &str = "mutation($input: EngagementCreateInput!) { engagementCreate(input: $input) {
    engagement { id mode purpose outcome occurredAt nextStep nextStepDue specialist { name } contact { name } employer { name } }
    userErrors { field code message } } }";
const ENGAGEMENT_CORRECT: &str =
    "mutation($input: EngagementCorrectInput!) { engagementCorrect(input: $input) {
    engagement { id outcome mode supersedes { id outcome supersededBy { id } } recordedBy { name } }
    userErrors { field code message } } }";

fn days_ago(days: i64) -> String {
    (Utc::now() - Duration::days(days)).to_rfc3339()
}

async fn record(
    app: &TestApp,
    token: &str,
    employer: &str,
    days: i64,
    mode: &str,
    extra: Value,
) -> Value {
    let mut input = json!({ "employerId": employer, "occurredAt": days_ago(days), "mode": mode, "purpose": "LEARN_NEEDS", "outcome": format!("visit {days} days ago") });
    for (k, v) in extra.as_object().into_iter().flatten() {
        input[k] = v.clone();
    }
    let r = app
        .ok(token, ENGAGEMENT_CREATE, json!({ "input": input }))
        .await;
    assert_eq!(r.user_errors("engagementCreate"), vec![], "{}", r.body);
    r.data("engagementCreate.engagement").clone()
}

#[tokio::test]
async fn a_specialist_records_a_face_to_face_visit() {
    on_each_database(|app| async move {
        let (_, _, token) = app.specialist().await;
        let employer = app.create_employer(&token, "Morley Foods", "MANUFACTURING").await;
        let r = app
            .ok(&token, "mutation($input: EmployerContactCreateInput!) { employerContactCreate(input: $input) { contact { id } } }", json!({ "input": { "employerId": employer, "name": "Mark Ellis" } }))
            .await;
        let contact = r.data("employerContactCreate.contact.id").clone();
        let e = record(&app, &token, &employer, 1, "FACE_TO_FACE", json!({ "contactId": contact, "nextStep": "Bring a candidate profile", "nextStepDue": "2099-01-31" })).await;
        assert_eq!(e["mode"], "FACE_TO_FACE");
        assert_eq!(e["specialist"]["name"], "Test SPECIALIST");
        assert_eq!(e["contact"]["name"], "Mark Ellis");
        assert_eq!(e["employer"]["name"], "Morley Foods");
        assert_eq!(e["nextStepDue"], "2099-01-31");
        let r = app.ok(&token, "query($id: ID!) { employer(id: $id) { engagements { totalCount nodes { outcome } } } }", json!({ "id": employer })).await;
        assert_eq!(r.data("employer.engagements.totalCount"), 1);
    })
    .await;
}

#[tokio::test]
async fn engagement_input_problems_are_named_and_nothing_is_written() {
    on_each_database(|app| async move {
        let (_, _, token) = app.specialist().await;
        let employer = app.create_employer(&token, "Ossett Builders", "CONSTRUCTION").await;
        let other = app.create_employer(&token, "Batley Builders", "CONSTRUCTION").await;
        let r = app
            .ok(&token, "mutation($input: EmployerContactCreateInput!) { employerContactCreate(input: $input) { contact { id } } }", json!({ "input": { "employerId": other, "name": "Not Here" } }))
            .await;
        let wrong_contact = r.data("employerContactCreate.contact.id").clone();
        let input = json!({ "input": {
            "employerId": employer, "contactId": wrong_contact, "occurredAt": (Utc::now() + Duration::days(2)).to_rfc3339(),
            "mode": "PHONE", "purpose": "FOLLOW_UP", "outcome": "   ", "nextStepDue": "2099-01-01" } });
        let r = app.ok(&token, ENGAGEMENT_CREATE, input).await;
        let mut errors = r.user_errors("engagementCreate");
        errors.sort();
        assert_eq!(
            errors,
            vec![
                ("input.contactId".into(), "NOT_FOUND".into()),
                ("input.nextStep".into(), "REQUIRED".into()),
                ("input.occurredAt".into(), "INVALID".into()),
                ("input.outcome".into(), "REQUIRED".into()),
            ]
        );
        let r = app
            .ok(&token, ENGAGEMENT_CREATE, json!({ "input": { "employerId": crate::helpers::global_id("Employer", uuid::Uuid::now_v7()), "occurredAt": days_ago(1), "mode": "PHONE", "purpose": "FOLLOW_UP", "outcome": "x" } }))
            .await;
        assert_eq!(r.user_errors("engagementCreate"), vec![("input.employerId".into(), "NOT_FOUND".into())]);
        let r = app.ok(&token, "{ engagements { totalCount } }", json!({})).await;
        assert_eq!(r.data("engagements.totalCount"), 0);
    })
    .await;
}

#[tokio::test]
async fn admins_do_not_record_engagements() {
    on_each_database(|app| async move {
        let employer = app.create_employer(&app.admin_token(), "Castleford Couriers", "TRANSPORT_STORAGE").await;
        let r = app
            .graphql(Some(&app.admin_token()), ENGAGEMENT_CREATE, json!({ "input": { "employerId": employer, "occurredAt": days_ago(1), "mode": "PHONE", "purpose": "FOLLOW_UP", "outcome": "x" } }))
            .await;
        assert_eq!(r.error_code(), Some("FORBIDDEN"), "{}", r.body);
    })
    .await;
}

#[tokio::test]
async fn a_correction_supersedes_the_entry_and_both_stay_readable() {
    on_each_database(|app| async move {
        let (_, _, token) = app.specialist().await;
        let employer = app.create_employer(&token, "Pontefract Print", "MANUFACTURING").await;
        let original = record(&app, &token, &employer, 2, "PHONE", json!({})).await;
        let r = app
            .ok(&token, ENGAGEMENT_CORRECT, json!({ "input": { "id": original["id"], "mode": "FACE_TO_FACE", "outcome": "It was a visit, not a call" } }))
            .await;
        assert_eq!(r.user_errors("engagementCorrect"), vec![]);
        let correction = r.data("engagementCorrect.engagement").clone();
        assert_eq!(correction["mode"], "FACE_TO_FACE");
        assert_eq!(correction["supersedes"]["id"], original["id"]);
        assert_eq!(correction["supersedes"]["outcome"], "visit 2 days ago", "the original is unchanged");
        assert_eq!(correction["supersedes"]["supersededBy"]["id"], correction["id"]);

        // Lists show the current record; history on request.
        let q = "query($f: EngagementFilter) { engagements(filter: $f) { totalCount nodes { id outcome } } }";
        let r = app.ok(&token, q, json!({ "f": {} })).await;
        assert_eq!(r.data("engagements.totalCount"), 1);
        assert_eq!(r.data("engagements.nodes.0.id"), &correction["id"]);
        let r = app.ok(&token, q, json!({ "f": { "includeSuperseded": true } })).await;
        assert_eq!(r.data("engagements.totalCount"), 2);

        // The superseded entry cannot be corrected again.
        let r = app.ok(&token, ENGAGEMENT_CORRECT, json!({ "input": { "id": original["id"], "outcome": "again" } })).await;
        assert_eq!(r.user_errors("engagementCorrect"), vec![("input.id".into(), "ALREADY_SUPERSEDED".into())]);
    })
    .await;
}

#[tokio::test]
async fn a_retraction_withdraws_an_entry_with_its_reason() {
    on_each_database(|app| async move {
        let (_, _, token) = app.specialist().await;
        let employer = app.create_employer(&token, "Dewsbury Laundry", "OTHER_SERVICES").await;
        let entry = record(&app, &token, &employer, 3, "EMAIL", json!({})).await;
        let r = app
            .ok(&token, "mutation($input: EngagementRetractInput!) { engagementRetract(input: $input) { engagement { retraction retractionReason supersedes { id } } userErrors { field code } } }", json!({ "input": { "id": entry["id"], "reason": "Logged against the wrong employer" } }))
            .await;
        assert_eq!(r.data("engagementRetract.engagement.retraction"), true);
        assert_eq!(r.data("engagementRetract.engagement.retractionReason"), "Logged against the wrong employer");
        let r = app.ok(&token, "{ engagements { totalCount } }", json!({})).await;
        assert_eq!(r.data("engagements.totalCount"), 0);
        let r = app.ok(&token, "query($id: ID!) { node(id: $id) { ... on Engagement { outcome supersededBy { retraction } } } }", json!({ "id": entry["id"] })).await;
        assert_eq!(r.data("node.outcome"), "visit 3 days ago");
        assert_eq!(r.data("node.supersededBy.retraction"), true);
    })
    .await;
}

#[tokio::test]
async fn only_the_author_or_their_team_lead_corrects_an_entry() {
    on_each_database(|app| async move {
        let (team, _, author) = app.specialist().await;
        let employer = app
            .create_employer(&author, "Mirfield Joinery", "MANUFACTURING")
            .await;
        let entry = record(&app, &author, &employer, 1, "PHONE", json!({})).await;
        let (_, _, colleague) = app.create_staff("SPECIALIST", Some(&team)).await;
        let r = app
            .graphql(
                Some(&colleague),
                ENGAGEMENT_CORRECT,
                json!({ "input": { "id": entry["id"], "outcome": "mine now" } }),
            )
            .await;
        assert_eq!(r.error_code(), Some("FORBIDDEN"), "{}", r.body);

        let other_team = app.create_team("Elsewhere").await;
        let (_, _, other_lead) = app.create_staff("TEAM_LEAD", Some(&other_team)).await;
        let r = app
            .graphql(
                Some(&other_lead),
                ENGAGEMENT_CORRECT,
                json!({ "input": { "id": entry["id"], "outcome": "x" } }),
            )
            .await;
        assert_eq!(r.error_code(), Some("FORBIDDEN"), "{}", r.body);

        let (_, _, lead) = app.create_staff("TEAM_LEAD", Some(&team)).await;
        let r = app
            .ok(
                &lead,
                ENGAGEMENT_CORRECT,
                json!({ "input": { "id": entry["id"], "outcome": "Corrected by the lead" } }),
            )
            .await;
        assert_eq!(r.user_errors("engagementCorrect"), vec![]);
        assert_eq!(
            r.data("engagementCorrect.engagement.recordedBy.name"),
            "Test TEAM_LEAD"
        );
    })
    .await;
}

#[tokio::test]
async fn engagements_filter_by_specialist_mode_and_date_range() {
    on_each_database(|app| async move {
        let (team, me, token) = app.specialist().await;
        let (_, _, other) = app.create_staff("SPECIALIST", Some(&team)).await;
        let employer = app.create_employer(&token, "Horsforth Gym", "ARTS_RECREATION").await;
        for days in [1, 8, 15] {
            record(&app, &token, &employer, days, "FACE_TO_FACE", json!({})).await;
        }
        record(&app, &token, &employer, 2, "PHONE", json!({})).await;
        record(&app, &other, &employer, 3, "FACE_TO_FACE", json!({})).await;
        let q = "query($f: EngagementFilter) { engagements(filter: $f) { totalCount nodes { outcome } } }";
        let outcomes = |r: &crate::helpers::Response| -> Vec<String> {
            r.data("engagements.nodes").as_array().expect("nodes").iter().map(|n| n["outcome"].as_str().expect("outcome").to_string()).collect()
        };
        let r = app.ok(&token, q, json!({ "f": { "specialistId": me, "modes": ["FACE_TO_FACE"] } })).await;
        assert_eq!(outcomes(&r), ["visit 1 days ago", "visit 8 days ago", "visit 15 days ago"], "newest first");
        let r = app.ok(&token, q, json!({ "f": { "from": days_ago(10), "to": (Utc::now() - Duration::days(2) - Duration::hours(1)).to_rfc3339() } })).await;
        assert_eq!(outcomes(&r), ["visit 3 days ago", "visit 8 days ago"]);
    })
    .await;
}

#[tokio::test]
async fn follow_ups_due_are_the_callers_open_next_steps() {
    on_each_database(|app| async move {
        let (team, _, token) = app.specialist().await;
        let (_, _, colleague) = app.create_staff("SPECIALIST", Some(&team)).await;
        let quiet = app
            .create_employer(&token, "Quiet Ltd", "CONSTRUCTION")
            .await;
        let revisited = app
            .create_employer(&token, "Revisited Ltd", "CONSTRUCTION")
            .await;
        let later = app
            .create_employer(&token, "Later Ltd", "CONSTRUCTION")
            .await;
        let yesterday = (Utc::now() - Duration::days(1)).date_naive().to_string();
        let next_month = (Utc::now() + Duration::days(30)).date_naive().to_string();
        record(
            &app,
            &token,
            &quiet,
            5,
            "PHONE",
            json!({ "nextStep": "Call back", "nextStepDue": yesterday }),
        )
        .await;
        record(
            &app,
            &token,
            &revisited,
            5,
            "PHONE",
            json!({ "nextStep": "Call back", "nextStepDue": yesterday }),
        )
        .await;
        // A colleague's later visit to that employer closes the follow-up.
        record(&app, &colleague, &revisited, 2, "FACE_TO_FACE", json!({})).await;
        record(
            &app,
            &token,
            &later,
            5,
            "PHONE",
            json!({ "nextStep": "Call back", "nextStepDue": next_month }),
        )
        .await;
        // Someone else's follow-up is not mine.
        record(
            &app,
            &colleague,
            &quiet,
            6,
            "PHONE",
            json!({ "nextStep": "Theirs", "nextStepDue": yesterday }),
        )
        .await;

        let q = "query($d: Date) { followUpsDue(dueBy: $d) { employer { name } nextStep } }";
        let r = app.ok(&token, q, json!({})).await;
        let names: Vec<&str> = r
            .data("followUpsDue")
            .as_array()
            .expect("list")
            .iter()
            .map(|e| e["employer"]["name"].as_str().expect("name"))
            .collect();
        assert_eq!(names, ["Quiet Ltd"]);
        let r = app
            .ok(
                &token,
                q,
                json!({ "d": (Utc::now() + Duration::days(60)).date_naive().to_string() }),
            )
            .await;
        assert_eq!(r.data("followUpsDue").as_array().expect("list").len(), 2);
    })
    .await;
}
