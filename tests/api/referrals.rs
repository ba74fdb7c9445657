//! Referrals from the treatment service and the keyworker role. A keyworker refers, sees the
//! referrals they made and — only with the client's consent, audited — the progress of those
//! registered; every other field of the schema answers them `FORBIDDEN`, which the role × field
//! walk below holds for each root field and each field under the ones they may read. The funnel
//! and the zero-exclusion reasons are checked over hand-built scenarios.

use std::collections::{BTreeSet, HashMap};
use std::time::Duration;

use chrono::{Duration as Days, NaiveDate};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};

use crate::helpers::{TestApp, decode_global_id, on_each_database};
use crate::subscriptions::{SocketSession, ws_url};

const REFERRAL_FIELDS: &str = "id state referredOn contactedOn firstMeetingOn closedOn notTakenUpReason version personName progress { status since registeredOn employerNames consentVersion }";

fn today() -> NaiveDate {
    chrono::Utc::now().date_naive()
}

/// A treatment team served by `team` (created by that team's lead); returns its id.
async fn treatment_team(app: &TestApp, lead: &str, name: &str) -> String {
    let r = app
        .ok(
            lead,
            "mutation($input: TreatmentTeamCreateInput!) { treatmentTeamCreate(input: $input) { treatmentTeam { id } userErrors { field code message } } }",
            json!({ "input": { "name": name, "site": "Riverside" } }),
        )
        .await;
    r.data("treatmentTeamCreate.treatmentTeam.id")
        .as_str()
        .unwrap_or_else(|| panic!("treatment team: {}", r.body))
        .to_string()
}

/// A keyworker of `treatment_team`; returns (id, token).
pub(crate) async fn keyworker(app: &TestApp, treatment_team: &str, name: &str) -> (String, String) {
    let r = app
        .ok(
            &app.admin_token(),
            "mutation($input: StaffCreateInput!) { staffCreate(input: $input) { staff { id } userErrors { field code message } } }",
            json!({ "input": { "name": name, "email": format!("{}@treatment.example", uuid::Uuid::now_v7().simple()),
                "role": "KEYWORKER", "treatmentTeamId": treatment_team } }),
        )
        .await;
    let id = r
        .data("staffCreate.staff.id")
        .as_str()
        .unwrap_or_else(|| panic!("keyworker: {}", r.body))
        .to_string();
    let token = app.token_for(decode_global_id(&id));
    (id, token)
}

/// A referral `token` makes (a keyworker: from their own team); returns its id.
async fn refer(
    app: &TestApp,
    token: &str,
    name: &str,
    referred_on: NaiveDate,
    extra: Value,
) -> String {
    let mut input = json!({ "personName": name, "referredOn": referred_on.to_string(), "howTold": "IN_PERSON",
        "contactPreference": "AT_TREATMENT_APPOINTMENT", "phone": "07700 900123", "contactNotes": "Mornings are best" });
    if let (Some(input), Some(extra)) = (input.as_object_mut(), extra.as_object()) {
        input.extend(extra.clone());
    }
    let r = app
        .ok(
            token,
            "mutation($input: ReferralCreateInput!) { referralCreate(input: $input) { referral { id state } userErrors { field code message } } }",
            json!({ "input": input }),
        )
        .await;
    assert_eq!(
        r.data("referralCreate.referral.state"),
        "RECEIVED",
        "{}",
        r.body
    );
    r.data("referralCreate.referral.id")
        .as_str()
        .expect("referral id")
        .to_string()
}

async fn version_of(app: &TestApp, token: &str, referral: &str) -> Value {
    app.ok(
        token,
        "query($id: ID!) { referral(id: $id) { version } }",
        json!({ "id": referral }),
    )
    .await
    .data("referral.version")
    .clone()
}

/// Moves a referral to `step` on `on`, as `token`; returns the user errors.
async fn advance(
    app: &TestApp,
    token: &str,
    referral: &str,
    step: &str,
    on: NaiveDate,
) -> Vec<(String, String)> {
    let version = version_of(app, token, referral).await;
    app.ok(token, "mutation($input: ReferralAdvanceInput!) { referralAdvance(input: $input) { referral { state } userErrors { field code message } } }",
        json!({ "input": { "id": referral, "version": version, "step": step, "on": on.to_string() } }))
        .await
        .user_errors("referralAdvance")
}

/// Registers a referral as `token`; returns the new client's id.
async fn register(app: &TestApp, token: &str, referral: &str, on: NaiveDate) -> String {
    let version = version_of(app, token, referral).await;
    let r = app.ok(token, "mutation($input: ReferralRegisterInput!) { referralRegister(input: $input) { referral { state client { id name referralDate keyworkerName } } userErrors { field code message } } }",
        json!({ "input": { "id": referral, "version": version, "on": on.to_string(), "employmentAtReferral": "UNEMPLOYED" } })).await;
    assert_eq!(
        r.data("referralRegister.referral.state"),
        "REGISTERED",
        "{}",
        r.body
    );
    r.data("referralRegister.referral.client.id")
        .as_str()
        .expect("client")
        .to_string()
}

