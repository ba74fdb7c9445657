//! Disclosure consent: every gated path at every level, expiry, revocation (including one racing
//! introductions), wrong employer, wrong items, the employer-facing profile, the accounting of
//! disclosures, and the append-only, hash-chained log checked by `ipsmatch audit verify`.

use serde_json::{Value, json};

use crate::helpers::{Backend, TestApp, on_each_database};

const GRANT: &str = "mutation($input: ConsentGrantInput!) { consentGrant(input: $input) { consent { id version level items inForce } userErrors { field code message } } }";
const INTRODUCE: &str = "mutation($input: ClientIntroduceInput!) { clientIntroduce(input: $input) { profile { name items { item statement } consentVersion } userErrors { field code message } } }";

/// Drops the trigger that keeps `table` append-only, as someone with rights over the schema could.
pub async fn lift_append_only_guard(app: &TestApp, table: &str) {
    let statements: Vec<String> = match app.backend {
        Backend::Sqlite => vec![
            format!("DROP TRIGGER {table}_no_update"),
            format!("DROP TRIGGER {table}_no_delete"),
        ],
        Backend::Postgres(_) => vec![format!(
            "ALTER TABLE {table} DISABLE TRIGGER {table}_append_only"
        )],
    };
    for sql in statements {
        sea_orm::ConnectionTrait::execute_unprepared(&app.db, &sql)
            .await
            .expect("lift the guard");
    }
}

struct World {
    token: String,
    client: String,
    employer: String,
    other_employer: String,
    contact: String,
}

async fn world(app: &TestApp) -> World {
    let (_, _, token) = app.specialist().await;
    let r = app
        .ok(&token, "mutation($input: ClientRegisterInput!) { clientRegister(input: $input) { client { id } userErrors { field code } } }",
            json!({ "input": { "name": "Morgan Consent", "referralDate": "2026-08-01", "referralSource": "TREATMENT_KEYWORKER" } }))
        .await;
    let client = r
        .data("clientRegister.client.id")
        .as_str()
        .expect("client")
        .to_string();
    let employer = app
        .create_employer(&token, "Calder Foods", "MANUFACTURING")
        .await;
    let other_employer = app
        .create_employer(&token, "Aire Logistics", "TRANSPORT_STORAGE")
        .await;
    let r = app
        .ok(&token, "mutation($input: EmployerContactCreateInput!) { employerContactCreate(input: $input) { contact { id } userErrors { field code message } } }",
            json!({ "input": { "employerId": employer, "name": "Jo Manager", "jobTitle": "Site manager", "preferredChannel": "PHONE" } }))
        .await;
    let contact = r
        .data("employerContactCreate.contact.id")
        .as_str()
        .unwrap_or_else(|| panic!("contact: {}", r.body))
        .to_string();
    World {
        token,
        client,
        employer,
        other_employer,
        contact,
    }
}

fn grant_input(w: &World, level: &str, items: Value, who: &str) -> Value {
    // General liaison: the purpose that allows every act (see the gate's purpose table).
    json!({ "clientId": w.client, "employerId": w.employer, "purpose": "LIAISON", "level": level, "items": items,
        "whoDiscloses": who, "wording": "You may tell Calder Foods that I am supported by the Leeds employment service.",
        "capturedHow": "IN_PERSON_SIGNED", "expiresAt": "2027-06-30T00:00:00Z" })
}

async fn grant(app: &TestApp, w: &World, input: Value) -> String {
    let r = app.ok(&w.token, GRANT, json!({ "input": input })).await;
    assert_eq!(r.user_errors("consentGrant"), vec![], "{}", r.body);
    r.data("consentGrant.consent.id")
        .as_str()
        .expect("consent id")
        .to_string()
}

async fn disclosures(app: &TestApp, w: &World) -> Vec<Value> {
    app.ok(&w.token, "query($id: ID!) { client(id: $id) { disclosures { act items consentVersion channel employer { name } } } }", json!({ "id": w.client }))
        .await
        .data("client.disclosures")
        .as_array()
        .expect("disclosures")
        .clone()
}

