//! Reach as a class: the schema is walked by introspection from `Query` and `Subscription` to every
//! field whose type is `Client` (or an interface or union `Client` belongs to), and each such path
//! is probed for clients the caller no longer reaches — a specialist whose clients were
//! reassigned away and who then moved team, and the lead of the team they moved into. A path the
//! walk finds that has no probe here fails the test. Client-derived text (names in measure
//! series, the IPS Grow export, the printable report) is probed the same way.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::time::Duration;

use chrono::Duration as Days;
use serde_json::{Value, json};

use crate::helpers::{TestApp, decode_global_id, on_each_database};
use crate::subscriptions::{Subscriber, ws_url};

const SCHEMA: &str = "{ __schema { queryType { name } subscriptionType { name } types { name kind possibleTypes { name } interfaces { name }
    fields { name type { ...T } } } } }
    fragment T on __Type { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } }";

/// The named type under any list and non-null wrappers.
fn named(t: &Value) -> String {
    let mut t = t;
    while t["name"].is_null() && !t["ofType"].is_null() {
        t = &t["ofType"];
    }
    t["name"].as_str().unwrap_or_default().to_string()
}

/// Every `Type.field` reachable from the roots whose type is `Client` or an abstract type
/// `Client` belongs to.
fn paths_to_clients(schema: &Value) -> BTreeSet<String> {
    let types: HashMap<String, &Value> = schema["types"]
        .as_array()
        .expect("types")
        .iter()
        .map(|t| (t["name"].as_str().unwrap_or_default().to_string(), t))
        .collect();
    let mut holds_client: HashSet<String> = HashSet::from(["Client".to_string()]);
    for t in types.values() {
        if t["possibleTypes"]
            .as_array()
            .is_some_and(|p| p.iter().any(|p| p["name"] == "Client"))
        {
            holds_client.insert(t["name"].as_str().unwrap_or_default().to_string());
        }
    }
    let roots = [
        &schema["queryType"]["name"],
        &schema["subscriptionType"]["name"],
    ];
    let mut seen = HashSet::new();
    let mut stack: Vec<String> = roots
        .iter()
        .filter_map(|r| r.as_str())
        .map(str::to_string)
        .collect();
    let mut out = BTreeSet::new();
    while let Some(name) = stack.pop() {
        if !seen.insert(name.clone()) {
            continue;
        }
        let Some(t) = types.get(&name) else { continue };
        let mut next: Vec<String> = Vec::new();
        for f in t["fields"].as_array().into_iter().flatten() {
            let target = named(&f["type"]);
            if holds_client.contains(&target) {
                out.insert(format!("{name}.{}", f["name"].as_str().unwrap_or_default()));
            }
            next.push(target);
        }
        for p in t["possibleTypes"].as_array().into_iter().flatten() {
            next.push(p["name"].as_str().unwrap_or_default().to_string());
        }
        stack.extend(next);
    }
    out
}

async fn register(app: &TestApp, token: &str, name: &str, referred: chrono::NaiveDate) -> String {
    let r = app.ok(token, "mutation($input: ClientRegisterInput!) { clientRegister(input: $input) { client { id } userErrors { field code } } }",
        json!({ "input": { "name": name, "referralDate": referred.to_string(), "referralSource": "TREATMENT_KEYWORKER" } })).await;
    r.data("clientRegister.client.id")
        .as_str()
        .unwrap_or_else(|| panic!("client: {}", r.body))
        .to_string()
}

/// Whether any of `needles` (ids, names) occurs in `haystack`.
fn mentions(haystack: &str, needles: &[String]) -> Vec<String> {
    needles
        .iter()
        .filter(|n| haystack.contains(n.as_str()))
        .cloned()
        .collect()
}

struct World {
    specialist: String,
    /// A keyworker who referred X2, and a specialist of team A who never supported either: both
    /// still see X2's referral, and neither reaches X2.
    keyworker: String,
    other_specialist: String,
    lead_b: String,
    team_b: String,
    employer: String,
    vacancy: String,
    /// Ids, names and export references of the two clients that leave the specialist's reach.
    needles: Vec<String>,
    x2: String,
    /// X2's consent (its first version's id), a node of its own.
    consent: String,
}