async fn not_taken_up(
    app: &TestApp,
    token: &str,
    referral: &str,
    reason: &str,
    on: NaiveDate,
) -> Response {
    let version = version_of(app, token, referral).await;
    app.graphql(Some(token), "mutation($input: ReferralNotTakenUpInput!) { referralNotTakenUp(input: $input) { referral { state notTakenUpReason closedOn } userErrors { field code message } } }",
        json!({ "input": { "id": referral, "version": version, "reason": reason, "on": on.to_string() } })).await
}

use crate::helpers::Response;

async fn grant(
    app: &TestApp,
    token: &str,
    client: &str,
    keyworker: &str,
    items: &[&str],
    from: i64,
    to: i64,
) -> String {
    let now = chrono::Utc::now();
    let r = app.ok(token, "mutation($input: KeyworkerConsentGrantInput!) { keyworkerConsentGrant(input: $input) { consent { id inForce } userErrors { field code message } } }",
        json!({ "input": { "clientId": client, "keyworkerId": keyworker, "items": items, "wording": "My keyworker may know how I am getting on.",
            "capturedHow": "IN_PERSON_SIGNED", "effectiveFrom": (now + Days::days(from)).to_rfc3339(), "expiresAt": (now + Days::days(to)).to_rfc3339() } })).await;
    assert_eq!(r.user_errors("keyworkerConsentGrant"), vec![], "{}", r.body);
    r.data("keyworkerConsentGrant.consent.id")
        .as_str()
        .expect("consent")
        .to_string()
}

async fn shares_logged(app: &TestApp) -> usize {
    entities::audit_event::Entity::find()
        .filter(entities::audit_event::Column::Action.eq("SHARED_WITH_KEYWORKER"))
        .all(&app.db)
        .await
        .expect("audit rows")
        .len()
}

struct Service {
    lead: String,
    specialist: String,
    specialist_id: String,
    treatment_team: String,
    keyworker_id: String,
    keyworker: String,
}

/// Team A with its lead and a specialist, a treatment team it serves with one keyworker.
async fn service(app: &TestApp) -> Service {
    let team = app.create_team("Team A").await;
    let (_, _, lead) = app.create_staff("TEAM_LEAD", Some(&team)).await;
    let (specialist_id, _, specialist) = app.create_staff("SPECIALIST", Some(&team)).await;
    let treatment_team = treatment_team(app, &lead, "Riverside Recovery").await;
    let (keyworker_id, keyworker) = keyworker(app, &treatment_team, "Kim Keyworker").await;
    Service {
        lead,
        specialist,
        specialist_id,
        treatment_team,
        keyworker_id,
        keyworker,
    }
}

