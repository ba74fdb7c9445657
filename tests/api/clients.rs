//! Clients and caseloads: who reaches which client through every path (the role × field matrix),
//! special-category reads behind a purpose and in the audit log, reassignment with history, and the
//! versioned profile and preferences.

use serde_json::{Value, json};

use crate::helpers::{TestApp, on_each_database};

const REGISTER: &str = "mutation($input: ClientRegisterInput!) { clientRegister(input: $input) { client { id version } userErrors { field code message } } }";

/// Every field of `Client` with a selection that reads it (the matrix walks each one alone).
const CLIENT_FIELDS: &[&str] = &[
    "id",
    "name",
    "phone",
    "email",
    "town",
    "postcode",
    "team { name }",
    "referralDate",
    "referralSource",
    "keyworkerName",
    "keyworkerContact",
    "status",
    "statusHistory { status startedOn endedOn reason recordedBy { name } }",
    "specialist { name }",
    "assignments { specialist { name } assignedFrom assignedTo reason assignedBy { name } }",
    "sensitive(purpose: SUPPORT_PLANNING) { primarySubstanceGroup treatmentStatus criminalRecordStatus benefitsStatus version recordedAt recordedBy { name } }",
    "profile { version workGoal workHistory skills qualifications licences barriers recordedAt recordedBy { name } }",
    "profileHistory { version }",
    "preferences { version occupations occupationTitles keywords sectors hoursPerWeekMin hoursPerWeekMax shifts freeWindows { days from to reason } contractTypes minHourlyPay homeTown homeLatitude homeLongitude maxTravelKm remoteOk avoidEnvironments preferEnvironments recordedAt recordedBy { name } }",
    "preferencesHistory { version }",
    "createdAt",
    "updatedAt",
    "version",
];

/// Registers a client as `token` (a specialist: onto their own caseload); returns (id, version).
async fn register(app: &TestApp, token: &str, name: &str) -> String {
    let input = json!({ "name": name, "phone": "07700 900123", "email": "client@example.org", "town": "Leeds", "postcode": "LS1 4AP",
        "referralDate": "2026-10-01", "referralSource": "TREATMENT_KEYWORKER", "keyworkerName": "Kim Keyworker", "keyworkerContact": "0113 496 0000" });
    let r = app.ok(token, REGISTER, json!({ "input": input })).await;
    assert_eq!(r.user_errors("clientRegister"), vec![], "{}", r.body);
    r.data("clientRegister.client.id")
        .as_str()
        .expect("id")
        .to_string()
}

/// Records sensitive facts, a profile and preferences, so every field has something to show.
async fn fill(app: &TestApp, token: &str, client: &str) {
    let r = app
        .ok(token, "mutation($input: ClientSensitiveRecordInput!) { clientSensitiveRecord(input: $input) { client { id } userErrors { field code } } }",
            json!({ "input": { "clientId": client, "primarySubstanceGroup": "ALCOHOL_ONLY", "treatmentStatus": "IN_TREATMENT", "criminalRecordStatus": "SPENT_ONLY", "benefitsStatus": "UNIVERSAL_CREDIT" } }))
        .await;
    assert_eq!(r.user_errors("clientSensitiveRecord"), vec![], "{}", r.body);
    let r = app
        .ok(token, "mutation($input: VocationalProfileRecordInput!) { vocationalProfileRecord(input: $input) { profile { version } userErrors { field code } } }",
            json!({ "input": { "clientId": client, "workGoal": "Steady warehouse work", "workHistory": "Picker, 2015-2019", "skills": ["Picking", "Stock counts"],
                "qualifications": ["Level 1 English"], "licences": ["FORKLIFT"], "barriers": "No car" } }))
        .await;
    assert_eq!(
        r.user_errors("vocationalProfileRecord"),
        vec![],
        "{}",
        r.body
    );
    let r = app
        .ok(token, "mutation($input: JobPreferencesRecordInput!) { jobPreferencesRecord(input: $input) { preferences { version } userErrors { field code } } }",
            json!({ "input": { "clientId": client, "occupations": ["9260"], "occupationTitles": ["Warehouse operative"], "keywords": ["forklift"],
                "sectors": ["TRANSPORT_STORAGE"], "hoursPerWeekMin": 16.0, "hoursPerWeekMax": 30.0, "shifts": ["DAYS"],
                "freeWindows": [{ "days": ["MON", "THU"], "from": "08:00", "to": "09:30", "reason": "dispensing" }],
                "contractTypes": ["PERMANENT"], "minHourlyPay": 11.5, "homeTown": "Leeds", "homeLatitude": 53.8, "homeLongitude": -1.55,
                "maxTravelKm": 15.0, "avoidEnvironments": ["ALCOHOL_SERVED"], "preferEnvironments": ["HEAVY_LIFTING"] } }))
        .await;
    assert_eq!(r.user_errors("jobPreferencesRecord"), vec![], "{}", r.body);
}

