//! Fidelity measures over a hand-built scenario whose answers are worked out below, and who may
//! ask for them.

use chrono::{Datelike, Duration, NaiveDate};
use serde_json::{Value, json};

use crate::helpers::{Response, TestApp, on_each_database};

pub(crate) const REPORT: &str = "query($scope: FidelityScopeInput!, $from: Date!, $to: Date!) { fidelity(scope: $scope, from: $from, to: $to) {
    scope measures { key value anchor target better bounds series { label value } rolling { label value } clientsPastTarget { name } } } }";

pub(crate) async fn register(
    app: &TestApp,
    token: &str,
    name: &str,
    referred: NaiveDate,
) -> String {
    let r = app
        .ok(token, "mutation($input: ClientRegisterInput!) { clientRegister(input: $input) { client { id } userErrors { field code } } }",
            json!({ "input": { "name": name, "referralDate": referred.to_string(), "referralSource": "TREATMENT_KEYWORKER" } }))
        .await;
    r.data("clientRegister.client.id")
        .as_str()
        .unwrap_or_else(|| panic!("{}", r.body))
        .to_string()
}

pub(crate) async fn engage(
    app: &TestApp,
    token: &str,
    employer: &str,
    day: NaiveDate,
    mode: &str,
    clients: Vec<&str>,
) -> String {
    let r = app
        .ok(token, "mutation($input: EngagementCreateInput!) { engagementCreate(input: $input) { engagement { id } userErrors { field code message } } }",
            json!({ "input": { "employerId": employer, "occurredAt": format!("{day}T10:00:00Z"), "mode": mode, "purpose": "LEARN_NEEDS",
                "outcome": "Visited", "clientIds": clients } }))
        .await;
    r.data("engagementCreate.engagement.id")
        .as_str()
        .unwrap_or_else(|| panic!("{}", r.body))
        .to_string()
}

pub(crate) fn measure<'a>(report: &'a Value, key: &str) -> &'a Value {
    report["measures"]
        .as_array()
        .expect("measures")
        .iter()
        .find(|m| m["key"] == key.to_uppercase().as_str())
        .expect("measure")
}