#[tokio::test]
async fn a_keyworker_refers_and_follows_their_referrals_and_a_specialist_takes_them_to_registration()
 {
    on_each_database(|app| async move {
        let s = service(&app).await;
        let (_, other_keyworker) = keyworker(&app, &s.treatment_team, "Olu Otherkeyworker").await;
        let referral = refer(&app, &s.keyworker, "Pat Referred", today() - Days::days(10), json!({})).await;

        // The keyworker sees their own referral; another keyworker of the same team does not.
        let mine = app.ok(&s.keyworker, &format!("{{ referrals(first: 10) {{ totalCount nodes {{ {REFERRAL_FIELDS} treatmentTeam {{ name }} keyworker {{ name }} }} }} }}"), json!({})).await;
        assert_eq!(mine.data("referrals.totalCount"), 1, "{}", mine.body);
        assert_eq!(mine.data("referrals.nodes.0.treatmentTeam.name"), "Riverside Recovery");
        assert_eq!(mine.data("referrals.nodes.0.keyworker.name"), "Kim Keyworker");
        let theirs = app.ok(&other_keyworker, "{ referrals(first: 10) { totalCount } }", json!({})).await;
        assert_eq!(theirs.data("referrals.totalCount"), 0, "{}", theirs.body);
        let r = app.ok(&other_keyworker, "query($id: ID!) { referral(id: $id) { id } node(id: $id) { id } }", json!({ "id": referral })).await;
        assert_eq!((r.data("referral"), r.data("node")), (&Value::Null, &Value::Null), "{}", r.body);

        // A keyworker refers from their own team only, and cannot move a referral on.
        let r = app.ok(&s.keyworker, "mutation($input: ReferralCreateInput!) { referralCreate(input: $input) { userErrors { field code } } }",
            json!({ "input": { "personName": "Someone", "howTold": "PHONE", "contactPreference": "PHONE", "keyworkerId": s.specialist_id } })).await;
        assert_eq!(r.user_errors("referralCreate"), vec![("input.keyworkerId".to_string(), "INVALID".to_string())]);
        let r = app.graphql(Some(&s.keyworker), "mutation($input: ReferralAdvanceInput!) { referralAdvance(input: $input) { userErrors { code } } }",
            json!({ "input": { "id": referral, "version": 1, "step": "CONTACTED" } })).await;
        assert_eq!(r.error_code(), Some("FORBIDDEN"), "{}", r.body);

        // The specialist of the team that serves the treatment team takes it forward, forwards
        // only: contacted, first meeting, registered (which creates the client).
        assert_eq!(advance(&app, &s.specialist, &referral, "CONTACTED", today() - Days::days(8)).await, vec![]);
        assert_eq!(advance(&app, &s.specialist, &referral, "CONTACTED", today() - Days::days(7)).await,
            vec![("input.step".to_string(), "INVALID".to_string())], "a step already reached is refused");
        assert_eq!(advance(&app, &s.specialist, &referral, "FIRST_MEETING", today() - Days::days(12)).await,
            vec![("input.on".to_string(), "INVALID".to_string())], "not before the referral (or the contact)");
        assert_eq!(advance(&app, &s.specialist, &referral, "FIRST_MEETING", today() - Days::days(6)).await, vec![]);
        let client = register(&app, &s.specialist, &referral, today() - Days::days(6)).await;
        let r = app.ok(&s.specialist, "query($id: ID!) { client(id: $id) { name referralDate referralSource keyworkerName specialist { id } } }", json!({ "id": client })).await;
        assert_eq!(r.data("client.name"), "Pat Referred");
        assert_eq!(r.data("client.referralDate"), (today() - Days::days(10)).to_string().as_str());
        assert_eq!(r.data("client.keyworkerName"), "Kim Keyworker");
        assert_eq!(r.data("client.specialist.id"), s.specialist_id.as_str());
        // Closed now: nothing moves it again.
        let r = not_taken_up(&app, &s.specialist, &referral, "DECLINED", today()).await;
        assert_eq!(r.user_errors("referralNotTakenUp"), vec![("input.id".to_string(), "INVALID".to_string())], "{}", r.body);

        // The keyworker sees the states and dates, and nothing of the client without consent.
        let r = app.ok(&s.keyworker, &format!("query($id: ID!) {{ referral(id: $id) {{ {REFERRAL_FIELDS} }} }}"), json!({ "id": referral })).await;
        assert_eq!(r.data("referral.state"), "REGISTERED");
        assert_eq!(r.data("referral.contactedOn"), (today() - Days::days(8)).to_string().as_str());
        assert_eq!(r.data("referral.firstMeetingOn"), (today() - Days::days(6)).to_string().as_str());
        assert_eq!(r.data("referral.progress"), &Value::Null, "no consent, no progress: {}", r.body);
        let r = app.graphql(Some(&s.keyworker), "query($id: ID!) { referral(id: $id) { client { id } } }", json!({ "id": referral })).await;
        assert_eq!(r.error_code(), Some("FORBIDDEN"), "{}", r.body);
        assert!(!r.body.to_string().contains(&client), "{}", r.body);

        // A team lead of another team sees none of it.
        let other = app.create_team("Team B").await;
        let (_, _, other_lead) = app.create_staff("TEAM_LEAD", Some(&other)).await;
        let r = app.ok(&other_lead, "query($id: ID!) { referral(id: $id) { id } referrals(first: 5) { totalCount } }", json!({ "id": referral })).await;
        assert_eq!((r.data("referral"), r.data("referrals.totalCount")), (&Value::Null, &json!(0)), "{}", r.body);
    })
    .await;
}