/// The four acts that tell an employer about a client, each tried once; true when it went through.
async fn every_gated_path(
    app: &TestApp,
    w: &World,
    employer: &str,
) -> Vec<(&'static str, Result<(), String>)> {
    let mut out = Vec::new();
    let refusal = |r: &crate::helpers::Response, path: &str| -> Result<(), String> {
        let errors = r.user_errors(path);
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors
                .into_iter()
                .map(|(f, c)| format!("{f}:{c}"))
                .collect::<Vec<_>>()
                .join(","))
        }
    };
    let r = app.ok(&w.token, INTRODUCE, json!({ "input": { "clientId": w.client, "employerId": employer, "items": ["SERVICE_AFFILIATION"], "channel": "PHONE" } })).await;
    out.push(("introduction", refusal(&r, "clientIntroduce")));

    let r = app
        .ok(&w.token, "mutation($input: EngagementCreateInput!) { engagementCreate(input: $input) { engagement { id } userErrors { field code message } } }",
            json!({ "input": { "employerId": employer, "occurredAt": "2026-11-20T10:00:00Z", "mode": "FACE_TO_FACE", "purpose": "PRESENT_CANDIDATE",
                "outcome": "Talked about the candidate", "clientIds": [w.client] } }))
        .await;
    out.push((
        "engagement naming the client",
        refusal(&r, "engagementCreate"),
    ));

    let vacancy = app
        .ok(&w.token, "mutation($input: VacancyCreateInput!) { vacancyCreate(input: $input) { vacancy { id } userErrors { field code } } }",
            json!({ "input": { "title": "Packer", "employerId": employer, "contractType": "PERMANENT", "status": "OPEN" } }))
        .await
        .data("vacancyCreate.vacancy.id")
        .as_str()
        .expect("vacancy")
        .to_string();
    let r = app
        .ok(&w.token, "mutation($input: ApplicationCreateInput!) { applicationCreate(input: $input) { application { id } userErrors { field code message } } }",
            json!({ "input": { "clientId": w.client, "vacancyId": vacancy, "stage": "APPLIED", "submittedBy": "SPECIALIST" } }))
        .await;
    out.push((
        "application sent by the specialist",
        refusal(&r, "applicationCreate"),
    ));

    let job = app
        .ok(&w.token, "mutation($input: JobStartRecordInput!) { jobStartRecord(input: $input) { job { id } userErrors { field code message } } }",
            json!({ "input": { "clientId": w.client, "employerId": employer, "title": "Packer", "startDate": "2026-11-02", "hoursPerWeek": 20.0,
                "hourlyPay": 12.5, "contractType": "PERMANENT" } }))
        .await
        .data("jobStartRecord.job.id")
        .as_str()
        .expect("job")
        .to_string();
    let r = app
        .ok(&w.token, "mutation($input: SupportContactRecordInput!) { supportContactRecord(input: $input) { contact { withWhom } userErrors { field code message } } }",
            json!({ "input": { "clientId": w.client, "jobStartId": job, "withWhom": "EMPLOYER", "mode": "PHONE", "occurredAt": "2026-11-20T11:00:00Z" } }))
        .await;
    out.push((
        "employer-side in-work support",
        refusal(&r, "supportContactRecord"),
    ));
    out
}

#[tokio::test]
async fn every_gated_path_needs_a_consent_in_force_from_this_client_for_this_employer() {
    on_each_database(|app| async move {
        let w = world(&app).await;
        let mut cases = 0;

        // No consent at all: every path refused, nothing logged, nothing written.
        for (path, result) in every_gated_path(&app, &w, &w.employer).await {
            assert!(result.as_ref().is_err_and(|e| e.contains("DISCLOSURE_NOT_CONSENTED")), "{path} without consent: {result:?}");
            cases += 1;
        }
        assert!(disclosures(&app, &w).await.is_empty());
        let r = app.ok(&w.token, "query($id: ID!) { client(id: $id) { applications { id } supportContacts { withWhom } } }", json!({ "id": w.client })).await;
        assert_eq!(r.data("client.applications"), &json!([]), "a refused act writes nothing: {}", r.body);
        assert_eq!(r.data("client.supportContacts"), &json!([]));

        // Level NONE, and "the client tells them themselves": still refused.
        for (level, items, who) in [("NONE", json!([]), "SPECIALIST"), ("SERVICE_AFFILIATION", json!(["SERVICE_AFFILIATION"]), "CLIENT")] {
            let id = grant(&app, &w, grant_input(&w, level, items, who)).await;
            for (path, result) in every_gated_path(&app, &w, &w.employer).await {
                assert!(result.is_err(), "{path} at {level}/{who} must be refused");
                cases += 1;
            }
            let r = app.ok(&w.token, "mutation($id: ID!) { consentRevoke(input: { id: $id, capturedHow: PHONE_VERBAL }) { consent { version status } userErrors { field code } } }", json!({ "id": id })).await;
            assert_eq!(r.data("consentRevoke.consent.status"), "REVOKED", "{}", r.body);
        }
        assert!(disclosures(&app, &w).await.is_empty());

        // In force at SERVICE_AFFILIATION, told by the specialist: every path goes through and is logged.
        for level in ["SERVICE_AFFILIATION", "PARTIAL", "FULL"] {
            let id = grant(&app, &w, grant_input(&w, level, json!(["SERVICE_AFFILIATION"]), "JOINTLY")).await;
            let before = disclosures(&app, &w).await.len();
            for (path, result) in every_gated_path(&app, &w, &w.employer).await {
                assert_eq!(result, Ok(()), "{path} at {level}");
                cases += 1;
            }
            let logged = disclosures(&app, &w).await;
            let acts: Vec<&str> = logged[before..].iter().map(|d| d["act"].as_str().expect("act")).collect();
            assert_eq!(acts, vec!["INTRODUCTION", "ENGAGEMENT", "APPLICATION", "IN_WORK_SUPPORT"], "every act logged at {level}");
            assert!(logged[before..].iter().all(|d| d["items"] == json!(["SERVICE_AFFILIATION"]) && d["consentVersion"] == 1));

            // The wrong employer is refused on every path, whatever the consent for this one says.
            for (path, result) in every_gated_path(&app, &w, &w.other_employer).await {
                assert!(result.as_ref().is_err_and(|e| e.contains("DISCLOSURE_NOT_CONSENTED")), "{path} at another employer: {result:?}");
                cases += 1;
            }
            app.ok(&w.token, "mutation($id: ID!) { consentRevoke(input: { id: $id, capturedHow: IN_PERSON_VERBAL }) { consent { status } } }", json!({ "id": id })).await;
            // Revocation takes effect at once.
            for (path, result) in every_gated_path(&app, &w, &w.employer).await {
                assert!(result.as_ref().is_err_and(|e| e.contains("DISCLOSURE_NOT_CONSENTED")), "{path} after revocation: {result:?}");
                cases += 1;
            }
        }

        // Expired consents behave as revoked.
        let mut expired = grant_input(&w, "FULL", json!(["SERVICE_AFFILIATION", "CURRENT_TREATMENT"]), "SPECIALIST");
        expired["effectiveFrom"] = json!("2026-01-01T00:00:00Z");
        expired["expiresAt"] = json!("2026-06-30T00:00:00Z");
        grant(&app, &w, expired).await;
        for (path, result) in every_gated_path(&app, &w, &w.employer).await {
            assert!(result.as_ref().is_err_and(|e| e.contains("DISCLOSURE_NOT_CONSENTED")), "{path} under an expired consent: {result:?}");
            cases += 1;
        }
        // The specialist is told where work stands on a consent that no longer holds.
        let r = app.ok(&w.token, "{ consentAlerts { reason employer { name } application { stage } job { title } } }", json!({})).await;
        let alerts = r.data("consentAlerts").as_array().expect("alerts").clone();
        assert!(alerts.iter().any(|a| a["application"]["stage"] == "APPLIED" && a["employer"]["name"] == "Calder Foods"), "{}", r.body);
        assert!(alerts.iter().any(|a| a["job"]["title"] == "Packer"), "{}", r.body);
        assert!(alerts.iter().all(|a| a["employer"]["name"] == "Calder Foods"), "no consent was ever given for the other employer: {}", r.body);
        eprintln!("gated cases: {cases}");
        assert_eq!(cases, 4 + 2 * 4 + 3 * 12 + 4);
    })
    .await;
}

