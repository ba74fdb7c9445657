//! The consent gate as a class: every mutation of both schemas is classified as gated (it can tell
//! an employer about a client) or not — a mutation the test does not know fails it — and every
//! gated one is driven without consent, with a consent for another person, for another purpose,
//! revoked, and expired (each refused, nothing logged), and with a consent that covers it (it
//! goes through, logged once).

use serde_json::{Value, json};

use crate::helpers::{TestApp, on_each_database};

/// Mutations that tell an employer something about a named client.
const GATED: [&str; 7] = [
    "clientIntroduce",
    "engagementCreate",
    "engagementCorrect",
    "applicationCreate",
    "applicationAdvance",
    "jobStartRecord",
    "supportContactRecord",
];

/// Mutations that tell no employer anything about a client, and why.
const NOT_GATED: [(&str, &str); 44] = [
    ("teamCreate", "staff administration"),
    ("staffCreate", "staff administration"),
    ("staffUpdate", "staff administration"),
    ("staffDeactivate", "staff administration"),
    ("employerCreate", "an employer record, no client"),
    ("employerUpdate", "an employer record, no client"),
    ("employerArchive", "an employer record, no client"),
    ("employerRestore", "an employer record, no client"),
    ("employerContactCreate", "an employer record, no client"),
    ("employerContactUpdate", "an employer record, no client"),
    ("employerContactArchive", "an employer record, no client"),
    (
        "engagementRetract",
        "withdraws a record; tells no one anything",
    ),
    ("vacancyCreate", "a vacancy, no client"),
    ("vacancyUpdate", "a vacancy, no client"),
    ("vacancyStatusChange", "a vacancy, no client"),
    ("clientRegister", "the service's own record"),
    ("clientUpdate", "the service's own record"),
    ("clientStatusChange", "the service's own record"),
    ("clientAssign", "the service's own record"),
    ("clientSensitiveRecord", "the service's own record"),
    ("vocationalProfileRecord", "the service's own record"),
    ("jobPreferencesRecord", "the service's own record"),
    ("jobEndRecord", "the service's own record"),
    ("consentGrant", "the client's own decision"),
    ("consentChange", "the client's own decision"),
    ("consentRevoke", "the client's own decision"),
    (
        "disclosureDiscussionRecord",
        "a conversation with the client",
    ),
    ("integratorRegister", "administration"),
    ("integratorUpdate", "administration"),
    ("outreachAttemptRecord", "contact with the client"),
    ("treatmentTeamCreate", "administration"),
    ("treatmentTeamSpecialistAttach", "administration"),
    ("treatmentTeamSpecialistDetach", "administration"),
    ("referralCreate", "the treatment team telling the service"),
    ("referralAdvance", "the service's own record"),
    ("referralRegister", "the service's own record"),
    ("referralNotTakenUp", "the service's own record"),
    (
        "keyworkerConsentGrant",
        "the client's own decision; the keyworker's reads pass their own gate",
    ),
    ("keyworkerConsentRevoke", "the client's own decision"),
    ("diaryEntryRecord", "the specialist's own diary"),
    ("diaryEntryOutcome", "the specialist's own diary"),
    ("betterOffCheckRecord", "the service's own record"),
    ("vacanciesUpsert", "integrator API: no client exists in it"),
    ("employersUpsert", "integrator API: no client exists in it"),
];

const MUTATIONS: &str = "{ __schema { mutationType { fields { name } } } }";