#[tokio::test]
async fn a_keyworker_sees_progress_only_under_the_clients_consent_naming_them_and_each_sharing_is_audited()
 {
    on_each_database(|app| async move {
        let s = service(&app).await;
        let (other_id, _) = keyworker(&app, &s.treatment_team, "Olu Otherkeyworker").await;
        let referral = refer(&app, &s.keyworker, "Pat Referred", today() - Days::days(20), json!({})).await;
        let client = register(&app, &s.specialist, &referral, today() - Days::days(15)).await;
        let progress = |token: String| {
            let app = &app;
            let referral = referral.clone();
            async move {
                app.ok(&token, "query($id: ID!) { referral(id: $id) { progress { status since registeredOn employerNames consentVersion } } }", json!({ "id": referral }))
                    .await
                    .data("referral.progress")
                    .clone()
            }
        };
        assert_eq!(progress(s.keyworker.clone()).await, Value::Null);
        assert_eq!(shares_logged(&app).await, 0);

        // A consent naming another keyworker, one not yet in effect, and one expired: nothing.
        grant(&app, &s.specialist, &client, &other_id, &["PROGRESS", "EMPLOYER_NAMES"], -1, 90).await;
        grant(&app, &s.specialist, &client, &s.keyworker_id, &["PROGRESS"], 5, 90).await;
        grant(&app, &s.specialist, &client, &s.keyworker_id, &["PROGRESS"], -30, -1).await;
        assert_eq!(progress(s.keyworker.clone()).await, Value::Null);
        assert_eq!(shares_logged(&app).await, 0, "nothing shared, nothing logged");

        // Consent to progress only: status and dates, no employer.
        grant(&app, &s.specialist, &client, &s.keyworker_id, &["PROGRESS"], -1, 90).await;
        let registered = (today() - Days::days(15)).to_string();
        assert_eq!(progress(s.keyworker.clone()).await,
            json!({ "status": "LOOKING", "since": registered, "registeredOn": registered, "employerNames": [], "consentVersion": 1 }));
        assert_eq!(shares_logged(&app).await, 1, "the sharing is in the audit log");

        // In work at a named employer: the name only once the client agreed to it too.
        let r = app.ok(&s.specialist, "mutation($input: JobStartRecordInput!) { jobStartRecord(input: $input) { userErrors { field code message } } }",
            json!({ "input": { "clientId": client, "employerName": "Harbour Bakery", "title": "Baker", "startDate": (today() - Days::days(3)).to_string(),
                "hoursPerWeek": 20.0, "hourlyPay": 12.5, "contractType": "PERMANENT" } })).await;
        assert_eq!(r.user_errors("jobStartRecord"), vec![], "{}", r.body);
        let version = app.ok(&s.specialist, "query($id: ID!) { client(id: $id) { version } }", json!({ "id": client })).await.data("client.version").clone();
        let r = app.ok(&s.specialist, "mutation($input: ClientStatusChangeInput!) { clientStatusChange(input: $input) { userErrors { field code message } } }",
            json!({ "input": { "id": client, "version": version, "status": "IN_WORK", "on": (today() - Days::days(3)).to_string() } })).await;
        assert_eq!(r.user_errors("clientStatusChange"), vec![], "{}", r.body);
        let seen = progress(s.keyworker.clone()).await;
        assert_eq!((&seen["status"], &seen["since"], &seen["employerNames"]), (&json!("IN_WORK"), &json!((today() - Days::days(3)).to_string()), &json!([])), "{seen}");
        // A new consent replaces the one before (the earlier is revoked in the same commit)...
        let with_names = grant(&app, &s.specialist, &client, &s.keyworker_id, &["PROGRESS", "EMPLOYER_NAMES"], -1, 90).await;
        assert_eq!(progress(s.keyworker.clone()).await["employerNames"], json!(["Harbour Bakery"]));
        // ...so a client can narrow it again: progress only, no names.
        let narrower = grant(&app, &s.specialist, &client, &s.keyworker_id, &["PROGRESS"], -1, 90).await;
        assert_eq!(progress(s.keyworker.clone()).await["employerNames"], json!([]), "the later, narrower consent holds");
        let r = app.graphql(Some(&s.specialist), "mutation($input: KeyworkerConsentRevokeInput!) { keyworkerConsentRevoke(input: $input) { userErrors { field code } } }",
            json!({ "input": { "id": with_names } })).await;
        assert_eq!(r.user_errors("keyworkerConsentRevoke"), vec![("input.id".to_string(), "INVALID".to_string())], "already replaced: {}", r.body);

        // Revoked: nothing again, at once.
        let r = app.ok(&s.specialist, "mutation($input: KeyworkerConsentRevokeInput!) { keyworkerConsentRevoke(input: $input) { consent { status version inForce } userErrors { code } } }",
            json!({ "input": { "id": narrower, "note": "changed their mind" } })).await;
        assert_eq!(r.data("keyworkerConsentRevoke.consent"), &json!({ "status": "REVOKED", "version": 2, "inForce": false }), "{}", r.body);
        let logged = shares_logged(&app).await;
        assert_eq!(progress(s.keyworker.clone()).await, Value::Null);
        assert_eq!(shares_logged(&app).await, logged);
        // The specialist sees the client's keyworker consents; the keyworker's own view is the
        // referral only (the progress field is theirs alone: null for the specialist).
        let r = app.ok(&s.specialist, "query($id: ID!) { client(id: $id) { keyworkerConsents { status items keyworker { name } } } }", json!({ "id": client })).await;
        assert_eq!(r.data("client.keyworkerConsents").as_array().map(Vec::len), Some(6), "{}", r.body);
        assert_eq!(progress(s.specialist.clone()).await, Value::Null);
    })
    .await;
}

/// The keyworker's side of the schema, as this test states it: root fields they may call, and the
/// fields of each type under them they may read. Everything else must answer `FORBIDDEN`.
const KEYWORKER_ROOTS: [&str; 6] = [
    "Query.viewer",
    "Query.referrals",
    "Query.referral",
    "Query.node",
    "Query.nodes",
    "Mutation.referralCreate",
];

fn keyworker_may_read(ty: &str, field: &str) -> bool {
    let allowed: HashMap<&str, &[&str]> = HashMap::from([
        (
            "Staff",
            &["id", "name", "email", "role", "active", "treatmentTeam"][..],
        ),
        ("TreatmentTeam", &["id", "name", "site"][..]),
        (
            "ReferralConnection",
            &["edges", "nodes", "pageInfo", "totalCount"][..],
        ),
        ("ReferralEdge", &["node", "cursor"][..]),
        (
            "PageInfo",
            &["hasNextPage", "hasPreviousPage", "startCursor", "endCursor"][..],
        ),
        (
            "Referral",
            &[
                "id",
                "treatmentTeam",
                "keyworker",
                "recordedBy",
                "referredOn",
                "personName",
                "phone",
                "email",
                "howTold",
                "contactPreference",
                "contactNotes",
                "state",
                "contactedOn",
                "firstMeetingOn",
                "closedOn",
                "notTakenUpReason",
                "progress",
                "createdAt",
                "version",
            ][..],
        ),
        (
            "SharedProgress",
            &[
                "status",
                "since",
                "registeredOn",
                "employerNames",
                "consentVersion",
            ][..],
        ),
        ("ReferralCreatePayload", &["referral", "userErrors"][..]),
        ("UserError", &["field", "code", "message"][..]),
        ("Node", &["id"][..]),
    ]);
    allowed
        .get(ty)
        .is_some_and(|fields| fields.contains(&field))
}