async fn world(app: &TestApp) -> World {
    let admin = app.admin_token();
    let team_a = app.create_team("Reach Team A").await;
    let team_b = app.create_team("Reach Team B").await;
    let (_, _, lead_a) = app.create_staff("TEAM_LEAD", Some(&team_a)).await;
    let (_, _, lead_b) = app.create_staff("TEAM_LEAD", Some(&team_b)).await;
    let (s_id, _, specialist) = app.create_staff("SPECIALIST", Some(&team_a)).await;
    let (s2_id, _, _) = app.create_staff("SPECIALIST", Some(&team_a)).await;
    let today = chrono::Utc::now().date_naive();
    // X1: referred 60 days ago with no employer contact (past the 30-day target). X2: presented
    // face to face, applied for a vacancy, consent since revoked (an alert), started a job.
    let x1 = register(
        app,
        &specialist,
        "Xenia Faroutreach",
        today - Days::days(60),
    )
    .await;
    // X2 came by referral from a treatment team team A serves: the referral stays visible to the
    // team (and to the keyworker who made it) after X2 leaves the specialist's reach.
    let r = app.ok(&lead_a, "mutation($input: TreatmentTeamCreateInput!) { treatmentTeamCreate(input: $input) { treatmentTeam { id } } }",
        json!({ "input": { "name": "Reach Recovery", "site": "Leeds" } })).await;
    let treatment_team = r
        .data("treatmentTeamCreate.treatmentTeam.id")
        .as_str()
        .expect("treatment team")
        .to_string();
    let (_, keyworker) = crate::referrals::keyworker(app, &treatment_team, "Kay Reach").await;
    let (_, _, other_specialist) = app.create_staff("SPECIALIST", Some(&team_a)).await;
    let r = app.ok(&keyworker, "mutation($input: ReferralCreateInput!) { referralCreate(input: $input) { referral { id } } }",
        json!({ "input": { "personName": "Xavier Movedaway", "referredOn": (today - Days::days(50)).to_string(), "howTold": "IN_PERSON", "contactPreference": "PHONE" } })).await;
    let referral = r
        .data("referralCreate.referral.id")
        .as_str()
        .expect("referral")
        .to_string();
    let r = app.ok(&specialist, "mutation($id: ID!, $on: Date!) { referralRegister(input: { id: $id, version: 1, on: $on }) { referral { client { id } } userErrors { message } } }",
        json!({ "id": referral, "on": (today - Days::days(50)).to_string() })).await;
    let x2 = r
        .data("referralRegister.referral.client.id")
        .as_str()
        .unwrap_or_else(|| panic!("registered: {}", r.body))
        .to_string();
    let employer = app
        .create_employer(&specialist, "Reach Foods", "MANUFACTURING")
        .await;
    let r = app.ok(&specialist, "mutation($input: ConsentGrantInput!) { consentGrant(input: $input) { consent { id } userErrors { message } } }",
        json!({ "input": { "clientId": x2, "employerId": employer, "purpose": "LIAISON", "level": "SERVICE_AFFILIATION",
            "items": ["SERVICE_AFFILIATION"], "whoDiscloses": "SPECIALIST", "wording": "Supported by the service.",
            "capturedHow": "IN_PERSON_SIGNED", "effectiveFrom": format!("{}T00:00:00Z", today - Days::days(49)), "expiresAt": format!("{}T00:00:00Z", today + Days::days(90)) } })).await;
    let consent = r
        .data("consentGrant.consent.id")
        .as_str()
        .expect("consent")
        .to_string();
    let r = app.ok(&specialist, "mutation($input: EngagementCreateInput!) { engagementCreate(input: $input) { userErrors { code } } }",
        json!({ "input": { "employerId": employer, "occurredAt": format!("{}T10:00:00Z", today - Days::days(40)), "mode": "FACE_TO_FACE",
            "purpose": "PRESENT_CANDIDATE", "outcome": "Presented the candidate", "clientIds": [x2] } })).await;
    assert_eq!(r.user_errors("engagementCreate"), vec![], "{}", r.body);
    let vacancy = app.ok(&specialist, "mutation($input: VacancyCreateInput!) { vacancyCreate(input: $input) { vacancy { id } } }",
        json!({ "input": { "title": "Packer", "employerId": employer, "contractType": "PERMANENT", "status": "OPEN",
            "location": { "town": "Leeds", "latitude": 53.7997, "longitude": -1.5492 }, "hoursPerWeekMin": 16, "hoursPerWeekMax": 30,
            "pay": { "min": 12.5, "period": "HOURLY" } } })).await
        .data("vacancyCreate.vacancy.id").as_str().expect("vacancy").to_string();
    let r = app.ok(&specialist, "mutation($input: ApplicationCreateInput!) { applicationCreate(input: $input) { userErrors { code } } }",
        json!({ "input": { "clientId": x2, "vacancyId": vacancy, "stage": "APPLIED", "submittedBy": "SPECIALIST" } })).await;
    assert_eq!(r.user_errors("applicationCreate"), vec![], "{}", r.body);
    app.ok(&specialist, "mutation($input: JobPreferencesRecordInput!) { jobPreferencesRecord(input: $input) { userErrors { code } } }",
        json!({ "input": { "clientId": x2, "occupationTitles": ["Packer"] } })).await;
    app.ok(&specialist, "mutation($input: ClientSensitiveRecordInput!) { clientSensitiveRecord(input: $input) { client { id } } }",
        json!({ "input": { "clientId": x2, "primarySubstanceGroup": "OPIATES" } })).await;
    app.ok(&specialist, "mutation($id: ID!) { consentRevoke(input: { id: $id, capturedHow: PHONE_VERBAL }) { userErrors { code } } }", json!({ "id": consent })).await;

    let r = app.ok(&specialist, "mutation($input: DiaryEntryRecordInput!) { diaryEntryRecord(input: $input) { userErrors { field code } } }",
        json!({ "input": { "withWhom": "CLIENT", "clientIds": [x2], "at": format!("{}T10:00:00Z", today - Days::days(2)), "attendance": "ATTENDED",
            "place": "COMMUNITY", "minutes": 30, "note": "Coffee with Xavier Movedaway" } })).await;
    assert_eq!(r.user_errors("diaryEntryRecord"), vec![], "{}", r.body);
    let reference = |id: String| {
        let specialist = specialist.clone();
        async move {
            app.ok(
                &specialist,
                "query($id: ID!) { client(id: $id) { reference } }",
                json!({ "id": id }),
            )
            .await
            .data("client.reference")
            .as_str()
            .expect("reference")
            .to_string()
        }
    };
    let needles = vec![
        x1.clone(),
        x2.clone(),
        "Xenia Faroutreach".to_string(),
        "Xavier Movedaway".to_string(),
        reference(x1.clone()).await,
        reference(x2.clone()).await,
        // A consent version is a node of its own: it too leaves with its client.
        consent.clone(),
    ];
    let w = World {
        specialist,
        keyworker,
        other_specialist,
        lead_b,
        team_b: team_b.clone(),
        employer,
        vacancy,
        needles,
        x2: x2.clone(),
        consent,
    };

    // Before: the probes see both clients (so they can see them at all).
    let before = probe_text(app, &w, &w.specialist, false).await;
    assert_eq!(
        mentions(&before, &w.needles).len(),
        w.needles.len(),
        "every probe path shows the clients while in reach: {before}"
    );

    // The clients are reassigned away; the specialist then moves into team B.
    for client in [&x1, &x2] {
        let r = app.ok(&lead_a, "mutation($input: ClientAssignInput!) { clientAssign(input: $input) { userErrors { code } } }",
            json!({ "input": { "id": client, "specialistId": s2_id, "reason": "caseload balance" } })).await;
        assert_eq!(r.user_errors("clientAssign"), vec![], "{}", r.body);
    }
    let version = app
        .ok(
            &admin,
            "query($id: ID!) { node(id: $id) { ... on Staff { version } } }",
            json!({ "id": s_id }),
        )
        .await
        .data("node.version")
        .clone();
    let r = app.ok(&admin, "mutation($input: StaffUpdateInput!) { staffUpdate(input: $input) { userErrors { field code message } } }",
        json!({ "input": { "id": s_id, "version": version, "teamId": team_b } })).await;
    assert_eq!(r.user_errors("staffUpdate"), vec![], "{}", r.body);
    w
}