#[tokio::test]
async fn an_introduction_tells_exactly_the_consented_items_and_nothing_else() {
    on_each_database(|app| async move {
        let w = world(&app).await;
        app.ok(&w.token, "mutation($input: ClientSensitiveRecordInput!) { clientSensitiveRecord(input: $input) { client { id } } }",
            json!({ "input": { "clientId": w.client, "primarySubstanceGroup": "ALCOHOL_ONLY", "treatmentStatus": "IN_TREATMENT", "criminalRecordStatus": "UNSPENT", "benefitsStatus": "ESA" } }))
            .await;

        // A consent's items must fit its level.
        let r = app.ok(&w.token, GRANT, json!({ "input": grant_input(&w, "PARTIAL", json!(["SERVICE_AFFILIATION", "CRIMINAL_RECORD"]), "SPECIALIST") })).await;
        assert_eq!(r.user_errors("consentGrant"), vec![("input.items".to_string(), "INVALID".to_string())], "{}", r.body);
        let mut forever = grant_input(&w, "FULL", json!(["SERVICE_AFFILIATION"]), "SPECIALIST");
        forever["expiresAt"] = json!("2035-01-01T00:00:00Z");
        let r = app.ok(&w.token, GRANT, json!({ "input": forever })).await;
        assert_eq!(r.user_errors("consentGrant"), vec![("input.expiresAt".to_string(), "INVALID".to_string())]);

        let mut input = grant_input(&w, "FULL", json!(["SERVICE_AFFILIATION", "CURRENT_TREATMENT", "APPOINTMENT_CONSTRAINTS"]), "SPECIALIST");
        input["contactId"] = json!(w.contact);
        grant(&app, &w, input).await;

        // Asking for more than the consent covers is refused, never trimmed.
        let r = app.ok(&w.token, INTRODUCE, json!({ "input": { "clientId": w.client, "employerId": w.employer, "contactId": w.contact,
            "items": ["CURRENT_TREATMENT", "CRIMINAL_RECORD"], "channel": "FACE_TO_FACE" } })).await;
        let errors = r.data("clientIntroduce.userErrors").clone();
        assert_eq!(errors[0]["code"], "DISCLOSURE_NOT_CONSENTED", "{}", r.body);
        assert!(errors[0]["message"].as_str().is_some_and(|m| m.contains("CRIMINAL_RECORD")), "says what is missing: {errors}");
        assert!(disclosures(&app, &w).await.is_empty(), "a refused introduction is not logged");
        // The consent names one contact: anyone else at the employer is refused.
        let r = app.ok(&w.token, INTRODUCE, json!({ "input": { "clientId": w.client, "employerId": w.employer, "items": ["CURRENT_TREATMENT"], "channel": "PHONE" } })).await;
        assert_eq!(r.data("clientIntroduce.userErrors.0.code"), "DISCLOSURE_NOT_CONSENTED");

        let r = app.ok(&w.token, INTRODUCE, json!({ "input": { "clientId": w.client, "employerId": w.employer, "contactId": w.contact,
            "items": ["CURRENT_TREATMENT"], "channel": "FACE_TO_FACE" } })).await;
        let profile = r.data("clientIntroduce.profile").clone();
        let items: Vec<&str> = profile["items"].as_array().expect("items").iter().map(|i| i["item"].as_str().expect("item")).collect();
        assert_eq!(items, vec!["CURRENT_TREATMENT", "SERVICE_AFFILIATION"], "{}", r.body);
        let text = profile.to_string();
        for withheld in ["ALCOHOL", "alcohol", "UNSPENT", "unspent", "ESA", "esa"] {
            assert!(!text.contains(withheld), "withheld facts are absent: {withheld} in {text}");
        }
        assert!(text.contains("in treatment"), "{text}");
        let logged = disclosures(&app, &w).await;
        assert_eq!(logged.len(), 1);
        assert_eq!(logged[0]["items"], json!(["CURRENT_TREATMENT", "SERVICE_AFFILIATION"]));
        assert_eq!(logged[0]["employer"]["name"], "Calder Foods");

        // Changing the consent adds a version; the old one stays readable with its evidence.
        let consent = app.ok(&w.token, "query($id: ID!) { client(id: $id) { consents { id version } } }", json!({ "id": w.client })).await;
        let id = consent.data("client.consents.0.id").as_str().expect("id").to_string();
        let r = app.ok(&w.token, "mutation($input: ConsentChangeInput!) { consentChange(input: $input) { consent { version items } userErrors { field code } } }",
            json!({ "input": { "id": id, "version": 1, "level": "SERVICE_AFFILIATION", "items": ["SERVICE_AFFILIATION"], "whoDiscloses": "SPECIALIST",
                "wording": "Only that I am supported.", "capturedHow": "PHONE_VERBAL", "expiresAt": "2027-01-31T00:00:00Z", "note": "client narrowed it" } }))
            .await;
        assert_eq!(r.data("consentChange.consent.version"), 2, "{}", r.body);
        let r = app.ok(&w.token, "query($id: ID!) { client(id: $id) { consentHistory { version level wording capturedHow } } }", json!({ "id": w.client })).await;
        assert_eq!(r.data("client.consentHistory").as_array().map(Vec::len), Some(2));
        assert_eq!(r.data("client.consentHistory.0.level"), "FULL");
        let r = app.ok(&w.token, INTRODUCE, json!({ "input": { "clientId": w.client, "employerId": w.employer, "contactId": w.contact,
            "items": ["CURRENT_TREATMENT"], "channel": "FACE_TO_FACE" } })).await;
        assert_eq!(r.data("clientIntroduce.userErrors.0.code"), "DISCLOSURE_NOT_CONSENTED", "the narrowed version governs: {}", r.body);
    })
    .await;
}