/// Where each type the keyworker may reach is selected from (`X` is replaced by the field).
fn path_to(ty: &str) -> Option<&'static str> {
    Some(match ty {
        "Query" => "query { X }",
        "Mutation" => "mutation { X }",
        "Staff" => "query { viewer { X } }",
        "TreatmentTeam" => "query { viewer { treatmentTeam { X } } }",
        "ReferralConnection" => "query { referrals(first: 5) { X } }",
        "ReferralEdge" => "query { referrals(first: 5) { edges { X } } }",
        "PageInfo" => "query { referrals(first: 5) { pageInfo { X } } }",
        "Referral" => "query { referrals(first: 5) { nodes { X } } }",
        "SharedProgress" => "query { referrals(first: 5) { nodes { progress { X } } } }",
        _ => return None,
    })
}

const TYPES: &str = "{ __schema { types { name kind enumValues { name } inputFields { name defaultValue type { ...T } }
    fields { name args { name defaultValue type { ...T } } type { ...T } } } } }
    fragment T on __Type { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } }";

/// The type under any wrappers, and its kind.
fn named(t: &Value) -> (String, String) {
    let mut t = t;
    while t["name"].is_null() && !t["ofType"].is_null() {
        t = &t["ofType"];
    }
    (
        t["name"].as_str().unwrap_or_default().to_string(),
        t["kind"].as_str().unwrap_or_default().to_string(),
    )
}