#[tokio::test]
async fn fidelity_measures_come_out_as_worked_out_by_hand() {
    on_each_database(|app| async move {
        let team = app.create_team("Fidelity team").await;
        let (a_id, _, a) = app.create_staff("SPECIALIST", Some(&team)).await;
        let (_, _, b) = app.create_staff("SPECIALIST", Some(&team)).await;
        let (_, _, lead) = app.create_staff("TEAM_LEAD", Some(&team)).await;
        let employer = app.create_employer(&a, "Fidelity Foods", "MANUFACTURING").await;

        // The range starts on the Monday on or before seven weeks ago and ends today, so it holds
        // 8 weeks (7 whole ones and this one, partly).
        let today = chrono::Utc::now().date_naive();
        let back = today - Duration::days(49);
        let from = back - Duration::days(i64::from(back.weekday().num_days_from_monday()));
        let day = |n: i64| from + Duration::days(n);

        // Caseloads: A holds C1, C2, C3; B holds C4 and C5 (both referred before the range). C5 is
        // discharged on day 20, which takes them off B's caseload.
        let c1 = register(&app, &a, "Client One", day(2)).await;
        let c2 = register(&app, &a, "Client Two", day(3)).await;
        register(&app, &a, "Client Three", day(1)).await;
        register(&app, &b, "Client Four", from - Duration::days(20)).await;
        let c5 = register(&app, &b, "Client Five", from - Duration::days(40)).await;
        let r = app.ok(&b, "mutation($input: ClientStatusChangeInput!) { clientStatusChange(input: $input) { userErrors { field code message } } }",
            json!({ "input": { "id": c5, "version": 1, "status": "DISCHARGED", "on": day(20).to_string(), "reason": "Moved away" } })).await;
        assert_eq!(r.data("clientStatusChange.userErrors"), &json!([]), "{}", r.body);
        for (client, token) in [(&c1, &a), (&c2, &a)] {
            app.ok(token, "mutation($input: ConsentGrantInput!) { consentGrant(input: $input) { userErrors { message } } }",
                json!({ "input": { "clientId": client, "employerId": employer, "purpose": "INTRODUCTION", "level": "SERVICE_AFFILIATION",
                    "items": ["SERVICE_AFFILIATION"], "whoDiscloses": "SPECIALIST", "wording": "Supported by the service.",
                    "capturedHow": "IN_PERSON_SIGNED", "effectiveFrom": format!("{}T00:00:00Z", from - Duration::days(30)), "expiresAt": format!("{}T00:00:00Z", today + Duration::days(90)) } }))
                .await;
        }

        // Week 1: A visits 6 employers face to face, B 2; A also records one visit that is then
        // retracted (it counts for nothing) and corrects another (it counts once).
        for n in 0..6 {
            engage(&app, &a, &employer, day(n % 5), "FACE_TO_FACE", vec![]).await;
        }
        for n in 0..2 {
            engage(&app, &b, &employer, day(n), "FACE_TO_FACE", vec![]).await;
        }
        let mistaken = engage(&app, &a, &employer, day(4), "FACE_TO_FACE", vec![]).await;
        app.ok(&a, "mutation($id: ID!) { engagementRetract(input: { id: $id, reason: \"recorded twice\" }) { userErrors { message } } }", json!({ "id": mistaken })).await;
        let corrected = engage(&app, &a, &employer, day(5), "PHONE", vec![]).await;
        let r = app.ok(&a, "mutation($id: ID!) { engagementCorrect(input: { id: $id, mode: FACE_TO_FACE }) { userErrors { message } } }", json!({ "id": corrected })).await;
        assert_eq!(r.data("engagementCorrect.userErrors"), &json!([]), "{}", r.body);
        // Week 2: on C1's behalf face to face — recorded as day 8, then corrected to day 11, so 9
        // days after referral — C2 by phone (does not count) and then face to face (10 days).
        let slip = engage(&app, &a, &employer, day(8), "FACE_TO_FACE", vec![&c1]).await;
        let r = app
            .ok(&a, "mutation($id: ID!, $at: DateTime!) { engagementCorrect(input: { id: $id, occurredAt: $at }) { userErrors { message } } }",
                json!({ "id": slip, "at": format!("{}T10:00:00Z", day(11)) }))
            .await;
        assert_eq!(r.data("engagementCorrect.userErrors"), &json!([]), "{}", r.body);
        engage(&app, &a, &employer, day(9), "PHONE", vec![&c2]).await;
        engage(&app, &a, &employer, day(13), "FACE_TO_FACE", vec![&c2]).await;

        let team_report = app.ok(&lead, REPORT, json!({ "scope": { "teamId": team }, "from": from.to_string(), "to": today.to_string() })).await;
        let report = team_report.data("fidelity").clone();

        // Caseload: 4 clients (C5 is discharged) over 2 full-time specialists = 2.0, anchor 5 (20
        // or fewer).
        let caseload = measure(&report, "caseload_per_fte");
        assert_eq!((caseload["value"].as_f64(), caseload["anchor"].as_i64()), (Some(2.0), Some(5)), "{caseload}");
        assert_eq!(caseload["target"], 20.0);

        // Contacts: week 1 has 6 + 2 + 1 (the correction) = 9 visits, week 2 has 2; per specialist
        // 4.5 and 1.0, then six empty weeks: mean 5.5 / 8 = 0.6875 → 0.69, anchor 1 (under 1).
        let contacts = measure(&report, "face_to_face_employer_contacts_per_week");
        let weekly: Vec<f64> = contacts["series"].as_array().expect("series").iter().map(|p| p["value"].as_f64().expect("value")).collect();
        assert_eq!(weekly, vec![4.5, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], "{contacts}");
        assert_eq!((contacts["value"].as_f64(), contacts["anchor"].as_i64()), (Some(0.69), Some(1)));
        // Rolling 4-week mean: 4.5, (4.5+1)/2 = 2.75, 5.5/3 = 1.83, 5.5/4 = 1.38, then 1/4 = 0.25, 0, 0, 0.
        let rolling: Vec<f64> = contacts["rolling"].as_array().expect("rolling").iter().map(|p| p["value"].as_f64().expect("value")).collect();
        assert_eq!(rolling, vec![4.5, 2.75, 1.83, 1.38, 0.25, 0.0, 0.0, 0.0]);

        // Days to first face-to-face contact: C1 9 (the corrected date, not the original 6), C2 10
        // (the phone call does not count) → mean 9.5, anchor 5 (30 or fewer). C3, referred on day 1
        // and never presented, is past 30 days.
        let first = measure(&report, "days_to_first_employer_contact");
        assert_eq!((first["value"].as_f64(), first["anchor"].as_i64()), (Some(9.5), Some(5)), "{first}");
        let days: Vec<f64> = first["series"].as_array().expect("series").iter().map(|p| p["value"].as_f64().expect("value")).collect();
        let mut sorted = days.clone();
        sorted.sort_by(f64::total_cmp);
        assert_eq!(sorted, vec![9.0, 10.0]);
        assert_eq!(first["clientsPastTarget"], json!([{ "name": "Client Three" }]));

        // Each specialist's own measures, in name order: A holds 3 clients, B 1 (C5 is discharged).
        let r = app.ok(&lead, "query($scope: FidelityScopeInput!, $from: Date!, $to: Date!) { fidelity(scope: $scope, from: $from, to: $to) {
            bySpecialist { specialist { id } measures { key value } } } }",
            json!({ "scope": { "teamId": team }, "from": from.to_string(), "to": today.to_string() })).await;
        let rows = r.data("fidelity.bySpecialist").as_array().expect("rows").clone();
        let caseloads: Vec<(String, f64)> = rows.iter().map(|row| (row["specialist"]["id"].as_str().expect("id").to_string(), measure(row, "caseload_per_fte")["value"].as_f64().expect("value"))).collect();
        assert_eq!(caseloads.len(), 2, "{rows:?}");
        assert!(caseloads.contains(&(a_id.clone(), 3.0)), "{caseloads:?}");
        assert!(caseloads.iter().any(|(id, n)| *id != a_id && *n == 1.0), "{caseloads:?}");

        // A specialist sees their own measures (A: 3 clients), not the team's; admins none.
        let own = app.ok(&a, REPORT, json!({ "scope": {}, "from": from.to_string(), "to": today.to_string() })).await;
        assert_eq!(measure(own.data("fidelity"), "caseload_per_fte")["value"].as_f64(), Some(3.0));
        let r = app.graphql(Some(&a), REPORT, json!({ "scope": { "teamId": team }, "from": from.to_string(), "to": today.to_string() })).await;
        assert_eq!(r.error_code(), Some("FORBIDDEN"));
        let r = app.graphql(Some(&app.admin_token()), REPORT, json!({ "scope": { "teamId": team }, "from": from.to_string(), "to": today.to_string() })).await;
        assert_eq!(r.error_code(), Some("FORBIDDEN"));
        let r = app.ok(&lead, REPORT, json!({ "scope": { "specialistId": a_id }, "from": from.to_string(), "to": today.to_string() })).await;
        assert_eq!(r.data("fidelity.scope"), "Test SPECIALIST");
        let (_, _, stranger) = app.specialist().await;
        let r = app.graphql(Some(&stranger), REPORT, json!({ "scope": { "specialistId": a_id }, "from": from.to_string(), "to": today.to_string() })).await;
        assert_eq!(r.error_code(), Some("FORBIDDEN"));
    })
    .await;
}