#[tokio::test]
async fn a_revocation_racing_introductions_never_leaves_an_unlogged_disclosure() {
    on_each_database(|app| async move {
        let w = world(&app).await;
        let id = grant(&app, &w, grant_input(&w, "SERVICE_AFFILIATION", json!(["SERVICE_AFFILIATION"]), "SPECIALIST")).await;
        let introduce = json!({ "query": INTRODUCE, "variables": { "input": { "clientId": w.client, "employerId": w.employer, "items": ["SERVICE_AFFILIATION"], "channel": "EMAIL" } } });
        let mut tasks = Vec::new();
        for _ in 0..12 {
            let (client, url, token, body) = (app.client.clone(), format!("{}/graphql", app.address), w.token.clone(), introduce.clone());
            tasks.push(tokio::spawn(async move {
                let r: Value = client.post(url).bearer_auth(token).json(&body).send().await.expect("sent").json().await.expect("json");
                r["data"]["clientIntroduce"]["profile"].is_object()
            }));
        }
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        let r = app.ok(&w.token, "mutation($id: ID!) { consentRevoke(input: { id: $id, capturedHow: PHONE_VERBAL }) { consent { version } } }", json!({ "id": id })).await;
        assert_eq!(r.data("consentRevoke.consent.version"), 2, "{}", r.body);
        let mut told = 0;
        for task in tasks {
            if task.await.expect("task") {
                told += 1;
            }
        }
        let logged = disclosures(&app, &w).await;
        assert_eq!(logged.len(), told, "every introduction that went through is logged, and only those");
        assert!(logged.iter().all(|d| d["consentVersion"] == 1), "each under the version it relied on");
        let after = app.ok(&w.token, INTRODUCE, introduce["variables"].clone()).await;
        assert_eq!(after.data("clientIntroduce.userErrors.0.code"), "DISCLOSURE_NOT_CONSENTED");
    })
    .await;
}

#[tokio::test]
async fn the_disclosure_log_is_append_only_and_audit_verify_finds_a_tampered_entry() {
    on_each_database(|app| async move {
        let w = world(&app).await;
        grant(&app, &w, grant_input(&w, "SERVICE_AFFILIATION", json!(["SERVICE_AFFILIATION"]), "SPECIALIST")).await;
        for channel in ["PHONE", "EMAIL", "FACE_TO_FACE"] {
            let r = app.ok(&w.token, INTRODUCE, json!({ "input": { "clientId": w.client, "employerId": w.employer, "items": ["SERVICE_AFFILIATION"], "channel": channel } })).await;
            assert_eq!(r.data("clientIntroduce.userErrors"), &json!([]), "{}", r.body);
        }
        for sql in ["UPDATE disclosure_event SET items = 'CRIMINAL_RECORD'", "DELETE FROM disclosure_event"] {
            assert!(sea_orm::ConnectionTrait::execute_unprepared(&app.db, sql).await.is_err(), "{sql} must be refused");
        }
        let verify = || {
            std::process::Command::new(env!("CARGO_BIN_EXE_ipsmatch-under-test"))
                .args(["audit", "verify", "--log", "error"])
                .arg("--data-dir")
                .arg(&app.settings.data_dir)
                .arg("--database-url")
                .arg(app.settings.effective_database_url())
                .output()
                .expect("run audit verify")
        };
        let clean = verify();
        let said = String::from_utf8_lossy(&clean.stdout).to_string();
        assert!(clean.status.success(), "{said}");
        assert!(said.contains("disclosure log: intact") && said.contains("audit log: intact"), "{said}");

        lift_append_only_guard(&app, "disclosure_event").await;
        sea_orm::ConnectionTrait::execute_unprepared(&app.db, "UPDATE disclosure_event SET channel = 'PHONE' WHERE channel = 'EMAIL'").await.expect("tamper");
        let tampered = verify();
        let said = String::from_utf8_lossy(&tampered.stdout).to_string();
        assert!(!tampered.status.success(), "a broken chain fails: {said}");
        let second: i64 = sea_orm::ConnectionTrait::query_one_raw(&app.db, sea_orm::Statement::from_string(app.db.get_database_backend(),
            "SELECT seq FROM disclosure_event WHERE channel = 'PHONE' ORDER BY seq DESC LIMIT 1"))
            .await.expect("query").expect("row").try_get_by_index(0).expect("seq");
        assert!(said.contains(&format!("disclosure log: BROKEN at entry {second}")), "{said}");
    })
    .await;
}