fn selection_is_filled(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::Array(items) => !items.is_empty(),
        _ => true,
    }
}

#[tokio::test]
async fn every_client_field_is_reached_by_exactly_the_caseload_and_the_team_lead() {
    on_each_database(|app| async move {
        let team_a = app.create_team("Leeds IPS").await;
        let team_b = app.create_team("Bradford IPS").await;
        let (_, _, owner) = app.create_staff("SPECIALIST", Some(&team_a)).await;
        let (_, _, colleague) = app.create_staff("SPECIALIST", Some(&team_a)).await;
        let (_, _, lead) = app.create_staff("TEAM_LEAD", Some(&team_a)).await;
        let (_, _, other_specialist) = app.create_staff("SPECIALIST", Some(&team_b)).await;
        let (_, _, other_lead) = app.create_staff("TEAM_LEAD", Some(&team_b)).await;
        let admin = app.admin_token();
        let client = register(&app, &owner, "Jordan Example").await;
        fill(&app, &owner, &client).await;

        let roles: [(&str, &str, bool); 6] = [
            ("the client's specialist", &owner, true),
            ("their team lead", &lead, true),
            ("another specialist of the team", &colleague, false),
            ("a specialist of another team", &other_specialist, false),
            ("another team's lead", &other_lead, false),
            ("an admin", &admin, false),
        ];
        let mut cells = 0;
        for (who, token, allowed) in roles {
            for field in CLIENT_FIELDS {
                let name = field.split(['(', ' ']).next().expect("field name");
                for (path, query) in [
                    ("client", format!("query($id: ID!) {{ client(id: $id) {{ {field} }} }}")),
                    ("node", format!("query($id: ID!) {{ node(id: $id) {{ ... on Client {{ {field} }} }} }}")),
                    ("nodes", format!("query($id: ID!) {{ nodes(ids: [$id]) {{ ... on Client {{ {field} }} }} }}")),
                    ("clients", format!("{{ clients(first: 100) {{ totalCount nodes {{ {field} }} }} }}")),
                ] {
                    let r = app.ok(token, &query, json!({ "id": client })).await;
                    let found = match path {
                        "client" => r.data("client").clone(),
                        "node" => r.data("node").clone(),
                        "nodes" => r.data("nodes.0").clone(),
                        _ => r.data("clients.nodes.0").clone(),
                    };
                    if allowed {
                        assert!(selection_is_filled(&found[name]), "{who} should read {field} through {path}: {}", r.body);
                    } else {
                        assert!(found.is_null(), "{who} must not reach the client through {path} ({field}): {}", r.body);
                        if path == "clients" {
                            assert_eq!(r.data("clients.totalCount"), 0, "{who}: {}", r.body);
                        }
                    }
                    cells += 1;
                }
            }
            // Writes: out of reach answers exactly like a missing client.
            let writes = [
                ("clientUpdate", "mutation($id: ID!) { clientUpdate(input: { id: $id, version: 999, name: \"X\" }) { client { id } userErrors { field code } } }"),
                ("clientStatusChange", "mutation($id: ID!) { clientStatusChange(input: { id: $id, version: 999, status: PAUSED }) { client { id } userErrors { field code } } }"),
                ("clientSensitiveRecord", "mutation($id: ID!) { clientSensitiveRecord(input: { clientId: $id }) { client { id } userErrors { field code } } }"),
                ("vocationalProfileRecord", "mutation($id: ID!) { vocationalProfileRecord(input: { clientId: $id }) { profile { version } userErrors { field code } } }"),
                ("jobPreferencesRecord", "mutation($id: ID!) { jobPreferencesRecord(input: { clientId: $id }) { preferences { version } userErrors { field code } } }"),
            ];
            for (mutation, query) in writes {
                let r = app.ok(token, query, json!({ "id": client })).await;
                let errors = r.user_errors(mutation);
                if allowed {
                    assert!(!errors.iter().any(|(_, code)| code == "NOT_FOUND"), "{who} may write {mutation}: {}", r.body);
                } else {
                    let field = if mutation.starts_with("client") && !mutation.contains("Record") { "id" } else { "clientId" };
                    assert_eq!(errors, vec![(format!("input.{field}"), "NOT_FOUND".to_string())], "{who} must not write {mutation}: {}", r.body);
                }
                cells += 1;
            }
        }
        assert_eq!(cells, 6 * (CLIENT_FIELDS.len() * 4 + 5));
    })
    .await;
}