pub(crate) async fn job(app: &TestApp, token: &str, client: &str, fields: Value) -> String {
    let mut input = json!({ "clientId": client, "hoursPerWeek": 16.0, "hourlyPay": 12.5, "contractType": "PERMANENT" });
    for (k, v) in fields.as_object().expect("fields") {
        input[k] = v.clone();
    }
    let r = app
        .ok(token, "mutation($input: JobStartRecordInput!) { jobStartRecord(input: $input) { job { id version } userErrors { field code message } } }", json!({ "input": input }))
        .await;
    r.data("jobStartRecord.job.id")
        .as_str()
        .unwrap_or_else(|| panic!("{}", r.body))
        .to_string()
}

/// Support contacts with the client: in person before the start (`n < 0`), by phone after,
/// unless `phone_before` says the ones before were by phone too.
async fn support(
    app: &TestApp,
    token: &str,
    client: &str,
    start: NaiveDate,
    offsets: &[i64],
    phone_before: &[i64],
) {
    for n in offsets {
        let day = start + Duration::days(*n);
        let mode = if *n < 0 && !phone_before.contains(n) {
            "FACE_TO_FACE"
        } else {
            "PHONE"
        };
        let r = app
            .ok(token, "mutation($input: SupportContactRecordInput!) { supportContactRecord(input: $input) { userErrors { field code message } } }",
                json!({ "input": { "clientId": client, "withWhom": "CLIENT", "mode": mode, "occurredAt": format!("{day}T12:00:00Z") } }))
            .await;
        assert_eq!(
            r.data("supportContactRecord.userErrors"),
            &json!([]),
            "{}",
            r.body
        );
    }
}

