//! The pipeline: applications move forward through dated stages (or end with a reason), job starts
//! and ends keep raw dates, hours and pay, and employer-side support waits for consent.

use serde_json::json;

use crate::helpers::{TestApp, on_each_database};

const CREATE: &str = "mutation($input: ApplicationCreateInput!) { applicationCreate(input: $input) { application { id stage version } userErrors { field code message } } }";
const ADVANCE: &str = "mutation($input: ApplicationAdvanceInput!) { applicationAdvance(input: $input) { application { id stage version history { stage on reason } } userErrors { field code message } } }";
const JOB: &str = "mutation($input: JobStartRecordInput!) { jobStartRecord(input: $input) { job { id title startDate hoursPerWeek hourlyPay competitive endDate version } userErrors { field code message } } }";

async fn client_and_vacancy(app: &TestApp, token: &str) -> (String, String) {
    let r = app
        .ok(token, "mutation($input: ClientRegisterInput!) { clientRegister(input: $input) { client { id } userErrors { field code } } }",
            json!({ "input": { "name": "Pat Pipeline", "referralDate": "2026-08-01", "referralSource": "SELF_REFERRAL" } }))
        .await;
    let client = r
        .data("clientRegister.client.id")
        .as_str()
        .expect("client")
        .to_string();
    let r = app
        .ok(token, "mutation($input: VacancyCreateInput!) { vacancyCreate(input: $input) { vacancy { id } userErrors { field code } } }",
            json!({ "input": { "title": "Warehouse operative", "employerName": "Leeds Logistics", "contractType": "PERMANENT", "status": "OPEN",
                "source": { "kind": "FEED", "feed": "test" }, "externalId": uuid::Uuid::now_v7().to_string() } }))
        .await;
    let vacancy = r
        .data("vacancyCreate.vacancy.id")
        .as_str()
        .expect("vacancy")
        .to_string();
    (client, vacancy)
}

#[tokio::test]
async fn applications_move_forward_through_dated_stages_or_end_with_a_reason() {
    on_each_database(|app| async move {
        let (_, _, token) = app.specialist().await;
        let (client, vacancy) = client_and_vacancy(&app, &token).await;
        let r = app.ok(&token, CREATE, json!({ "input": { "clientId": client, "vacancyId": vacancy, "on": "2026-09-01" } })).await;
        assert_eq!(r.data("applicationCreate.application.stage"), "SUGGESTED", "{}", r.body);
        let id = r.data("applicationCreate.application.id").as_str().expect("id").to_string();
        let r = app.ok(&token, CREATE, json!({ "input": { "clientId": client, "vacancyId": vacancy } })).await;
        assert_eq!(r.user_errors("applicationCreate"), vec![("input.vacancyId".to_string(), "DUPLICATE".to_string())]);

        let advance = async |version: i64, stage: &str, on: &str, reason: Option<&str>| {
            app.ok(&token, ADVANCE, json!({ "input": { "id": id, "version": version, "stage": stage, "on": on, "reason": reason } })).await
        };
        let r = advance(1, "DISCUSSED", "2026-09-02", None).await;
        assert_eq!(r.user_errors("applicationAdvance"), vec![], "{}", r.body);
        let r = advance(2, "INTERVIEW", "2026-09-10", None).await;
        assert_eq!(r.data("applicationAdvance.application.stage"), "INTERVIEW", "stages may be skipped forward: {}", r.body);
        let r = advance(3, "APPLIED", "2026-09-11", None).await;
        assert_eq!(r.user_errors("applicationAdvance"), vec![("input.stage".to_string(), "INVALID".to_string())], "never backwards");
        let r = advance(2, "OFFER", "2026-09-11", None).await;
        assert_eq!(r.user_errors("applicationAdvance"), vec![("input.version".to_string(), "STALE_VERSION".to_string())]);
        let r = advance(3, "NOT_PROGRESSED", "2026-09-12", None).await;
        assert_eq!(r.user_errors("applicationAdvance"), vec![("input.reason".to_string(), "REQUIRED".to_string())]);
        let r = advance(3, "NOT_PROGRESSED", "2026-09-12", Some("employer chose another candidate")).await;
        assert_eq!(r.data("applicationAdvance.application.history"), &json!([
            { "stage": "SUGGESTED", "on": "2026-09-01", "reason": null },
            { "stage": "DISCUSSED", "on": "2026-09-02", "reason": null },
            { "stage": "INTERVIEW", "on": "2026-09-10", "reason": null },
            { "stage": "NOT_PROGRESSED", "on": "2026-09-12", "reason": "employer chose another candidate" },
        ]), "{}", r.body);
        let r = advance(4, "OFFER", "2026-09-13", None).await;
        assert_eq!(r.user_errors("applicationAdvance"), vec![("input.stage".to_string(), "INVALID".to_string())], "a closed application stays closed");

        // Out of reach: another team's specialist cannot see or touch it.
        let (_, _, stranger) = app.specialist().await;
        let r = app.ok(&stranger, "query($id: ID!) { node(id: $id) { id } }", json!({ "id": id })).await;
        assert!(r.data("node").is_null(), "{}", r.body);
        let r = app.ok(&stranger, ADVANCE, json!({ "input": { "id": id, "version": 4, "stage": "OFFER" } })).await;
        assert_eq!(r.user_errors("applicationAdvance"), vec![("input.id".to_string(), "NOT_FOUND".to_string())]);
    })
    .await;
}