#[tokio::test]
async fn every_mutation_of_both_schemas_is_known_as_gated_or_not() {
    on_each_database(|app| async move {
        let (_, token) = app.integrator("gate-feed").await;
        let staff = app.ok(&app.admin_token(), MUTATIONS, json!({})).await;
        let integrator = app.integration_ok(&token, MUTATIONS, json!({})).await;
        let mut seen = Vec::new();
        for r in [staff, integrator] {
            for field in r.data("__schema.mutationType.fields").as_array().expect("fields") {
                let name = field["name"].as_str().expect("name").to_string();
                let known = GATED.contains(&name.as_str()) || NOT_GATED.iter().any(|(n, _)| *n == name);
                assert!(known, "`{name}` is a new mutation: add it to GATED (and drive it below) or to NOT_GATED with the reason it tells no employer anything");
                seen.push(name);
            }
        }
        for name in GATED.iter().copied().chain(NOT_GATED.iter().map(|(n, _)| *n)) {
            assert!(seen.iter().any(|s| s == name), "`{name}` is listed but not in either schema");
        }
    })
    .await;
}

/// What consent the client has when the act is tried.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Consent {
    /// None at all.
    Missing,
    /// One limited to another person at the employer.
    OtherContact,
    /// One for a purpose that does not allow the act.
    OtherPurpose,
    /// One that was revoked.
    Revoked,
    /// One whose term ran out.
    Expired,
    /// One that covers the act.
    Covering,
}

struct Case {
    token: String,
    client: String,
    employer: String,
    contact: String,
    other_contact: String,
}

async fn case(app: &TestApp) -> Case {
    let (_, _, token) = app.specialist().await;
    let r = app.ok(&token, "mutation($input: ClientRegisterInput!) { clientRegister(input: $input) { client { id } } }",
        json!({ "input": { "name": "Gate Client", "referralDate": "2026-08-01", "referralSource": "TREATMENT_KEYWORKER" } })).await;
    let client = r
        .data("clientRegister.client.id")
        .as_str()
        .expect("client")
        .to_string();
    let employer = app
        .create_employer(
            &token,
            &format!("Gate Employer {}", uuid::Uuid::now_v7().simple()),
            "MANUFACTURING",
        )
        .await;
    let contact = |name: &'static str| {
        let (token, employer) = (token.clone(), employer.clone());
        let app = &app;
        async move {
            let r = app.ok(&token, "mutation($input: EmployerContactCreateInput!) { employerContactCreate(input: $input) { contact { id } } }",
                json!({ "input": { "employerId": employer, "name": name, "jobTitle": "Manager", "preferredChannel": "PHONE" } })).await;
            r.data("employerContactCreate.contact.id")
                .as_str()
                .expect("contact")
                .to_string()
        }
    };
    let contact_a = contact("Jo Told").await;
    let contact_b = contact("Sam Other").await;
    Case {
        token,
        client,
        employer,
        contact: contact_a,
        other_contact: contact_b,
    }
}

async fn grant(app: &TestApp, c: &Case, purpose: &str, contact: Option<&str>) -> String {
    let r = app.ok(&c.token, "mutation($input: ConsentGrantInput!) { consentGrant(input: $input) { consent { id } userErrors { field code message } } }",
        json!({ "input": { "clientId": c.client, "employerId": c.employer, "contactId": contact, "purpose": purpose, "level": "SERVICE_AFFILIATION",
            "items": ["SERVICE_AFFILIATION"], "whoDiscloses": "SPECIALIST", "wording": "Supported by the service.",
            "capturedHow": "IN_PERSON_SIGNED", "expiresAt": "2027-12-31T00:00:00Z" } })).await;
    assert_eq!(r.user_errors("consentGrant"), vec![], "{}", r.body);
    r.data("consentGrant.consent.id")
        .as_str()
        .expect("consent")
        .to_string()
}

async fn revoke(app: &TestApp, c: &Case, consent: &str) {
    let r = app.ok(&c.token, "mutation($id: ID!) { consentRevoke(input: { id: $id, capturedHow: PHONE_VERBAL }) { userErrors { code } } }", json!({ "id": consent })).await;
    assert_eq!(r.user_errors("consentRevoke"), vec![], "{}", r.body);
}

async fn disclosures(app: &TestApp, c: &Case) -> usize {
    app.ok(
        &c.token,
        "query($id: ID!) { client(id: $id) { disclosures { act } } }",
        json!({ "id": c.client }),
    )
    .await
    .data("client.disclosures")
    .as_array()
    .expect("disclosures")
    .len()
}