async fn discuss(app: &TestApp, token: &str, client: &str, day: NaiveDate) {
    let r = app
        .ok(token, "mutation($input: DisclosureDiscussionRecordInput!) { disclosureDiscussionRecord(input: $input) { userErrors { field code message } } }",
            json!({ "input": { "clientId": client, "discussedOn": day.to_string(), "preferredLevel": "PARTIAL", "whoSpeaks": "SPECIALIST", "notes": "Talked it through." } }))
        .await;
    assert_eq!(
        r.data("disclosureDiscussionRecord.userErrors"),
        &json!([]),
        "{}",
        r.body
    );
}

#[tokio::test]
async fn job_support_and_disclosure_measures_come_out_as_worked_out_by_hand() {
    on_each_database(|app| async move {
        let (_, _, a) = app.specialist().await;
        let employer = app.create_employer(&a, "Fidelity Foods", "MANUFACTURING").await;
        let today = chrono::Utc::now().date_naive();
        let ago = |n: i64| today - Duration::days(n);
        let (from, to) = (ago(120), today);
        let mut clients = Vec::new();
        for name in ["Client One", "Client Two", "Client Three", "Client Four"] {
            clients.push(register(&app, &a, name, ago(118)).await);
        }
        let (c1, c2, c3, c4) = (&clients[0], &clients[1], &clients[2], &clients[3]);

        // Four job starts in the range:
        //   J1 C1 kitchen porter, SOC 9272, at Fidelity Foods (record), day −100, competitive;
        //   J2 C2 kitchen porter, SOC 9272, at "Crown Hotel", day −90, competitive, ended day −40;
        //   J3 C3 cleaner, SOC 9233, at Fidelity Foods, day −80, not competitive;
        //   J4 C4 warehouse operative, no SOC, at "Depot Ltd", day −20, competitive.
        job(&app, &a, c1, json!({ "title": "Kitchen porter", "socCode": "9272", "employerId": employer, "startDate": ago(100).to_string() })).await;
        let j2 = job(&app, &a, c2, json!({ "title": "Kitchen porter", "socCode": "9272", "employerName": "Crown Hotel", "startDate": ago(90).to_string() })).await;
        let r = app.ok(&a, "mutation($input: JobEndRecordInput!) { jobEndRecord(input: $input) { userErrors { field code message } } }",
            json!({ "input": { "id": j2, "version": 1, "endDate": ago(40).to_string(), "reason": "Contract ended" } })).await;
        assert_eq!(r.data("jobEndRecord.userErrors"), &json!([]), "{}", r.body);
        job(&app, &a, c3, json!({ "title": "Cleaner", "socCode": "9233", "employerId": employer, "startDate": ago(80).to_string(), "competitive": false })).await;
        job(&app, &a, c4, json!({ "title": "Warehouse operative", "employerName": "Depot Ltd", "startDate": ago(20).to_string() })).await;

        // Support (S = the start day; before the start in person, after it by phone):
        //   J1: S−5, S+1, then weeks S+8, S+15, S+22, then S+40 and S+70 for the 30-day windows
        //       S+28..S+57 and S+58..S+87 (S+88..S+117 ends after today) → kept;
        //   J2: S−3, S+2, S+9, S+16, nothing in S+21..S+27 (it ended on S+50) → not kept; a contact
        //       two days after it ended → prompt;
        //   J3: nothing → not kept;
        //   J4: in person on S−10, a phone call on S−7, then S+3, S+10, S+17 → not kept: the
        //       scale asks for a face-to-face contact in the week before the start (S−7..S−1), and
        //       S−10 is outside it while S−7 was by phone. (Under the old two-week window that
        //       counted any contact, J4 was kept.)
        support(&app, &a, c1, ago(100), &[-5, 1, 8, 15, 22, 40, 70], &[]).await;
        support(&app, &a, c2, ago(90), &[-3, 2, 9, 16, 52], &[]).await;
        support(&app, &a, c4, ago(20), &[-10, -7, 3, 10, 17], &[-7]).await;

        // Disclosure: C1 discussed twice (days −117 and −110) before its first employer contact on
        // day −105; C2 once (day −117) before its first on day −104. C3 and C4 have no contact.
        for client in [c1, c2] {
            app.ok(&a, "mutation($input: ConsentGrantInput!) { consentGrant(input: $input) { userErrors { message } } }",
                json!({ "input": { "clientId": client, "employerId": employer, "purpose": "INTRODUCTION", "level": "SERVICE_AFFILIATION",
                    "items": ["SERVICE_AFFILIATION"], "whoDiscloses": "SPECIALIST", "wording": "Supported by the service.",
                    "capturedHow": "IN_PERSON_SIGNED", "effectiveFrom": format!("{}T00:00:00Z", ago(119)), "expiresAt": format!("{}T00:00:00Z", today + Duration::days(90)) } }))
                .await;
        }
        discuss(&app, &a, c1, ago(117)).await;
        discuss(&app, &a, c1, ago(110)).await;
        discuss(&app, &a, c2, ago(117)).await;
        // A discussion after the first contact does not count.
        discuss(&app, &a, c2, ago(100)).await;
        engage(&app, &a, &employer, ago(105), "FACE_TO_FACE", vec![c1]).await;
        engage(&app, &a, &employer, ago(104), "PHONE", vec![c2]).await;

        let r = app.ok(&a, REPORT, json!({ "scope": {}, "from": from.to_string(), "to": to.to_string() })).await;
        let report = r.data("fidelity").clone();
        let value = |key: &str| {
            let m = measure(&report, key);
            (m["value"].as_f64(), m["anchor"].as_i64())
        };
        // Job types: 9272, 9233 and one uncoded title = 3 of 4 starts = 75 %, anchor 4 (70–84).
        assert_eq!(value("job_type_diversity"), (Some(75.0), Some(4)), "{report}");
        let types = measure(&report, "job_type_diversity")["series"].clone();
        assert_eq!(types, json!([{ "label": "SOC 9233", "value": 1.0 }, { "label": "SOC 9272", "value": 2.0 }, { "label": "Warehouse operative", "value": 1.0 }]));
        // Employers: Fidelity Foods (twice), Crown Hotel, Depot Ltd = 3 of 4 = 75 %, anchor 4.
        assert_eq!(value("employer_diversity"), (Some(75.0), Some(4)));
        // Competitive: 3 of 4 = 75 %, anchor 3 (75–84).
        assert_eq!(value("competitive_jobs"), (Some(75.0), Some(3)));
        // Support rhythm: J1 of 4 = 25 %, anchor 1 (below 50).
        assert_eq!(value("in_work_support_rhythm"), (Some(25.0), Some(1)));
        // After a job ends: J2 only, contacted on day 2 = 100 %, anchor 5.
        assert_eq!(value("contact_after_job_end"), (Some(100.0), Some(5)));
        // Disclosure discussed twice before the first contact: C1 of C1 and C2 = 50 %, anchor 2.
        assert_eq!(value("disclosure_discussed_before_employer_contact"), (Some(50.0), Some(2)));
        let discussed = measure(&report, "disclosure_discussed_before_employer_contact")["series"].clone();
        assert_eq!(discussed, json!([{ "label": "Client One", "value": 2.0 }, { "label": "Client Two", "value": 1.0 }]));

        // A range with no job starts has no value (and no anchor) rather than a misleading 0.
        let r = app.ok(&a, REPORT, json!({ "scope": {}, "from": ago(10).to_string(), "to": to.to_string() })).await;
        assert_eq!(measure(r.data("fidelity"), "competitive_jobs")["value"], Value::Null);
    })
    .await;
}