/// Every probe the walk needs, as one text: what `token` gets back from each path.
async fn probe_text(app: &TestApp, w: &World, token: &str, team: bool) -> String {
    let today = chrono::Utc::now().date_naive();
    let from = (today - Days::days(120)).to_string();
    let scope = if team {
        json!({ "teamId": w.team_b })
    } else {
        json!({})
    };
    let mut out = String::new();
    for (query, variables) in probes(w, &scope, &from, &today.to_string()) {
        let r = app.graphql(Some(token), &query, variables).await;
        out.push_str(&r.body.to_string());
    }
    // Client-derived text outside GraphQL: the IPS Grow export and the printable report.
    for path in ["/reports/ips-grow.csv", "/reports/fidelity"] {
        let query = if team {
            format!("?teamId={}&from={from}&to={today}", w.team_b)
        } else {
            format!("?from={from}&to={today}")
        };
        let r = app
            .client
            .get(format!("{}{path}{query}", app.address))
            .bearer_auth(token)
            .send()
            .await
            .expect("sent");
        out.push_str(&r.text().await.expect("body"));
    }
    out
}

/// The probe of each path the walk finds (and of the client-text fields).
fn probes(w: &World, scope: &Value, from: &str, to: &str) -> Vec<(String, Value)> {
    let ids = json!({ "ids": w.needles[..2] });
    let measures = "measures { clientsPastTarget { id name } series { label } rolling { label } }";
    vec![
        // Query.client
        ("query($id: ID!) { client(id: $id) { id name } }".into(), json!({ "id": w.x2 })),
        ("query($id: ID!) { client(id: $id) { id name } }".into(), json!({ "id": w.needles[0] })),
        // Query.node, Query.nodes (Client implements Node)
        ("query($ids: [ID!]!) { nodes(ids: $ids) { id ... on Client { name } } }".into(), ids.clone()),
        ("query($id: ID!) { node(id: $id) { id ... on Client { name } } }".into(), json!({ "id": w.x2 })),
        // Query.node → Consent (a version's wording and employer, reached through its client)
        ("query($id: ID!) { node(id: $id) { id ... on Consent { wording employer { name } } } }".into(), json!({ "id": w.consent })),
        // ClientConnection.nodes, ClientEdge.node
        ("{ clients(first: 100) { nodes { id name } edges { node { id name } } } }".into(), json!({})),
        // Engagement.clients
        ("query($id: ID!) { node(id: $id) { ... on Employer { engagements(first: 50) { nodes { clients { id name } } } } } }".into(), json!({ "id": w.employer })),
        // CandidateMatch.client
        ("query($id: ID!) { vacancy(id: $id) { candidates(includeExcluded: true) { client { id name } } } }".into(), json!({ "id": w.vacancy })),
        // Application.client (through Query.applications; Client.applications and node() reach it
        // only through a reached client)
        ("{ applications(first: 100) { nodes { client { id name } } edges { node { client { id name } } } } }".into(), json!({})),
        // DiaryEntry.clients (the specialist's own diary keeps the entry; the client and the note
        // go), through Query.diary by range and by client
        ("{ diary { note clients { id name } } }".into(), json!({})),
        ("query($id: ID!) { diary(clientId: $id) { note clients { id name } } }".into(), json!({ "id": w.x2 })),
        // WorkItem.client (a queue holds only clients reached now)
        ("{ workQueue { client { id name } subjectId } }".into(), json!({})),
        // Referral.client (the referral stays in the team's sight; the client need not)
        ("{ referrals(first: 50) { nodes { personName client { id name } } } }".into(), json!({})),
        // ConsentAlert.client
        ("{ consentAlerts { client { id name } reason } }".into(), json!({})),
        // FidelityMeasure.clientsPastTarget, SeriesPoint.label, SpecialistFidelity
        (format!("query($scope: FidelityScopeInput!, $from: Date!, $to: Date!) {{ fidelity(scope: $scope, from: $from, to: $to) {{ {measures} bySpecialist {{ {measures} }} }} }}"),
            json!({ "scope": scope, "from": from, "to": to })),
    ]
}