async fn vacancy(app: &TestApp, c: &Case) -> String {
    app.ok(&c.token, "mutation($input: VacancyCreateInput!) { vacancyCreate(input: $input) { vacancy { id } } }",
        json!({ "input": { "title": "Packer", "employerId": c.employer, "contractType": "PERMANENT", "status": "OPEN" } }))
        .await
        .data("vacancyCreate.vacancy.id")
        .as_str()
        .expect("vacancy")
        .to_string()
}

/// Whatever the act needs first that tells the employer nothing (an engagement to correct is
/// recorded under a consent that is then revoked). Returns the ids the act works on.
async fn prepare(app: &TestApp, c: &Case, act: &str) -> Value {
    match act {
        "engagementCorrect" => {
            let setup = grant(app, c, "LIAISON", None).await;
            let r = app.ok(&c.token, "mutation($input: EngagementCreateInput!) { engagementCreate(input: $input) { engagement { id } userErrors { code } } }",
                json!({ "input": { "employerId": c.employer, "occurredAt": "2026-11-20T10:00:00Z", "mode": "FACE_TO_FACE", "purpose": "PRESENT_CANDIDATE",
                    "outcome": "Presented the candidate", "clientIds": [c.client] } })).await;
            revoke(app, c, &setup).await;
            json!({ "engagement": r.data("engagementCreate.engagement.id") })
        }
        "applicationAdvance" | "jobStartRecord" => {
            let vacancy = vacancy(app, c).await;
            let r = app.ok(&c.token, "mutation($input: ApplicationCreateInput!) { applicationCreate(input: $input) { application { id version } userErrors { code } } }",
                json!({ "input": { "clientId": c.client, "vacancyId": vacancy, "stage": "DISCUSSED", "submittedBy": "SPECIALIST" } })).await;
            assert_eq!(
                r.user_errors("applicationCreate"),
                vec![],
                "a discussed application tells no one: {}",
                r.body
            );
            json!({ "application": r.data("applicationCreate.application.id"), "version": r.data("applicationCreate.application.version") })
        }
        "applicationCreate" => json!({ "vacancy": vacancy(app, c).await }),
        "supportContactRecord" => {
            let r = app.ok(&c.token, "mutation($input: JobStartRecordInput!) { jobStartRecord(input: $input) { job { id } userErrors { code } } }",
                json!({ "input": { "clientId": c.client, "employerId": c.employer, "title": "Packer", "startDate": "2026-11-02", "hoursPerWeek": 20.0,
                    "hourlyPay": 12.5, "contractType": "PERMANENT" } })).await;
            json!({ "job": r.data("jobStartRecord.job.id") })
        }
        _ => json!({}),
    }
}