#[tokio::test]
async fn consents_about_to_lapse_and_disclosure_discussions_are_listed() {
    on_each_database(|app| async move {
        let w = world(&app).await;
        let soon = (chrono::Utc::now() + chrono::Duration::days(10)).to_rfc3339();
        let later = (chrono::Utc::now() + chrono::Duration::days(200)).to_rfc3339();
        for expires in [&soon, &later] {
            let mut input = grant_input(&w, "SERVICE_AFFILIATION", json!(["SERVICE_AFFILIATION"]), "SPECIALIST");
            input["expiresAt"] = json!(expires);
            grant(&app, &w, input).await;
        }
        let r = app.ok(&w.token, "{ consentsExpiring(days: 30) { expiresAt employer { name } } }", json!({})).await;
        assert_eq!(r.data("consentsExpiring").as_array().map(Vec::len), Some(1), "{}", r.body);
        let r = app.ok(&w.token, "{ consentsExpiring(days: 365) { expiresAt } }", json!({})).await;
        assert_eq!(r.data("consentsExpiring").as_array().map(Vec::len), Some(2));
        let (_, _, stranger) = app.specialist().await;
        let r = app.ok(&stranger, "{ consentsExpiring(days: 365) { expiresAt } }", json!({})).await;
        assert_eq!(r.data("consentsExpiring"), &json!([]), "only clients within reach");
        let r = app.graphql(Some(&w.token), "{ consentsExpiring(days: 0) { expiresAt } }", json!({})).await;
        assert_eq!(r.error_code(), Some("BAD_USER_INPUT"));

        let record = "mutation($input: DisclosureDiscussionRecordInput!) { disclosureDiscussionRecord(input: $input) { discussion { discussedOn preferredLevel whoSpeaks } userErrors { field code } } }";
        for (on, level) in [("2026-09-01", "NONE"), ("2026-10-15", "SERVICE_AFFILIATION")] {
            let r = app.ok(&w.token, record, json!({ "input": { "clientId": w.client, "discussedOn": on, "preferredLevel": level, "whoSpeaks": "JOINTLY", "whenToDisclose": "after an offer" } })).await;
            assert_eq!(r.data("disclosureDiscussionRecord.userErrors"), &json!([]), "{}", r.body);
        }
        let r = app.ok(&w.token, record, json!({ "input": { "clientId": w.client, "discussedOn": "2999-01-01", "preferredLevel": "FULL", "whoSpeaks": "CLIENT" } })).await;
        assert_eq!(r.user_errors("disclosureDiscussionRecord"), vec![("input.discussedOn".to_string(), "INVALID".to_string())]);
        let r = app.ok(&w.token, "query($id: ID!) { client(id: $id) { disclosureDiscussions { discussedOn preferredLevel } } }", json!({ "id": w.client })).await;
        assert_eq!(r.data("client.disclosureDiscussions"), &json!([
            { "discussedOn": "2026-09-01", "preferredLevel": "NONE" },
            { "discussedOn": "2026-10-15", "preferredLevel": "SERVICE_AFFILIATION" },
        ]));
    })
    .await;
}

#[tokio::test]
async fn an_engagement_shows_the_clients_it_named_only_to_those_who_reach_them() {
    on_each_database(|app| async move {
        let w = world(&app).await;
        grant(&app, &w, grant_input(&w, "SERVICE_AFFILIATION", json!(["SERVICE_AFFILIATION"]), "SPECIALIST")).await;
        let r = app
            .ok(&w.token, "mutation($input: EngagementCreateInput!) { engagementCreate(input: $input) { engagement { id clients { name } } userErrors { field code } } }",
                json!({ "input": { "employerId": w.employer, "occurredAt": "2026-11-20T10:00:00Z", "mode": "FACE_TO_FACE", "purpose": "PRESENT_CANDIDATE",
                    "outcome": "Presented Morgan", "clientIds": [w.client] } }))
            .await;
        assert_eq!(r.data("engagementCreate.engagement.clients"), &json!([{ "name": "Morgan Consent" }]), "{}", r.body);
        let id = r.data("engagementCreate.engagement.id").as_str().expect("id").to_string();
        let r = app
            .ok(&w.token, "mutation($input: EngagementCorrectInput!) { engagementCorrect(input: $input) { engagement { id clients { name } } userErrors { field code } } }",
                json!({ "input": { "id": id, "outcome": "Presented Morgan; manager keen" } }))
            .await;
        assert_eq!(r.data("engagementCorrect.engagement.clients"), &json!([{ "name": "Morgan Consent" }]), "a correction keeps its clients: {}", r.body);
        let corrected = r.data("engagementCorrect.engagement.id").as_str().expect("id").to_string();
        assert_eq!(disclosures(&app, &w).await.len(), 1, "a correction tells no one anything new");

        // Anyone on staff reads the employer CRM, but only those who reach the client see who it named.
        let (_, _, stranger) = app.specialist().await;
        let r = app.ok(&stranger, "query($id: ID!) { node(id: $id) { ... on Engagement { outcome clients { name } } } }", json!({ "id": corrected })).await;
        assert_eq!(r.data("node.outcome"), "Presented Morgan; manager keen");
        assert_eq!(r.data("node.clients"), &json!([]), "{}", r.body);
    })
    .await;
}