#[tokio::test]
async fn a_job_start_closes_its_application_and_keeps_raw_hours_pay_and_dates() {
    on_each_database(|app| async move {
        let (_, _, token) = app.specialist().await;
        let (client, vacancy) = client_and_vacancy(&app, &token).await;
        let r = app.ok(&token, CREATE, json!({ "input": { "clientId": client, "vacancyId": vacancy, "stage": "APPLIED", "on": "2026-09-01" } })).await;
        let application = r.data("applicationCreate.application.id").as_str().expect("id").to_string();

        let job = json!({ "clientId": client, "applicationId": application, "employerName": "Leeds Logistics", "title": "Warehouse operative",
            "socCode": "9260", "startDate": "2026-10-05", "hoursPerWeek": 16.0, "hourlyPay": 12.6, "contractType": "PERMANENT" });
        let mut bad = job.clone();
        bad["hoursPerWeek"] = json!(-3.0);
        bad["socCode"] = json!("92");
        let r = app.ok(&token, JOB, json!({ "input": bad })).await;
        assert_eq!(r.user_errors("jobStartRecord"), vec![("input.socCode".to_string(), "INVALID".to_string()), ("input.hoursPerWeek".to_string(), "INVALID".to_string())]);
        let r = app.ok(&token, JOB, json!({ "input": job })).await;
        assert_eq!(r.user_errors("jobStartRecord"), vec![], "{}", r.body);
        let started = r.data("jobStartRecord.job").clone();
        assert_eq!((started["hoursPerWeek"].as_f64(), started["hourlyPay"].as_f64(), started["competitive"].as_bool()), (Some(16.0), Some(12.6), Some(true)));
        let job_id = started["id"].as_str().expect("job id").to_string();

        let r = app.ok(&token, "query($id: ID!) { node(id: $id) { ... on Application { stage history { stage on } } } }", json!({ "id": application })).await;
        assert_eq!(r.data("node.stage"), "STARTED");
        assert_eq!(r.data("node.history.1"), &json!({ "stage": "STARTED", "on": "2026-10-05" }));

        let end = "mutation($input: JobEndRecordInput!) { jobEndRecord(input: $input) { job { endDate endReason version } userErrors { field code } } }";
        let r = app.ok(&token, end, json!({ "input": { "id": job_id, "version": 1, "endDate": "2026-10-01", "reason": "contract ended" } })).await;
        assert_eq!(r.user_errors("jobEndRecord"), vec![("input.endDate".to_string(), "INVALID".to_string())], "not before the start");
        let r = app.ok(&token, end, json!({ "input": { "id": job_id, "version": 1, "endDate": "2026-11-20", "reason": "temporary contract ended" } })).await;
        assert_eq!(r.data("jobEndRecord.job"), &json!({ "endDate": "2026-11-20", "endReason": "temporary contract ended", "version": 2 }), "{}", r.body);
        let r = app.ok(&token, end, json!({ "input": { "id": job_id, "version": 2, "endDate": "2026-11-21", "reason": "again" } })).await;
        assert_eq!(r.user_errors("jobEndRecord"), vec![("input.id".to_string(), "INVALID".to_string())], "a job ends once");
    })
    .await;
}

#[tokio::test]
async fn a_pipeline_board_lists_the_applications_of_reached_clients_in_the_order_asked() {
    on_each_database(|app| async move {
        let (_, _, token) = app.specialist().await;
        let mut made = Vec::new();
        for _ in 0..3 {
            let (client, vacancy) = client_and_vacancy(&app, &token).await;
            let r = app.ok(&token, CREATE, json!({ "input": { "clientId": client, "vacancyId": vacancy } })).await;
            made.push(r.data("applicationCreate.application.id").as_str().expect("id").to_string());
        }
        let ids = |r: &crate::helpers::Response| -> Vec<String> {
            r.data("applications.nodes").as_array().expect("nodes").iter().map(|n| n["id"].as_str().expect("id").to_string()).collect()
        };
        let r = app.ok(&token, "{ applications(first: 10) { totalCount nodes { id client { name } } } }", json!({})).await;
        assert_eq!(r.data("applications.totalCount"), 3);
        assert_eq!(ids(&r), made.iter().rev().cloned().collect::<Vec<_>>(), "newest first by default");
        assert_eq!(r.data("applications.nodes.0.client.name"), "Pat Pipeline");
        let r = app.ok(&token, "{ applications(first: 10, orderBy: { field: CREATED_AT, direction: ASC }) { nodes { id } } }", json!({})).await;
        assert_eq!(ids(&r), made, "oldest first when asked");
        let r = app.ok(&token, "{ applications(filter: { stages: [APPLIED] }) { totalCount } }", json!({})).await;
        assert_eq!(r.data("applications.totalCount"), 0);

        // Another specialist's board holds none of them.
        let (_, _, other) = app.specialist().await;
        let r = app.ok(&other, "{ applications(first: 10) { totalCount nodes { id } } }", json!({})).await;
        assert_eq!(r.data("applications.totalCount"), 0, "{}", r.body);
    })
    .await;
}