#[tokio::test]
async fn reading_special_category_facts_is_audited_before_anything_is_returned() {
    on_each_database(|app| async move {
        let (_, _, token) = app.specialist().await;
        let client = register(&app, &token, "Sam Sensitive").await;
        fill(&app, &token, &client).await;
        let audit_rows = async || -> Vec<(String, Option<String>, String)> {
            use sea_orm::{EntityTrait, QueryOrder};
            entities::audit_event::Entity::find()
                .order_by_asc(entities::audit_event::Column::Seq)
                .all(&app.db)
                .await
                .expect("audit rows")
                .into_iter()
                .map(|row| (row.action, row.purpose, row.detail))
                .collect()
        };
        let before = audit_rows().await;
        assert_eq!(before.len(), 1, "recording the facts is audited: {before:?}");

        // Reading the client without the sensitive type writes nothing.
        app.ok(&token, "query($id: ID!) { client(id: $id) { name profile { workGoal } } }", json!({ "id": client })).await;
        assert_eq!(audit_rows().await.len(), 1);

        let r = app
            .ok(&token, "query($id: ID!) { client(id: $id) { sensitive(purpose: RISK_ASSESSMENT) { primarySubstanceGroup criminalRecordStatus } } }", json!({ "id": client }))
            .await;
        assert_eq!(r.data("client.sensitive.primarySubstanceGroup"), "ALCOHOL_ONLY");
        let after = audit_rows().await;
        assert_eq!(after.len(), 2);
        let (action, purpose, detail) = &after[1];
        assert_eq!((action.as_str(), purpose.as_deref()), ("SENSITIVE_READ", Some("RISK_ASSESSMENT")));
        assert!(!detail.contains("ALCOHOL") && !detail.contains("SPENT"), "the log names fields, never values: {detail}");

        // Without a purpose the read is refused before anything is read or written.
        let r = app.graphql(Some(&token), "query($id: ID!) { client(id: $id) { sensitive { primarySubstanceGroup } } }", json!({ "id": client })).await;
        assert!(r.body["errors"].is_array(), "{}", r.body);
        assert_eq!(audit_rows().await.len(), 2);

        // The database refuses edits and deletions of the log.
        assert_eq!(ipsmatch::log_chain::first_broken_link(&app.db, ipsmatch::log_chain::Log::Audit).await.expect("verify"), None);
        for sql in ["UPDATE audit_event SET purpose = 'CLIENT_REQUEST'", "DELETE FROM audit_event"] {
            let refused = sea_orm::ConnectionTrait::execute_unprepared(&app.db, sql).await;
            assert!(refused.is_err(), "{sql} must be refused");
        }
        // Someone with rights over the schema lifts the guard and edits a row: the chain shows it.
        crate::consent::lift_append_only_guard(&app, "audit_event").await;
        sea_orm::ConnectionTrait::execute_unprepared(&app.db, "UPDATE audit_event SET purpose = 'CLIENT_REQUEST' WHERE action = 'SENSITIVE_READ'")
            .await
            .expect("tamper");
        let broken = ipsmatch::log_chain::first_broken_link(&app.db, ipsmatch::log_chain::Log::Audit).await.expect("verify");
        assert_eq!(broken, Some(2));
    })
    .await;
}

#[tokio::test]
async fn reassigning_moves_the_client_between_caseloads_and_keeps_the_history() {
    on_each_database(|app| async move {
        let team = app.create_team("Wakefield IPS").await;
        let (_, _, first) = app.create_staff("SPECIALIST", Some(&team)).await;
        let (second_id, _, second) = app.create_staff("SPECIALIST", Some(&team)).await;
        let (_, _, lead) = app.create_staff("TEAM_LEAD", Some(&team)).await;
        let client = register(&app, &first, "Alex Moving").await;
        let assign = "mutation($input: ClientAssignInput!) { clientAssign(input: $input) { client { id } userErrors { field code } } }";

        // A specialist cannot hand clients over; a team lead can.
        let r = app.graphql(Some(&first), assign, json!({ "input": { "id": client, "specialistId": second_id } })).await;
        assert_eq!(r.error_code(), Some("FORBIDDEN"), "{}", r.body);
        let r = app.ok(&lead, assign, json!({ "input": { "id": client, "specialistId": second_id, "reason": "caseload balance" } })).await;
        assert_eq!(r.user_errors("clientAssign"), vec![], "{}", r.body);

        let seen = async |token: &str| app.ok(token, "{ clients { totalCount } }", json!({})).await.data("clients.totalCount").as_i64();
        assert_eq!(seen(&first).await, Some(0), "the first specialist no longer reaches the client");
        assert_eq!(seen(&second).await, Some(1));
        let r = app
            .ok(&second, "query($id: ID!) { client(id: $id) { specialist { id } assignments { assignedTo reason } } }", json!({ "id": client }))
            .await;
        assert_eq!(r.data("client.specialist.id"), second_id.as_str());
        let history = r.data("client.assignments").as_array().expect("history").clone();
        assert_eq!(history.len(), 2, "{}", r.body);
        assert!(history[0]["assignedTo"].is_string() && history[1]["assignedTo"].is_null());
        assert_eq!(history[1]["reason"], "caseload balance");

        // Only specialists of the client's own team can take them.
        let other_team = app.create_team("Elsewhere").await;
        let (outsider_id, _, _) = app.create_staff("SPECIALIST", Some(&other_team)).await;
        let r = app.ok(&lead, assign, json!({ "input": { "id": client, "specialistId": outsider_id } })).await;
        assert_eq!(r.user_errors("clientAssign"), vec![("input.specialistId".to_string(), "NOT_FOUND".to_string())]);
    })
    .await;
}