#[tokio::test]
async fn the_employer_facing_profile_carries_no_words_written_for_the_whole_consent() {
    on_each_database(|app| async move {
        let w = world(&app).await;
        let mut input = grant_input(&w, "FULL", json!(["SERVICE_AFFILIATION", "REASONABLE_ADJUSTMENTS", "SUBSTANCE_USE_HISTORY"]), "SPECIALIST");
        input["wording"] = json!("WORDING-MARKER: I am on a methadone script and in recovery from heroin.");
        grant(&app, &w, input).await;
        for items in [json!(["SERVICE_AFFILIATION"]), json!(["REASONABLE_ADJUSTMENTS"])] {
            let r = app.ok(&w.token, INTRODUCE, json!({ "input": { "clientId": w.client, "employerId": w.employer, "items": items, "channel": "PHONE" } })).await;
            assert_eq!(r.user_errors("clientIntroduce"), vec![], "{}", r.body);
            let profile = r.data("clientIntroduce.profile").to_string();
            assert!(!profile.contains("WORDING-MARKER") && !profile.contains("methadone"), "{profile}");
            let told: Vec<&str> = r.data("clientIntroduce.profile.items").as_array().expect("items").iter().filter_map(|i| i["item"].as_str()).collect();
            let mut asked: Vec<String> = items.as_array().expect("asked").iter().filter_map(|i| i.as_str().map(str::to_string)).collect();
            if !asked.contains(&"SERVICE_AFFILIATION".to_string()) {
                asked.push("SERVICE_AFFILIATION".into());
            }
            let mut told: Vec<String> = told.into_iter().map(str::to_string).collect();
            told.sort();
            asked.sort();
            assert_eq!(told, asked, "exactly the items asked and consented");
        }
    })
    .await;
}

#[tokio::test]
async fn a_rename_suspends_the_consents_that_name_the_employer_until_the_client_confirms() {
    on_each_database(|app| async move {
        let w = world(&app).await;
        let consent = grant(&app, &w, grant_input(&w, "SERVICE_AFFILIATION", json!(["SERVICE_AFFILIATION"]), "SPECIALIST")).await;
        let introduce = json!({ "input": { "clientId": w.client, "employerId": w.employer, "items": ["SERVICE_AFFILIATION"], "channel": "PHONE" } });
        let r = app.ok(&w.token, INTRODUCE, introduce.clone()).await;
        assert_eq!(r.user_errors("clientIntroduce"), vec![], "{}", r.body);
        // The employer is renamed (by staff here; a feed can no longer take over this record).
        let version = app.ok(&w.token, "query($id: ID!) { node(id: $id) { ... on Employer { version } } }", json!({ "id": w.employer })).await.data("node.version").clone();
        let r = app.ok(&w.token, "mutation($input: EmployerUpdateInput!) { employerUpdate(input: $input) { userErrors { field code message } } }",
            json!({ "input": { "id": w.employer, "version": version, "name": "Acme Staffing (ATS) Ltd" } })).await;
        assert_eq!(r.user_errors("employerUpdate"), vec![], "{}", r.body);
        let r = app.ok(&w.token, INTRODUCE, introduce.clone()).await;
        assert_eq!(r.user_errors("clientIntroduce"), vec![("input.items".into(), "DISCLOSURE_NOT_CONSENTED".into())], "{}", r.body);
        assert!(r.data("clientIntroduce.userErrors.0.message").as_str().is_some_and(|m| m.contains("Calder Foods") && m.contains("Acme Staffing")), "{}", r.body);
        let r = app.ok(&w.token, "{ consentAlerts { client { id } employer { name } reason } }", json!({})).await;
        assert_eq!(r.data("consentAlerts.0.employer.name"), "Acme Staffing (ATS) Ltd", "{}", r.body);
        let r = app.ok(&w.token, "query($id: ID!) { client(id: $id) { consents { inForce employerNameAgreed } } }", json!({ "id": w.client })).await;
        assert_eq!(r.data("client.consents.0.inForce"), false, "{}", r.body);
        // Any other change of the consent does not lift the suspension: the client must confirm
        // the new name in so many words.
        let change = "mutation($input: ConsentChangeInput!) { consentChange(input: $input) { consent { version employerNameAgreed inForce } userErrors { field code message } } }";
        let mut input = json!({ "id": consent, "version": 1, "level": "SERVICE_AFFILIATION", "items": ["SERVICE_AFFILIATION"], "whoDiscloses": "SPECIALIST",
            "wording": "Yes, tell Acme Staffing I am supported.", "capturedHow": "PHONE_VERBAL", "expiresAt": "2027-06-30T00:00:00Z" });
        let r = app.ok(&w.token, change, json!({ "input": input.clone() })).await;
        assert_eq!(r.user_errors("consentChange"), vec![("input.confirmEmployerName".into(), "REQUIRED".into())], "{}", r.body);
        input["confirmEmployerName"] = json!("Acme Staffing (ATS) Ltd");
        let r = app.ok(&w.token, change, json!({ "input": input })).await;
        assert_eq!(r.data("consentChange.consent.employerNameAgreed"), "Acme Staffing (ATS) Ltd", "{}", r.body);
        assert_eq!(r.data("consentChange.consent.inForce"), true);
        let r = app.ok(&w.token, INTRODUCE, introduce).await;
        assert_eq!(r.user_errors("clientIntroduce"), vec![], "{}", r.body);
        // The accounting names the employer as the client agreed to it each time.
        let r = app.ok(&w.token, "query($id: ID!) { client(id: $id) { disclosures { employerNameWhenTold employer { name } } } }", json!({ "id": w.client })).await;
        let names: Vec<&str> = r.data("client.disclosures").as_array().expect("list").iter().filter_map(|d| d["employerNameWhenTold"].as_str()).collect();
        let mut names = names;
        names.sort();
        assert_eq!(names, ["Acme Staffing (ATS) Ltd", "Calder Foods"], "{}", r.body);
    })
    .await;
}