const OUTCOMES: &str = "query($scope: FidelityScopeInput!, $from: Date!, $to: Date!, $definition: OutcomeDefinition!, $split: OutcomeSplit) {
    outcomes(scope: $scope, from: $from, to: $to, definition: $definition, splitBy: $split) {
        description total { group clients achieved rate display } groups { group clients achieved rate display }
        byQuarter { group clients display } } }";

#[tokio::test]
async fn outcomes_are_split_small_groups_suppressed_and_substance_groups_kept_to_team_leads() {
    on_each_database(|app| async move {
        let team = app.create_team("Outcome team").await;
        let (_, _, a) = app.create_staff("SPECIALIST", Some(&team)).await;
        let (_, _, b) = app.create_staff("SPECIALIST", Some(&team)).await;
        let (_, _, lead) = app.create_staff("TEAM_LEAD", Some(&team)).await;
        let today = chrono::Utc::now().date_naive();
        let ago = |n: i64| today - Duration::days(n);
        // A: ten clients, the first five in work (16 h from day −60); B: three clients, one in work.
        let mut a_clients = Vec::new();
        for n in 0..10 {
            let c = register(&app, &a, &format!("A client {n:02}"), ago(100)).await;
            if n < 5 {
                job(&app, &a, &c, json!({ "title": "Porter", "employerName": "Crown Hotel", "startDate": ago(60).to_string() })).await;
            }
            a_clients.push(c);
        }
        for n in 0..3 {
            let c = register(&app, &b, &format!("B client {n}"), ago(100)).await;
            if n == 0 {
                job(&app, &b, &c, json!({ "title": "Cleaner", "employerName": "Depot Ltd", "startDate": ago(50).to_string() })).await;
            }
        }
        // Six of A's clients have opiates recorded as their primary substance group; the rest none.
        for c in &a_clients[..6] {
            app.ok(&a, "mutation($input: ClientSensitiveRecordInput!) { clientSensitiveRecord(input: $input) { client { id } } }",
                json!({ "input": { "clientId": c, "primarySubstanceGroup": "OPIATES" } })).await;
        }
        let vars = |split: Value| json!({ "scope": { "teamId": team }, "from": ago(200).to_string(), "to": today.to_string(), "definition": "JOB_START", "split": split });

        // By specialist: the team has 6 of 13 in work; B's 3 people are under 5: "<5". A has 5 of
        // 10, but the total less A would give B's 3 and 1, so A is withheld too: "*".
        let r = app.ok(&lead, OUTCOMES, vars(json!("SPECIALIST"))).await;
        assert_eq!(r.data("outcomes.total"), &json!({ "group": "All", "clients": 13, "achieved": 6, "rate": 46.2, "display": "6 of 13 (46.2%)" }));
        let groups = r.data("outcomes.groups").as_array().expect("groups").clone();
        // The series behind the total, quarter by quarter: every client was registered today, so
        // only this quarter has them on a caseload (13); earlier quarters have none ("<5").
        let quarters = r.data("outcomes.byQuarter").as_array().expect("quarters").clone();
        let quarter = |d: NaiveDate| format!("{} Q{}", d.year(), d.month0() / 3 + 1);
        assert_eq!(quarters.first().map(|q| q["group"].clone()), Some(json!(quarter(ago(200)))), "{quarters:?}");
        assert_eq!(quarters.last().map(|q| (q["group"].clone(), q["clients"].clone())), Some((json!(quarter(today)), json!(13))), "{quarters:?}");
        assert!(quarters[..quarters.len() - 1].iter().all(|q| q["display"] == "<5"), "{quarters:?}");
        let mut displays: Vec<&str> = groups.iter().map(|g| g["display"].as_str().expect("display")).collect();
        displays.sort();
        assert_eq!(displays, ["*", "<5"], "{groups:?}");
        assert!(groups.iter().all(|g| g["clients"].is_null() && g["achieved"].is_null()), "{groups:?}");

        // By substance group (team leads only, audited): opiates 5 of 6 in work — one person not in
        // work would be identifiable, so the count is suppressed; "Not recorded" 1 of 7 likewise.
        let audited_before = audit_events(&app).await;
        let r = app.ok(&lead, OUTCOMES, vars(json!("SUBSTANCE_GROUP"))).await;
        assert_eq!(
            r.data("outcomes.groups"),
            &json!([
                { "group": "Not recorded", "clients": 7, "achieved": null, "rate": null, "display": "<5 of 7" },
                { "group": "Opiates", "clients": 6, "achieved": null, "rate": null, "display": "<5 of 6" },
            ])
        );
        assert_eq!(audit_events(&app).await, audited_before + 1, "the substance-group split is audited");
        // A specialist may see their own outcomes but not split by substance group; admins none.
        let own = json!({ "scope": {}, "from": ago(200).to_string(), "to": today.to_string(), "definition": "JOB_START" });
        let r = app.ok(&a, OUTCOMES, own.clone()).await;
        assert_eq!(r.data("outcomes.total.display"), "5 of 10 (50%)");
        let mut split = own.clone();
        split["split"] = json!("SUBSTANCE_GROUP");
        let r = app.graphql(Some(&a), OUTCOMES, split).await;
        assert_eq!(r.error_code(), Some("FORBIDDEN"));
        let r = app.graphql(Some(&app.admin_token()), OUTCOMES, vars(Value::Null)).await;
        assert_eq!(r.error_code(), Some("FORBIDDEN"));
    })
    .await;
}