/// Every path the walk may find, and where it is probed.
const PROBED: [&str; 13] = [
    "Query.client",
    "Query.node",
    "Query.nodes",
    "ClientConnection.nodes",
    "ClientEdge.node",
    "Engagement.clients",
    "CandidateMatch.client",
    "Application.client",
    "ConsentAlert.client",
    "FidelityMeasure.clientsPastTarget",
    "Referral.client",
    "DiaryEntry.clients",
    "WorkItem.client",
];

#[tokio::test]
async fn a_client_out_of_reach_is_on_no_path_the_schema_has() {
    on_each_database(|app| async move {
        // The walk: every path to a client must have a probe (the subscription one is probed
        // over a socket below).
        let schema = app.ok(&app.admin_token(), SCHEMA, json!({})).await.data("__schema").clone();
        let paths = paths_to_clients(&schema);
        for path in &paths {
            assert!(PROBED.contains(&path.as_str()) || path == "MatchChange.client",
                "{path} returns clients but is not probed for reach: add a probe to this test");
        }
        for path in PROBED {
            assert!(paths.contains(path), "{path} is probed but the walk no longer finds it (found {paths:?})");
        }

        let w = world(&app).await;
        // The specialist (clients reassigned away, then moved team) and the lead of the team
        // they moved into: neither sees those clients' objects, ids or names anywhere.
        let mut forbidden = w.needles.clone();
        forbidden.extend(w.needles[..2].iter().map(|id| decode_global_id(id).to_string()));
        let as_specialist = probe_text(&app, &w, &w.specialist, false).await;
        assert_eq!(mentions(&as_specialist, &forbidden), Vec::<String>::new(), "the specialist still reaches them: {as_specialist}");
        let as_lead = probe_text(&app, &w, &w.lead_b, true).await;
        assert_eq!(mentions(&as_lead, &forbidden), Vec::<String>::new(), "the new team's lead reaches them: {as_lead}");
        // Those who still see X2's referral reach no client object, id or reference through it
        // or anywhere else.
        let ids_only: Vec<String> = forbidden.iter().filter(|n| !n.contains(' ')).cloned().collect();
        // The keyworker keeps the name they wrote; a specialist of the team who does not hold the
        // client sees the referral but not who it was (once registered, the name goes where the
        // client does).
        let seen = probe_text(&app, &w, &w.keyworker, false).await;
        assert!(seen.contains("Xavier Movedaway"), "the keyworker should still see their referral: {seen}");
        assert_eq!(mentions(&seen, &ids_only), Vec::<String>::new(), "the keyworker reaches a client: {seen}");
        let seen = probe_text(&app, &w, &w.other_specialist, false).await;
        assert!(seen.contains("a client outside your reach"), "the referral is still in the team's sight: {seen}");
        assert_eq!(mentions(&seen, &forbidden), Vec::<String>::new(), "another specialist reaches a client: {seen}");
        // The work is still counted by assignment history: X1 is past the target.
        let r = app.ok(&w.specialist, "query($from: Date!, $to: Date!) { fidelity(scope: {}, from: $from, to: $to) { measures { key clientsPastTargetCount series { label } } } }",
            json!({ "from": (chrono::Utc::now().date_naive() - Days::days(120)).to_string(), "to": chrono::Utc::now().date_naive().to_string() })).await;
        let days = r.data("fidelity.measures").as_array().expect("measures").iter().find(|m| m["key"] == "DAYS_TO_FIRST_EMPLOYER_CONTACT").expect("measure").clone();
        assert_eq!(days["clientsPastTargetCount"], 1, "{days}");
        assert_eq!(days["series"], json!([{ "label": "a client outside your reach" }]), "{days}");
        // The substance-group split reads no facts of clients out of reach.
        let r = app.ok(&w.lead_b, "query($scope: FidelityScopeInput!, $from: Date!, $to: Date!) { outcomes(scope: $scope, from: $from, to: $to, definition: JOB_START, splitBy: SUBSTANCE_GROUP) { groups { group } } }",
            json!({ "scope": { "teamId": w.team_b }, "from": (chrono::Utc::now().date_naive() - Days::days(120)).to_string(), "to": chrono::Utc::now().date_naive().to_string() })).await;
        let groups: Vec<&str> = r.data("outcomes.groups").as_array().expect("groups").iter().filter_map(|g| g["group"].as_str()).collect();
        assert_eq!(groups, ["Outside your reach now"], "{}", r.body);

        // Subscription.matchesChanged → MatchChange.client: refused for a client out of reach.
        let sub = Subscriber::start(&ws_url(&app, "/graphql"), &w.specialist,
            "subscription($id: ID!) { matchesChanged(clientId: $id) { client { id name } } }", json!({ "id": w.x2 }), 1);
        sub.connected().await;
        let line = sub.next(Duration::from_secs(10)).await.expect("an answer");
        assert!(line.get("error").is_some() || line["next"]["errors"].is_array(), "matchesChanged for a client out of reach: {line}");
        assert_eq!(mentions(&line.to_string(), &w.needles[2..4]), Vec::<String>::new());
    })
    .await;
}