#[tokio::test]
async fn consent_writes_and_refused_special_category_reads_are_audited() {
    on_each_database(|app| async move {
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        let w = world(&app).await;
        let consent = grant(&app, &w, grant_input(&w, "SERVICE_AFFILIATION", json!(["SERVICE_AFFILIATION"]), "SPECIALIST")).await;
        app.ok(&w.token, "mutation($id: ID!) { consentRevoke(input: { id: $id, capturedHow: PHONE_VERBAL }) { userErrors { code } } }", json!({ "id": consent })).await;
        let client = crate::helpers::decode_global_id(&w.client);
        let rows = entities::audit_event::Entity::find()
            .filter(entities::audit_event::Column::Action.eq("CONSENT_WRITE"))
            .all(&app.db)
            .await
            .expect("audit");
        assert_eq!(rows.len(), 2, "{rows:?}");
        assert!(rows.iter().all(|r| r.client_id == Some(client)));
        assert!(rows[0].detail.contains("granted") && rows[1].detail.contains("revoked"), "{rows:?}");
        assert!(rows.iter().all(|r| !r.detail.contains("Calder Foods that I am")), "no wording in the audit log");

        // A read of special-category facts about a client out of reach is refused, and audited.
        let (_, outsider, _) = app.specialist().await;
        let staff = entities::staff::Entity::find_by_id(crate::helpers::decode_global_id(&outsider)).one(&app.db).await.expect("read").expect("staff");
        let viewer = ipsmatch::auth::Viewer { staff, role: ipsmatch::auth::Role::Specialist };
        let read = ipsmatch::clients::service::read_sensitive(&app.db, &viewer, client, ipsmatch::clients::types::SensitivePurpose::SupportPlanning)
            .await
            .expect("read");
        assert!(read.is_none());
        let refused = entities::audit_event::Entity::find()
            .filter(entities::audit_event::Column::Action.eq("SENSITIVE_READ_REFUSED"))
            .all(&app.db)
            .await
            .expect("audit");
        assert_eq!(refused.len(), 1);
        assert_eq!((refused[0].actor_id, refused[0].client_id), (viewer.id(), Some(client)));
    })
    .await;
}

#[tokio::test]
async fn an_introduction_names_only_a_live_employer_its_own_contact_and_its_own_vacancy() {
    on_each_database(|app| async move {
        let w = world(&app).await;
        grant(&app, &w, grant_input(&w, "SERVICE_AFFILIATION", json!(["SERVICE_AFFILIATION"]), "SPECIALIST")).await;
        let other_vacancy = app.ok(&w.token, "mutation($input: VacancyCreateInput!) { vacancyCreate(input: $input) { vacancy { id } } }",
            json!({ "input": { "title": "Driver", "employerId": w.other_employer, "contractType": "PERMANENT", "status": "OPEN" } }))
            .await.data("vacancyCreate.vacancy.id").as_str().expect("vacancy").to_string();
        let introduce = |extra: Value| {
            let mut input = json!({ "clientId": w.client, "employerId": w.employer, "items": ["SERVICE_AFFILIATION"], "channel": "PHONE" });
            for (k, v) in extra.as_object().expect("object") {
                input[k] = v.clone();
            }
            let (app, token) = (&app, w.token.clone());
            async move { app.ok(&token, INTRODUCE, json!({ "input": input })).await.user_errors("clientIntroduce") }
        };
        // Another employer's vacancy.
        assert_eq!(introduce(json!({ "vacancyId": other_vacancy })).await, vec![("input.vacancyId".into(), "INVALID".into())]);
        // An archived contact, then an archived employer.
        let r = app.ok(&w.token, "mutation($id: ID!) { employerContactArchive(input: { id: $id }) { userErrors { code } } }", json!({ "id": w.contact })).await;
        assert_eq!(r.user_errors("employerContactArchive"), vec![], "{}", r.body);
        assert_eq!(introduce(json!({ "contactId": w.contact })).await, vec![("input.contactId".into(), "ARCHIVED".into())]);
        let r = app.ok(&w.token, "mutation($id: ID!) { employerArchive(input: { id: $id }) { userErrors { code } } }", json!({ "id": w.employer })).await;
        assert_eq!(r.user_errors("employerArchive"), vec![], "{}", r.body);
        assert_eq!(introduce(json!({})).await, vec![("input.employerId".into(), "ARCHIVED".into())]);
        assert_eq!(disclosures(&app, &w).await.len(), 0, "nothing was told");
    })
    .await;
}