async fn audit_events(app: &TestApp) -> u64 {
    use sea_orm::{EntityTrait, PaginatorTrait};
    entities::audit_event::Entity::find()
        .count(&app.db)
        .await
        .expect("count")
}

#[tokio::test]
async fn the_ips_grow_export_lists_each_client_in_the_reporting_tools_shape() {
    on_each_database(|app| async move {
        let (_, _, a) = app.specialist().await;
        let today = chrono::Utc::now().date_naive();
        let ago = |n: i64| today - Duration::days(n);
        let c1 = register(&app, &a, "Grow One", ago(100)).await;
        let c2 = register(&app, &a, "Grow Two", ago(90)).await;
        // Grow One was out of work and looking when referred (recorded afterwards).
        let r = app.ok(&a, "mutation($input: ClientUpdateInput!) { clientUpdate(input: $input) { client { employmentAtReferral } userErrors { field message } } }",
            json!({ "input": { "id": c1, "version": 1, "employmentAtReferral": "UNEMPLOYED" } })).await;
        assert_eq!(r.data("clientUpdate.client.employmentAtReferral"), "UNEMPLOYED", "{}", r.body);
        app.ok(&a, "mutation($input: VocationalProfileRecordInput!) { vocationalProfileRecord(input: $input) { profile { version } } }",
            json!({ "input": { "clientId": c1, "workGoal": "Kitchen work" } })).await;
        job(&app, &a, &c1, json!({ "title": "Porter", "employerName": "Crown Hotel", "startDate": ago(60).to_string() })).await;
        job(&app, &a, &c1, json!({ "title": "Cook", "employerName": "Leeds Bakery", "startDate": ago(20).to_string(), "hoursPerWeek": 24.5 })).await;
        let r = app.ok(&a, "mutation($input: ClientStatusChangeInput!) { clientStatusChange(input: $input) { userErrors { field code message } } }",
            json!({ "input": { "id": c2, "version": 1, "status": "DISCHARGED", "on": ago(10).to_string(), "reason": "Moved away, to \"York\", back using", "dischargeReason": "MOVED_AWAY" } })).await;
        assert_eq!(r.data("clientStatusChange.userErrors"), &json!([]), "{}", r.body);

        let path = format!("/reports/ips-grow.csv?from={}&to={today}", ago(120));
        assert_eq!(app.get(&path).await.status().as_u16(), 401);
        let r = app.client.get(format!("{}{path}", app.address)).bearer_auth(&a).send().await.expect("sent");
        assert_eq!(r.status().as_u16(), 200);
        assert!(r.headers()["content-type"].to_str().expect("type").starts_with("text/csv"));
        let csv = r.text().await.expect("body");
        let lines: Vec<&str> = csv.split("\r\n").filter(|l| !l.is_empty()).collect();
        assert_eq!(lines[0], "client_reference,specialist,referral_date,employment_at_referral,vocational_profile_started,first_job_start,first_job_hours_per_week,subsequent_job_starts,subsequent_job_hours_per_week,discharge_date,discharge_reason,status");
        assert_eq!(lines.len(), 3, "{csv}");
        let reference = |id: String| {
            let (app, a) = (&app, &a);
            async move { app.ok(a, "query($id: ID!) { client(id: $id) { reference } }", json!({ "id": id })).await.data("client.reference").as_str().expect("reference").to_string() }
        };
        let one = reference(c1.clone()).await;
        let two = reference(c2.clone()).await;
        // Referral, the profile started today, the first job (16 h) and the later one (24.5 h); the
        // status is as the specialist set it (recording a job does not change it).
        assert_eq!(lines[1], format!("{one},Test SPECIALIST,{},UNEMPLOYED,{today},{},16,{},24.5,,,ACTIVE", ago(100), ago(60), ago(20)));
        // Discharged ten days ago: the coded reason only, never the team's own words.
        assert_eq!(lines[2], format!("{two},Test SPECIALIST,{},,,,,,,{},MOVED_AWAY,DISCHARGED", ago(90), ago(10)));
        assert!(!csv.contains("Grow One") && !csv.contains("Grow Two"), "clients appear by reference only");
        assert!(!csv.contains("York") && !csv.contains("using"), "no free text: {csv}");
        for id in [&c1, &c2] {
            assert!(!csv.contains(&crate::helpers::decode_global_id(id).to_string()), "no database ids: {csv}");
        }
    })
    .await;
}