#[tokio::test]
async fn registration_status_episodes_and_versioned_preferences() {
    on_each_database(|app| async move {
        let (_, _, token) = app.specialist().await;
        let admin = app.admin_token();
        let input = json!({ "name": "Robin Admin-Made", "referralDate": "2026-10-01", "referralSource": "SELF_REFERRAL" });
        let r = app.graphql(Some(&admin), REGISTER, json!({ "input": input })).await;
        assert_eq!(r.error_code(), Some("FORBIDDEN"), "admins hold no caseload: {}", r.body);

        // Problems are named by field, together.
        let r = app
            .ok(&token, REGISTER, json!({ "input": { "name": " ", "email": "not-an-email", "referralDate": "2999-01-01", "referralSource": "OTHER" } }))
            .await;
        let fields: Vec<String> = r.user_errors("clientRegister").into_iter().map(|(f, _)| f).collect();
        assert_eq!(fields, vec!["input.name", "input.email", "input.referralDate"], "{}", r.body);

        let client = register(&app, &token, "Casey Example").await;
        let change = "mutation($input: ClientStatusChangeInput!) { clientStatusChange(input: $input) { client { status version statusHistory { status startedOn endedOn } } userErrors { field code } } }";
        let r = app.ok(&token, change, json!({ "input": { "id": client, "version": 1, "status": "PAUSED", "on": "2026-11-01", "reason": "treatment first" } })).await;
        assert_eq!(r.data("clientStatusChange.client.status"), "PAUSED", "{}", r.body);
        let history = r.data("clientStatusChange.client.statusHistory").clone();
        assert_eq!(history, json!([
            { "status": "ACTIVE", "startedOn": "2026-10-01", "endedOn": "2026-11-01" },
            { "status": "PAUSED", "startedOn": "2026-11-01", "endedOn": null },
        ]));
        let r = app.ok(&token, change, json!({ "input": { "id": client, "version": 1, "status": "ACTIVE" } })).await;
        assert_eq!(r.user_errors("clientStatusChange"), vec![("input.version".to_string(), "STALE_VERSION".to_string())]);

        // Preferences: bad values named by field; each record a new version, history kept.
        let record = "mutation($input: JobPreferencesRecordInput!) { jobPreferencesRecord(input: $input) { preferences { version minHourlyPay } userErrors { field code } } }";
        let r = app
            .ok(&token, record, json!({ "input": { "clientId": client, "occupations": ["92x"], "hoursPerWeekMin": 30.0, "hoursPerWeekMax": 10.0,
                "maxTravelKm": 10.0, "freeWindows": [{ "days": ["MON"], "from": "10:00", "to": "09:00" }],
                "avoidEnvironments": ["DRIVING"], "preferEnvironments": ["DRIVING"] } }))
            .await;
        let fields: Vec<String> = r.user_errors("jobPreferencesRecord").into_iter().map(|(f, _)| f).collect();
        assert_eq!(fields, vec!["input.occupations", "input.hoursPerWeekMax", "input.maxTravelKm", "input.freeWindows", "input.preferEnvironments"], "{}", r.body);
        for pay in [11.0, 12.5] {
            let r = app.ok(&token, record, json!({ "input": { "clientId": client, "minHourlyPay": pay } })).await;
            assert_eq!(r.user_errors("jobPreferencesRecord"), vec![], "{}", r.body);
        }
        let r = app
            .ok(&token, "query($id: ID!) { client(id: $id) { preferences { version minHourlyPay } preferencesHistory { version minHourlyPay } } }", json!({ "id": client }))
            .await;
        assert_eq!(r.data("client.preferences"), &json!({ "version": 2, "minHourlyPay": 12.5 }));
        assert_eq!(r.data("client.preferencesHistory"), &json!([{ "version": 2, "minHourlyPay": 12.5 }, { "version": 1, "minHourlyPay": 11.0 }]));
    })
    .await;
}