#[tokio::test]
async fn who_was_told_stays_fixed_once_the_gate_has_passed() {
    on_each_database(|app| async move {
        let w = world(&app).await;
        grant(&app, &w, grant_input(&w, "SERVICE_AFFILIATION", json!(["SERVICE_AFFILIATION"]), "SPECIALIST")).await;
        // A vacancy someone applied for keeps the employer the gate passed.
        let r = app.ok(&w.token, "mutation($input: VacancyCreateInput!) { vacancyCreate(input: $input) { vacancy { id version } } }",
            json!({ "input": { "title": "Packer", "employerId": w.employer, "contractType": "PERMANENT", "status": "OPEN" } })).await;
        let vacancy = r.data("vacancyCreate.vacancy.id").as_str().expect("vacancy").to_string();
        let version = r.data("vacancyCreate.vacancy.version").clone();
        let r = app.ok(&w.token, "mutation($input: ApplicationCreateInput!) { applicationCreate(input: $input) { userErrors { code } } }",
            json!({ "input": { "clientId": w.client, "vacancyId": vacancy, "stage": "APPLIED", "submittedBy": "SPECIALIST" } })).await;
        assert_eq!(r.user_errors("applicationCreate"), vec![], "{}", r.body);
        let r = app.ok(&w.token, "mutation($input: VacancyUpdateInput!) { vacancyUpdate(input: $input) { userErrors { field code } } }",
            json!({ "input": { "id": vacancy, "version": version, "employerId": w.other_employer } })).await;
        assert_eq!(r.user_errors("vacancyUpdate"), vec![("input.employerId".into(), "INVALID".into())], "{}", r.body);

        // A contact a consent names cannot be turned into someone else.
        let mut limited = grant_input(&w, "SERVICE_AFFILIATION", json!(["SERVICE_AFFILIATION"]), "SPECIALIST");
        limited["contactId"] = json!(w.contact);
        grant(&app, &w, limited).await;
        let update = "mutation($input: EmployerContactUpdateInput!) { employerContactUpdate(input: $input) { contact { version } userErrors { field code } } }";
        let r = app.ok(&w.token, update, json!({ "input": { "id": w.contact, "version": 1, "name": "Bob Somebody-Else" } })).await;
        assert_eq!(r.user_errors("employerContactUpdate"), vec![("input.name".into(), "INVALID".into())], "{}", r.body);
        let r = app.ok(&w.token, update, json!({ "input": { "id": w.contact, "version": 1, "jobTitle": "Operations manager" } })).await;
        assert_eq!(r.user_errors("employerContactUpdate"), vec![], "other details still change: {}", r.body);

        // A correction that would tell anew is refused for a client the corrector no longer supports.
        let r = app.ok(&w.token, "mutation($input: EngagementCreateInput!) { engagementCreate(input: $input) { engagement { id } userErrors { code } } }",
            json!({ "input": { "employerId": w.employer, "occurredAt": "2026-11-20T10:00:00Z", "mode": "FACE_TO_FACE", "purpose": "PRESENT_CANDIDATE",
                "outcome": "Presented the candidate", "clientIds": [w.client] } })).await;
        let engagement = r.data("engagementCreate.engagement.id").as_str().expect("engagement").to_string();
        let team = app.ok(&w.token, "{ viewer { team { id } } }", json!({})).await.data("viewer.team.id").as_str().expect("team").to_string();
        let (_, _, lead) = app.create_staff("TEAM_LEAD", Some(&team)).await;
        let (colleague, _, _) = app.create_staff("SPECIALIST", Some(&team)).await;
        let r = app.ok(&lead, "mutation($input: ClientAssignInput!) { clientAssign(input: $input) { userErrors { code } } }",
            json!({ "input": { "id": w.client, "specialistId": colleague } })).await;
        assert_eq!(r.user_errors("clientAssign"), vec![], "{}", r.body);
        let before = disclosures(&app, &app_token_world(&w, &lead)).await.len();
        let r = app.ok(&w.token, "mutation($input: EngagementCorrectInput!) { engagementCorrect(input: $input) { userErrors { field code } } }",
            json!({ "input": { "id": engagement, "occurredAt": "2026-11-21T10:00:00Z" } })).await;
        assert_eq!(r.user_errors("engagementCorrect"), vec![("input.id".into(), "NOT_FOUND".into())], "{}", r.body);
        assert_eq!(disclosures(&app, &app_token_world(&w, &lead)).await.len(), before, "nothing told");

        // A version at the top of Int is stale, not a crash.
        let r = app.ok(&lead, "query($id: ID!) { client(id: $id) { applications { id } } }", json!({ "id": w.client })).await;
        let application = r.data("client.applications.0.id").as_str().expect("application").to_string();
        let r = app.ok(&lead, "mutation($input: ApplicationAdvanceInput!) { applicationAdvance(input: $input) { userErrors { field code } } }",
            json!({ "input": { "id": application, "version": 2147483647, "stage": "INTERVIEW" } })).await;
        assert_eq!(r.user_errors("applicationAdvance"), vec![("input.version".into(), "STALE_VERSION".into())], "{}", r.body);
    })
    .await;
}

/// The same world as seen by another member of staff (for reading the accounting).
fn app_token_world(w: &World, token: &str) -> World {
    World {
        token: token.to_string(),
        client: w.client.clone(),
        employer: w.employer.clone(),
        other_employer: w.other_employer.clone(),
        contact: w.contact.clone(),
    }
}