async fn outreach(app: &TestApp, token: &str, client: &str, day: NaiveDate) -> Response {
    app.ok(token, "mutation($input: OutreachAttemptRecordInput!) { outreachAttemptRecord(input: $input) { attempt { attemptedOn mode } userErrors { field code } } }",
        json!({ "input": { "clientId": client, "attemptedOn": day.to_string(), "mode": "PHONE" } }))
        .await
}

#[tokio::test]
async fn discharges_count_only_after_outreach() {
    on_each_database(|app| async move {
        let (_, _, a) = app.specialist().await;
        let today = chrono::Utc::now().date_naive();
        let ago = |n: i64| today - Duration::days(n);
        let c1 = register(&app, &a, "Client One", ago(100)).await;
        let c2 = register(&app, &a, "Client Two", ago(100)).await;
        let c3 = register(&app, &a, "Client Three", ago(100)).await;
        // All three discharged on day −10. The 8 weeks before it run from day −66 to −10.
        //   One: calls on days −30 and −20 → two attempts: counts;
        //   Two: a call on day −20, and one on day −80 (before the window) → one: does not;
        //   Three: none → does not.
        outreach(&app, &a, &c1, ago(30)).await;
        outreach(&app, &a, &c1, ago(20)).await;
        outreach(&app, &a, &c2, ago(20)).await;
        outreach(&app, &a, &c2, ago(80)).await;
        for client in [&c1, &c2, &c3] {
            let r = app.ok(&a, "mutation($input: ClientStatusChangeInput!) { clientStatusChange(input: $input) { userErrors { field code message } } }",
                json!({ "input": { "id": client, "version": 1, "status": "DISCHARGED", "on": ago(10).to_string(), "reason": "Stopped attending" } })).await;
            assert_eq!(r.data("clientStatusChange.userErrors"), &json!([]), "{}", r.body);
        }
        let r = app.ok(&a, REPORT, json!({ "scope": {}, "from": ago(120).to_string(), "to": today.to_string() })).await;
        let m = measure(r.data("fidelity"), "outreach_before_discharge").clone();
        // One of three discharges followed outreach: 33.33 %, anchor 1 (under 50).
        assert_eq!((m["value"].as_f64(), m["anchor"].as_i64()), (Some(33.33), Some(1)), "{m}");
        assert_eq!(m["series"], json!([{ "label": "Client One", "value": 2.0 }, { "label": "Client Three", "value": 0.0 }, { "label": "Client Two", "value": 1.0 }]));

        // Attempts are listed on the client; a future one is refused; another specialist's client
        // is out of reach.
        let r = app.ok(&a, "query($id: ID!) { client(id: $id) { outreachAttempts { attemptedOn mode } } }", json!({ "id": c1 })).await;
        assert_eq!(r.data("client.outreachAttempts"), &json!([{ "attemptedOn": ago(30).to_string(), "mode": "PHONE" }, { "attemptedOn": ago(20).to_string(), "mode": "PHONE" }]));
        let r = outreach(&app, &a, &c1, today + Duration::days(2)).await;
        assert_eq!(r.user_errors("outreachAttemptRecord"), vec![("input.attemptedOn".to_string(), "INVALID".to_string())]);
        let (_, _, other) = app.specialist().await;
        let r = outreach(&app, &other, &c1, today).await;
        assert_eq!(r.user_errors("outreachAttemptRecord"), vec![("input.clientId".to_string(), "NOT_FOUND".to_string())]);
    })
    .await;
}