/// A literal of type `t` that passes validation (required input fields only).
fn literal(types: &HashMap<String, Value>, t: &Value) -> String {
    match t["kind"].as_str() {
        Some("NON_NULL") => literal(types, &t["ofType"]),
        Some("LIST") => format!("[{}]", literal(types, &t["ofType"])),
        _ => {
            let name = t["name"].as_str().unwrap_or_default();
            let ty = &types[name];
            match ty["kind"].as_str() {
                Some("ENUM") => ty["enumValues"][0]["name"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
                Some("INPUT_OBJECT") => {
                    let fields: Vec<String> = ty["inputFields"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter(|f| f["type"]["kind"] == "NON_NULL" && f["defaultValue"].is_null())
                        .map(|f| {
                            format!(
                                "{}: {}",
                                f["name"].as_str().unwrap_or_default(),
                                literal(types, &f["type"])
                            )
                        })
                        .collect();
                    format!("{{ {} }}", fields.join(", "))
                }
                _ => match name {
                    "Int" => "1".into(),
                    "Float" => "1.5".into(),
                    "Boolean" => "true".into(),
                    "Date" => "\"2026-01-01\"".into(),
                    "DateTime" => "\"2026-01-01T00:00:00Z\"".into(),
                    _ => "\"x\"".into(),
                },
            }
        }
    }
}

/// `field(required args) { __typename }` — a selection of `field` that passes validation.
fn selection(types: &HashMap<String, Value>, field: &Value) -> String {
    let args: Vec<String> = field["args"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|a| a["type"]["kind"] == "NON_NULL" && a["defaultValue"].is_null())
        .map(|a| {
            format!(
                "{}: {}",
                a["name"].as_str().unwrap_or_default(),
                literal(types, &a["type"])
            )
        })
        .collect();
    let args = if args.is_empty() {
        String::new()
    } else {
        format!("({})", args.join(", "))
    };
    let (_, kind) = named(&field["type"]);
    let sub = if matches!(kind.as_str(), "OBJECT" | "INTERFACE" | "UNION") {
        " { __typename }"
    } else {
        ""
    };
    format!("{}{args}{sub}", field["name"].as_str().unwrap_or_default())
}

#[tokio::test]
async fn a_keyworker_reads_nothing_but_their_referrals_on_any_field_the_schema_has() {
    on_each_database(|app| async move {
        let s = service(&app).await;
        let referral = refer(&app, &s.keyworker, "Pat Referred", today() - Days::days(20), json!({})).await;
        let client = register(&app, &s.specialist, &referral, today() - Days::days(15)).await;
        grant(&app, &s.specialist, &client, &s.keyworker_id, &["PROGRESS"], -1, 90).await;
        let employer = app.create_employer(&s.specialist, "Harbour Bakery", "MANUFACTURING").await;

        let schema = app.ok(&s.keyworker, TYPES, json!({})).await.data("__schema.types").clone();
        let types: HashMap<String, Value> = schema.as_array().expect("types").iter()
            .map(|t| (t["name"].as_str().unwrap_or_default().to_string(), t.clone())).collect();

        // The walk: from the roots, through the fields a keyworker may read, to every type they
        // reach; every other field of those types is probed and must be refused.
        let mut stack = vec!["Query".to_string(), "Mutation".to_string(), "Subscription".to_string()];
        let mut seen = BTreeSet::new();
        let mut refused = 0;
        while let Some(ty) = stack.pop() {
            if !seen.insert(ty.clone()) || ty.starts_with("__") {
                continue;
            }
            let Some(t) = types.get(&ty) else { continue };
            for field in t["fields"].as_array().into_iter().flatten() {
                let name = field["name"].as_str().unwrap_or_default();
                let allowed = if ty == "Query" || ty == "Mutation" || ty == "Subscription" {
                    KEYWORKER_ROOTS.contains(&format!("{ty}.{name}").as_str())
                } else {
                    keyworker_may_read(&ty, name)
                };
                let (target, kind) = named(&field["type"]);
                if allowed {
                    // node and nodes return any Node: probed by id below, not walked.
                    if kind == "OBJECT" && !(ty == "Query" && (name == "node" || name == "nodes")) {
                        stack.push(target);
                    }
                    continue;
                }
                if ty == "Subscription" {
                    continue; // below, over a socket
                }
                let path = path_to(&ty).unwrap_or_else(|| panic!("{ty} is reachable by a keyworker but has no path in this test: add one"));
                let query = path.replace('X', &selection(&types, field));
                let r = app.graphql(Some(&s.keyworker), &query, json!({})).await;
                assert_eq!(r.error_code(), Some("FORBIDDEN"), "a keyworker read {ty}.{name}: {query} → {}", r.body);
                assert!(!r.body.to_string().contains(&client), "{}", r.body);
                refused += 1;
            }
        }
        assert!(refused > 60, "only {refused} fields were probed");
        for ty in ["Staff", "TreatmentTeam", "Referral", "SharedProgress", "ReferralConnection"] {
            assert!(seen.contains(ty), "the walk never reached {ty}: {seen:?}");
        }

        // What they may read, they can: their record, their referral and its progress.
        let r = app.ok(&s.keyworker, "{ viewer { role treatmentTeam { name } } referrals(first: 5) { nodes { personName state progress { status } } } }", json!({})).await;
        assert_eq!(r.data("viewer.role"), "KEYWORKER");
        assert_eq!(r.data("referrals.nodes.0.progress.status"), "LOOKING", "{}", r.body);

        // node(id:) finds the referral and their own record, nothing else.
        let specialist_id = s.specialist_id.clone();
        for (id, found) in [(&referral, true), (&s.keyworker_id, true), (&client, false), (&employer, false), (&s.treatment_team, false), (&specialist_id, false)] {
            let r = app.ok(&s.keyworker, "query($id: ID!) { node(id: $id) { id } nodes(ids: [$id]) { id } }", json!({ "id": id })).await;
            assert_eq!(!r.data("node").is_null(), found, "node({id}) for a keyworker: {}", r.body);
            assert_eq!(!r.data("nodes.0").is_null(), found, "nodes([{id}]) for a keyworker: {}", r.body);
        }

        // No subscription opens for a keyworker.
        let mut socket = SocketSession::open(&ws_url(&app, "/graphql"), &s.keyworker);
        socket.send("1", "subscription { vacancyPosted { vacancy { id } } }", json!({}));
        let answer = socket.answer("1", Duration::from_secs(10)).await.expect("an answer");
        assert!(answer.to_string().contains("FORBIDDEN") || answer.to_string().contains("keyworkers open no subscriptions"), "{answer}");
    })
    .await;
}

#[tokio::test]
async fn a_referral_is_closed_for_a_coded_reason_that_can_never_be_readiness_substance_use_or_history()
 {
    on_each_database(|app| async move {
        // The reasons, as the schema offers them, and the input, which has no free text.
        let r = app.ok(&app.admin_token(), "{ reasons: __type(name: \"NotTakenUpReason\") { enumValues { name description } }
            input: __type(name: \"ReferralNotTakenUpInput\") { inputFields { name type { name ofType { name } } } } }", json!({})).await;
        let reasons: Vec<&str> = r.data("reasons.enumValues").as_array().expect("values").iter().filter_map(|v| v["name"].as_str()).collect();
        assert_eq!(reasons, ["DECLINED", "COULD_NOT_CONTACT", "MOVED_AWAY", "ALREADY_IN_WORK", "CHOSE_ANOTHER_SERVICE", "DUPLICATE_REFERRAL"]);
        let banned = ["READY", "READI", "MOTIVAT", "SUBSTANCE", "DRUG", "ALCOHOL", "USE", "DRINK", "RELAPSE", "HISTORY", "CRIMINAL", "OFFEND", "RECORD", "STABLE", "TREATMENT", "HEALTH"];
        for value in r.data("reasons.enumValues").as_array().expect("values") {
            let text = value.to_string().to_uppercase();
            for word in text.split(|c: char| !c.is_ascii_alphanumeric()) {
                assert!(!banned.iter().any(|b| word.starts_with(b)), "the reason {value} speaks of {word}");
            }
        }
        let fields: BTreeSet<&str> = r.data("input.inputFields").as_array().expect("fields").iter().filter_map(|f| f["name"].as_str()).collect();
        assert_eq!(fields, BTreeSet::from(["id", "version", "reason", "on"]), "no room for free text");
        // A value the type lacks is refused before anything runs.
        let s = service(&app).await;
        let referral = refer(&app, &s.keyworker, "Pat Referred", today() - Days::days(5), json!({})).await;
        for reason in ["NOT_READY", "ACTIVE_SUBSTANCE_USE", "CRIMINAL_HISTORY"] {
            let r = not_taken_up(&app, &s.specialist, &referral, reason, today()).await;
            assert_eq!(r.error_code(), Some("GRAPHQL_VALIDATION_FAILED"), "{reason}: {}", r.body);
            assert!(r.body.get("data").is_none(), "{}", r.body);
        }
        let r = not_taken_up(&app, &s.specialist, &referral, "COULD_NOT_CONTACT", today()).await;
        assert_eq!(r.data("referralNotTakenUp.referral"), &json!({ "state": "NOT_TAKEN_UP", "notTakenUpReason": "COULD_NOT_CONTACT", "closedOn": today().to_string() }), "{}", r.body);
        assert_eq!(advance(&app, &s.specialist, &referral, "CONTACTED", today()).await, vec![("input.id".to_string(), "INVALID".to_string())]);
    })
    .await;
}

#[tokio::test]
async fn specialists_are_attached_to_at_most_two_treatment_teams_their_team_serves() {
    on_each_database(|app| async move {
        let s = service(&app).await;
        let second = treatment_team(&app, &s.lead, "Harbour Alcohol Service").await;
        let third = treatment_team(&app, &s.lead, "Northside Criminal Justice Team").await;
        let attach = |tt: String, specialist: String, token: String| {
            let app = &app;
            async move {
                app.graphql(Some(&token), "mutation($input: TreatmentTeamSpecialistInput!) { treatmentTeamSpecialistAttach(input: $input) { treatmentTeam { name specialists { id } } userErrors { field code message } } }",
                    json!({ "input": { "treatmentTeamId": tt, "specialistId": specialist } })).await
            }
        };
        for tt in [&s.treatment_team, &second] {
            let r = attach(tt.clone(), s.specialist_id.clone(), s.lead.clone()).await;
            assert_eq!(r.user_errors("treatmentTeamSpecialistAttach"), vec![], "{}", r.body);
        }
        // Again: no change. A third: refused.
        let r = attach(second.clone(), s.specialist_id.clone(), s.lead.clone()).await;
        assert_eq!(r.data("treatmentTeamSpecialistAttach.treatmentTeam.specialists").as_array().map(Vec::len), Some(1), "{}", r.body);
        let r = attach(third.clone(), s.specialist_id.clone(), s.lead.clone()).await;
        assert_eq!(r.user_errors("treatmentTeamSpecialistAttach"), vec![("input.specialistId".to_string(), "INVALID".to_string())], "{}", r.body);
        let r = app.ok(&s.specialist, "{ viewer { attachedTreatmentTeams { name } } }", json!({})).await;
        assert_eq!(r.data("viewer.attachedTreatmentTeams"), &json!([{ "name": "Harbour Alcohol Service" }, { "name": "Riverside Recovery" }]));
        // A specialist does not attach themselves; a lead of another team cannot attach them.
        let r = attach(third.clone(), s.specialist_id.clone(), s.specialist.clone()).await;
        assert_eq!(r.error_code(), Some("FORBIDDEN"), "{}", r.body);
        let other = app.create_team("Team B").await;
        let (_, _, other_lead) = app.create_staff("TEAM_LEAD", Some(&other)).await;
        let r = attach(third.clone(), s.specialist_id.clone(), other_lead).await;
        assert!(r.user_errors("treatmentTeamSpecialistAttach").contains(&("input.treatmentTeamId".to_string(), "NOT_FOUND".to_string())), "{}", r.body);
        // Moving to another team leaves the old team's treatment teams behind.
        let version = app.ok(&app.admin_token(), "query($id: ID!) { node(id: $id) { ... on Staff { version } } }", json!({ "id": s.specialist_id })).await.data("node.version").clone();
        let r = app.ok(&app.admin_token(), "mutation($input: StaffUpdateInput!) { staffUpdate(input: $input) { userErrors { field code message } } }",
            json!({ "input": { "id": s.specialist_id, "version": version, "teamId": other } })).await;
        assert_eq!(r.user_errors("staffUpdate"), vec![], "{}", r.body);
        let r = app.ok(&s.specialist, "{ viewer { attachedTreatmentTeams { name } } }", json!({})).await;
        assert_eq!(r.data("viewer.attachedTreatmentTeams"), &json!([]), "{}", r.body);
    })
    .await;
}

#[tokio::test]
async fn the_referral_funnel_counts_every_team_and_keyworker_in_scope_including_those_that_do_not_refer()
 {
    on_each_database(|app| async move {
        let s = service(&app).await;
        // Riverside Recovery has Kim (s.keyworker) and Kit; Harbour has Hana, who refers nobody.
        let (_, kit) = keyworker(&app, &s.treatment_team, "Kit Keyworker").await;
        let harbour = treatment_team(&app, &s.lead, "Harbour Alcohol Service").await;
        keyworker(&app, &harbour, "Hana Harbour").await;
        let r = app.ok(&s.lead, "mutation($input: TreatmentTeamSpecialistInput!) { treatmentTeamSpecialistAttach(input: $input) { userErrors { code } } }",
            json!({ "input": { "treatmentTeamId": s.treatment_team, "specialistId": s.specialist_id } })).await;
        assert_eq!(r.user_errors("treatmentTeamSpecialistAttach"), vec![]);
        let day = |n: i64| today() - Days::days(n);
        // Kim refers three in the range:
        //   A on day -30: first meeting day -26 (4 days), registered;
        //   B on day -30: first meeting day -20 (10 days), then not taken up;
        //   C on day -5: still received.
        // Kit refers D on day -12, contacted only; and E on day -100, before the range.
        let a = refer(&app, &s.keyworker, "Ann", day(30), json!({})).await;
        let b = refer(&app, &s.keyworker, "Ben", day(30), json!({})).await;
        refer(&app, &s.keyworker, "Cal", day(5), json!({})).await;
        let d = refer(&app, &kit, "Dee", day(12), json!({})).await;
        refer(&app, &kit, "Eve", day(100), json!({})).await;
        assert_eq!(advance(&app, &s.specialist, &a, "FIRST_MEETING", day(26)).await, vec![]);
        register(&app, &s.specialist, &a, day(25)).await;
        assert_eq!(advance(&app, &s.specialist, &b, "FIRST_MEETING", day(20)).await, vec![]);
        let r = not_taken_up(&app, &s.specialist, &b, "DECLINED", day(18)).await;
        assert_eq!(r.user_errors("referralNotTakenUp"), vec![], "{}", r.body);
        assert_eq!(advance(&app, &s.specialist, &d, "CONTACTED", day(10)).await, vec![]);
        // So, from day -60 to today: 4 referrals (Eve is outside); RECEIVED 1 (Cal), CONTACTED 1
        // (Dee), FIRST_MEETING 0, REGISTERED 1 (Ann), NOT_TAKEN_UP 1 (Ben). Riverside 4 / 2 first
        // meetings / 1 registered / 1 not taken up; Harbour all noughts. Kim 3/2/1/1, Kit 1/0/0/0,
        // Hana 0/0/0/0. Days to first meeting 4 and 10: median 7. Registered 1 of 4: 25 %.
        let query = "query($scope: FidelityScopeInput, $from: Date!, $to: Date!) { referralFunnel(scope: $scope, from: $from, to: $to) {
            label total byState { state count } medianDaysToFirstMeeting registeredPercent
            byTreatmentTeam { name referrals firstMeetings registered notTakenUp }
            byKeyworker { name treatmentTeamName referrals firstMeetings registered notTakenUp } } }";
        let vars = |scope: Value| json!({ "scope": scope, "from": day(60).to_string(), "to": today().to_string() });
        let r = app.ok(&s.lead, query, vars(Value::Null)).await;
        let f = r.data("referralFunnel");
        assert_eq!(f["label"], "Team A");
        assert_eq!(f["total"], 4);
        assert_eq!(f["byState"], json!([{ "state": "RECEIVED", "count": 1 }, { "state": "CONTACTED", "count": 1 }, { "state": "FIRST_MEETING", "count": 0 },
            { "state": "REGISTERED", "count": 1 }, { "state": "NOT_TAKEN_UP", "count": 1 }]));
        assert_eq!(f["byTreatmentTeam"], json!([
            { "name": "Harbour Alcohol Service", "referrals": 0, "firstMeetings": 0, "registered": 0, "notTakenUp": 0 },
            { "name": "Riverside Recovery", "referrals": 4, "firstMeetings": 2, "registered": 1, "notTakenUp": 1 }]));
        assert_eq!(f["byKeyworker"], json!([
            { "name": "Hana Harbour", "treatmentTeamName": "Harbour Alcohol Service", "referrals": 0, "firstMeetings": 0, "registered": 0, "notTakenUp": 0 },
            { "name": "Kim Keyworker", "treatmentTeamName": "Riverside Recovery", "referrals": 3, "firstMeetings": 2, "registered": 1, "notTakenUp": 1 },
            { "name": "Kit Keyworker", "treatmentTeamName": "Riverside Recovery", "referrals": 1, "firstMeetings": 0, "registered": 0, "notTakenUp": 0 }]));
        assert_eq!(f["medianDaysToFirstMeeting"], 7.0);
        assert_eq!(f["registeredPercent"], 25.0);
        // The specialist's own funnel covers the treatment team they are attached to only.
        let r = app.ok(&s.specialist, query, vars(json!({}))).await;
        let names: Vec<&str> = r.data("referralFunnel.byTreatmentTeam").as_array().expect("teams").iter().filter_map(|t| t["name"].as_str()).collect();
        assert_eq!(names, ["Riverside Recovery"]);
        // Keyworkers and admins get no funnel.
        for token in [s.keyworker.clone(), app.admin_token()] {
            let r = app.graphql(Some(&token), query, vars(Value::Null)).await;
            assert_eq!(r.error_code(), Some("FORBIDDEN"), "{}", r.body);
        }
    })
    .await;
}