/// Tries the act; its user errors' codes.
async fn act(app: &TestApp, c: &Case, act: &str, ids: &Value) -> Vec<String> {
    let (query, input) = match act {
        "clientIntroduce" => (
            "mutation($input: ClientIntroduceInput!) { clientIntroduce(input: $input) { userErrors { field code message } } }",
            json!({ "clientId": c.client, "employerId": c.employer, "contactId": c.contact, "items": ["SERVICE_AFFILIATION"], "channel": "PHONE" }),
        ),
        "engagementCreate" => (
            "mutation($input: EngagementCreateInput!) { engagementCreate(input: $input) { userErrors { field code message } } }",
            json!({ "employerId": c.employer, "contactId": c.contact, "occurredAt": "2026-11-20T10:00:00Z", "mode": "FACE_TO_FACE",
                "purpose": "PRESENT_CANDIDATE", "outcome": "Presented the candidate", "clientIds": [c.client] }),
        ),
        "engagementCorrect" => (
            "mutation($input: EngagementCorrectInput!) { engagementCorrect(input: $input) { userErrors { field code message } } }",
            json!({ "id": ids["engagement"], "contactId": c.contact }),
        ),
        "applicationCreate" => (
            "mutation($input: ApplicationCreateInput!) { applicationCreate(input: $input) { userErrors { field code message } } }",
            json!({ "clientId": c.client, "vacancyId": ids["vacancy"], "stage": "APPLIED", "submittedBy": "SPECIALIST" }),
        ),
        "applicationAdvance" => (
            "mutation($input: ApplicationAdvanceInput!) { applicationAdvance(input: $input) { userErrors { field code message } } }",
            json!({ "id": ids["application"], "version": ids["version"], "stage": "INTERVIEW" }),
        ),
        "jobStartRecord" => (
            "mutation($input: JobStartRecordInput!) { jobStartRecord(input: $input) { userErrors { field code message } } }",
            json!({ "clientId": c.client, "applicationId": ids["application"], "employerId": c.employer, "title": "Packer", "startDate": "2026-11-02",
                "hoursPerWeek": 20.0, "hourlyPay": 12.5, "contractType": "PERMANENT" }),
        ),
        "supportContactRecord" => (
            "mutation($input: SupportContactRecordInput!) { supportContactRecord(input: $input) { userErrors { field code message } } }",
            json!({ "clientId": c.client, "jobStartId": ids["job"], "withWhom": "EMPLOYER", "mode": "PHONE", "occurredAt": "2026-11-20T11:00:00Z" }),
        ),
        other => panic!("no driver for gated mutation {other}"),
    };
    let r = app.ok(&c.token, query, json!({ "input": input })).await;
    r.user_errors(act)
        .into_iter()
        .map(|(_, code)| code)
        .collect()
}

#[tokio::test]
async fn every_gated_mutation_is_refused_without_a_consent_that_covers_it() {
    on_each_database(|app| async move {
        for gated in GATED {
            for consent in [Consent::Missing, Consent::OtherContact, Consent::OtherPurpose, Consent::Revoked, Consent::Expired, Consent::Covering] {
                let c = case(&app).await;
                let ids = prepare(&app, &c, gated).await;
                // In-work support is allowed by IN_WORK_SUPPORT consents; everything else is not.
                let other_purpose = if gated == "supportContactRecord" { "INTRODUCTION" } else { "IN_WORK_SUPPORT" };
                match consent {
                    Consent::Missing => {}
                    Consent::OtherContact => {
                        grant(&app, &c, "LIAISON", Some(&c.other_contact)).await;
                    }
                    Consent::OtherPurpose => {
                        grant(&app, &c, other_purpose, None).await;
                    }
                    Consent::Revoked => {
                        let id = grant(&app, &c, "LIAISON", None).await;
                        revoke(&app, &c, &id).await;
                    }
                    Consent::Expired => {
                        grant(&app, &c, "LIAISON", None).await;
                        // The term ran out, as time would have it (earlier cases are finished,
                        // so every consent on record may lapse).
                        let result = sea_orm::ConnectionTrait::execute_unprepared(&app.db,
                            "UPDATE disclosure_consent SET expires_at = '2026-01-01 00:00:00+00:00', effective_from = '2025-06-01 00:00:00+00:00'")
                            .await
                            .expect("expire");
                        assert!(result.rows_affected() > 0);
                    }
                    Consent::Covering => {
                        grant(&app, &c, "LIAISON", None).await;
                    }
                }
                let before = disclosures(&app, &c).await;
                let codes = act(&app, &c, gated, &ids).await;
                let after = disclosures(&app, &c).await;
                if consent == Consent::Covering {
                    assert_eq!(codes, Vec::<String>::new(), "{gated} with a covering consent");
                    assert_eq!(after, before + 1, "{gated} is logged once");
                } else {
                    assert!(codes.iter().any(|c| c == "DISCLOSURE_NOT_CONSENTED"), "{gated} with {consent:?} went through: {codes:?}");
                    assert_eq!(after, before, "{gated} with {consent:?} logged a disclosure");
                }
            }
        }
    })
    .await;
}
