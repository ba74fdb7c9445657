//! Vacancies: recorded with their details, changed under optimistic concurrency, moved through their
//! statuses, expired when their closing date passes, and logged for the index in the same transaction.

use chrono::{Duration, Utc};
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};

use crate::helpers::{TestApp, decode_global_id, on_each_database};

const VACANCY_FIELDS: &str = "id title skills status version postedAt closingDate contractType remote
    employer { name } employerName occupation { code version title } sector
    location { town postcode latitude longitude } hoursPerWeekMin hoursPerWeekMax shifts
    pay { min max period hourlyMin hourlyMax } source { kind feed } externalId environments dbsLevel drugTesting
    createdBy { name }";

fn create_mutation() -> String {
    format!(
        "mutation($input: VacancyCreateInput!) {{ vacancyCreate(input: $input) {{ vacancy {{ {VACANCY_FIELDS} }} userErrors {{ field code message }} }} }}"
    )
}

fn update_mutation() -> String {
    format!(
        "mutation($input: VacancyUpdateInput!) {{ vacancyUpdate(input: $input) {{ vacancy {{ {VACANCY_FIELDS} }} userErrors {{ field code message }} }} }}"
    )
}

const STATUS_CHANGE: &str =
    "mutation($input: VacancyStatusChangeInput!) { vacancyStatusChange(input: $input) {
    vacancy { status version postedAt } userErrors { field code message } } }";

async fn change_log(app: &TestApp, vacancy_id: &str) -> Vec<String> {
    let uuid = decode_global_id(vacancy_id);
    let backend = app.db.get_database_backend();
    let sql = match backend {
        sea_orm::DatabaseBackend::Postgres => {
            "SELECT op FROM change_log WHERE entity = 'vacancy' AND entity_id = $1 ORDER BY seq"
        }
        _ => "SELECT op FROM change_log WHERE entity = 'vacancy' AND entity_id = ? ORDER BY seq",
    };
    app.db
        .query_all_raw(Statement::from_sql_and_values(backend, sql, [uuid.into()]))
        .await
        .expect("change log")
        .into_iter()
        .map(|row| row.try_get_by_index::<String>(0).expect("op"))
        .collect()
}

async fn open_vacancy(app: &TestApp, token: &str, employer: &str, extra: Value) -> Value {
    let mut input = json!({ "title": "Kitchen porter", "employerId": employer, "contractType": "PERMANENT", "status": "OPEN" });
    for (k, v) in extra.as_object().into_iter().flatten() {
        input[k] = v.clone();
    }
    let r = app
        .ok(token, &create_mutation(), json!({ "input": input }))
        .await;
    assert_eq!(r.user_errors("vacancyCreate"), vec![], "{}", r.body);
    r.data("vacancyCreate.vacancy").clone()
}

#[tokio::test]
async fn a_specialist_records_a_developed_vacancy_with_its_details() {
    on_each_database(|app| async move {
        let (_, _, token) = app.specialist().await;
        let employer = app.create_employer(&token, "Hunslet Kitchens", "ACCOMMODATION_FOOD").await;
        let closing = (Utc::now() + Duration::days(14)).date_naive().to_string();
        let v = open_vacancy(&app, &token, &employer, json!({
            "description": "Washing up and keeping the kitchen clean in a busy staff canteen.",
            "skills": ["Food hygiene level 2", "  ", "Teamwork"],
            "occupation": { "code": "9272" },
            "sector": "ACCOMMODATION_FOOD",
            "location": { "town": "Leeds", "postcode": "ls10 1aa", "latitude": 53.78, "longitude": -1.53 },
            "hoursPerWeekMin": 16, "hoursPerWeekMax": 30,
            "shifts": ["EARLY_STARTS", "DAYS", "DAYS"],
            "pay": { "min": 22000, "max": 23400, "period": "ANNUAL" },
            "closingDate": closing,
            "environments": ["CASH_HANDLING"],
            "dbsLevel": "BASIC", "drugTesting": "PRE_EMPLOYMENT"
        }))
        .await;
        assert_eq!(v["status"], "OPEN");
        assert!(v["postedAt"].is_string(), "opening sets postedAt");
        assert_eq!(v["employer"]["name"], "Hunslet Kitchens");
        assert_eq!(v["employerName"], "Hunslet Kitchens");
        assert_eq!(v["occupation"], json!({ "code": "9272", "version": "SOC2010", "title": "Kitchen and catering assistants" }));
        assert_eq!(v["skills"], json!(["Food hygiene level 2", "Teamwork"]));
        assert_eq!(v["location"]["postcode"], "LS10 1AA");
        assert_eq!(v["shifts"], json!(["DAYS", "EARLY_STARTS"]));
        // 23,400 a year over 30 hours a week, 52 weeks: £15.00 an hour.
        assert_eq!(v["pay"]["hourlyMax"], 15.0);
        assert_eq!(v["source"], json!({ "kind": "DEVELOPED", "feed": null }));
        assert_eq!(v["createdBy"]["name"], "Test SPECIALIST");
        assert_eq!(change_log(&app, v["id"].as_str().expect("id")).await, ["CREATE"]);

        let r = app.ok(&token, "query($id: ID!) { node(id: $id) { ... on Vacancy { title } } }", json!({ "id": v["id"] })).await;
        assert_eq!(r.data("node.title"), "Kitchen porter");
    })
    .await;
}

#[tokio::test]
async fn vacancy_input_problems_are_named_by_field_and_nothing_is_logged() {
    on_each_database(|app| async move {
        let (_, _, token) = app.specialist().await;
        let yesterday = (Utc::now() - Duration::days(1)).date_naive().to_string();
        let input = json!({ "input": {
            "title": " ", "contractType": "TEMPORARY", "status": "OPEN", "closingDate": yesterday,
            "occupation": { "code": "0000" }, "location": { "latitude": 53.0 },
            "hoursPerWeekMin": 40, "hoursPerWeekMax": 20, "pay": { "min": 12, "max": 10, "period": "HOURLY" } } });
        let r = app.ok(&token, &create_mutation(), input).await;
        let mut errors = r.user_errors("vacancyCreate");
        errors.sort();
        assert_eq!(
            errors,
            vec![
                ("input.closingDate".into(), "INVALID".into()),
                ("input.employerId".into(), "REQUIRED".into()),
                ("input.hoursPerWeekMax".into(), "INVALID".into()),
                ("input.location.longitude".into(), "REQUIRED".into()),
                ("input.occupation.code".into(), "INVALID".into()),
                ("input.pay.max".into(), "INVALID".into()),
                ("input.title".into(), "REQUIRED".into()),
            ]
        );
        let r = app
            .ok(&token, &create_mutation(), json!({ "input": { "title": "Picker", "contractType": "TEMPORARY", "source": { "kind": "FEED", "feed": "Not A Key" } } }))
            .await;
        let mut errors = r.user_errors("vacancyCreate");
        errors.sort();
        assert_eq!(errors, vec![("input.externalId".into(), "REQUIRED".into()), ("input.source.feed".into(), "INVALID".into())]);
        let count = app.db.query_one_raw(Statement::from_string(app.db.get_database_backend(), "SELECT COUNT(*) FROM change_log")).await.expect("count").expect("row");
        assert_eq!(count.try_get_by_index::<i64>(0).expect("n"), 0);
    })
    .await;
}

#[tokio::test]
async fn external_ids_are_unique_per_source() {
    on_each_database(|app| async move {
        let (_, _, token) = app.specialist().await;
        let feed = |feed: &str| json!({ "input": { "title": "Warehouse operative", "contractType": "TEMPORARY", "employerName": "Big Sheds Ltd",
            "source": { "kind": "FEED", "feed": feed }, "externalId": "FAJ-1001" } });
        let r = app.ok(&token, &create_mutation(), feed("dwp-find-a-job")).await;
        assert_eq!(r.user_errors("vacancyCreate"), vec![]);
        assert_eq!(r.data("vacancyCreate.vacancy.employerName"), "Big Sheds Ltd");
        assert_eq!(r.data("vacancyCreate.vacancy.source"), &json!({ "kind": "FEED", "feed": "dwp-find-a-job" }));
        let r = app.ok(&token, &create_mutation(), feed("dwp-find-a-job")).await;
        assert_eq!(r.user_errors("vacancyCreate"), vec![("input.externalId".into(), "DUPLICATE".into())]);
        let r = app.ok(&token, &create_mutation(), feed("leeds-council")).await;
        assert_eq!(r.user_errors("vacancyCreate"), vec![], "another feed may use the same id");
    })
    .await;
}

#[tokio::test]
async fn vacancy_updates_apply_once_per_version_and_are_logged() {
    on_each_database(|app| async move {
        let (_, _, token) = app.specialist().await;
        let employer = app.create_employer(&token, "Seacroft Stores", "WHOLESALE_RETAIL").await;
        let v = open_vacancy(&app, &token, &employer, json!({ "pay": { "min": 11.44, "period": "HOURLY" } })).await;
        let r = app
            .ok(&token, &update_mutation(), json!({ "input": { "id": v["id"], "version": 1, "title": "Night shelf filler", "shifts": ["NIGHTS"], "pay": null } }))
            .await;
        assert_eq!(r.user_errors("vacancyUpdate"), vec![]);
        assert_eq!(r.data("vacancyUpdate.vacancy.title"), "Night shelf filler");
        assert_eq!(r.data("vacancyUpdate.vacancy.pay"), &Value::Null);
        assert_eq!(r.data("vacancyUpdate.vacancy.version"), 2);
        assert_eq!(r.data("vacancyUpdate.vacancy.contractType"), "PERMANENT", "absent fields stay");

        let r = app.ok(&token, &update_mutation(), json!({ "input": { "id": v["id"], "version": 1, "title": "Lost update" } })).await;
        assert_eq!(r.user_errors("vacancyUpdate"), vec![("input.version".into(), "STALE_VERSION".into())]);
        assert_eq!(change_log(&app, v["id"].as_str().expect("id")).await, ["CREATE", "UPDATE"]);
    })
    .await;
}

#[tokio::test]
async fn vacancies_move_through_their_statuses() {
    on_each_database(|app| async move {
        let (_, _, token) = app.specialist().await;
        let employer = app.create_employer(&token, "Chapeltown Care", "HEALTH_SOCIAL_WORK").await;
        let r = app
            .ok(&token, &create_mutation(), json!({ "input": { "title": "Care assistant", "employerId": employer, "contractType": "ZERO_HOURS" } }))
            .await;
        let v = r.data("vacancyCreate.vacancy").clone();
        assert_eq!(v["status"], "DRAFT");
        assert_eq!(v["postedAt"], Value::Null);
        let change = |version: i64, status: &str| json!({ "input": { "id": v["id"], "version": version, "status": status } });

        let r = app.ok(&token, STATUS_CHANGE, change(1, "EXPIRED")).await;
        assert_eq!(r.user_errors("vacancyStatusChange"), vec![("input.status".into(), "INVALID".into())]);
        let r = app.ok(&token, STATUS_CHANGE, change(1, "OPEN")).await;
        assert_eq!(r.data("vacancyStatusChange.vacancy.status"), "OPEN");
        assert!(r.data("vacancyStatusChange.vacancy.postedAt").is_string());
        let r = app.ok(&token, STATUS_CHANGE, change(2, "DRAFT")).await;
        assert_eq!(r.user_errors("vacancyStatusChange"), vec![("input.status".into(), "INVALID".into())]);
        let r = app.ok(&token, STATUS_CHANGE, change(1, "FILLED")).await;
        assert_eq!(r.user_errors("vacancyStatusChange"), vec![("input.version".into(), "STALE_VERSION".into())]);
        let r = app.ok(&token, STATUS_CHANGE, change(2, "FILLED")).await;
        assert_eq!(r.data("vacancyStatusChange.vacancy.status"), "FILLED");
        assert_eq!(change_log(&app, v["id"].as_str().expect("id")).await, ["CREATE", "UPDATE", "UPDATE"]);
    })
    .await;
}

#[tokio::test]
async fn open_vacancies_expire_when_their_closing_date_passes() {
    on_each_database(|app| async move {
        let (_, _, token) = app.specialist().await;
        let employer = app.create_employer(&token, "Armley Print", "MANUFACTURING").await;
        let tomorrow = (Utc::now() + Duration::days(1)).date_naive();
        let closing = open_vacancy(&app, &token, &employer, json!({ "closingDate": tomorrow.to_string() })).await;
        let open_ended = open_vacancy(&app, &token, &employer, json!({})).await;

        // The sweep as it will run the day after tomorrow.
        let expired = ipsmatch::vacancies::service::expire_overdue(&app.db, tomorrow + Duration::days(1)).await.expect("sweep");
        assert_eq!(expired, 1);
        let q = "query($a: ID!, $b: ID!) { a: vacancy(id: $a) { status version } b: vacancy(id: $b) { status } }";
        let r = app.ok(&token, q, json!({ "a": closing["id"], "b": open_ended["id"] })).await;
        assert_eq!(r.data("a"), &json!({ "status": "EXPIRED", "version": 2 }));
        assert_eq!(r.data("b.status"), "OPEN");
        assert_eq!(change_log(&app, closing["id"].as_str().expect("id")).await, ["CREATE", "EXPIRE"]);
        assert_eq!(ipsmatch::vacancies::service::expire_overdue(&app.db, tomorrow + Duration::days(1)).await.expect("again"), 0);

        // Reopening needs a closing date that has not passed.
        let r = app.ok(&token, STATUS_CHANGE, json!({ "input": { "id": closing["id"], "version": 2, "status": "OPEN" } })).await;
        assert_eq!(r.data("vacancyStatusChange.vacancy.status"), "OPEN", "tomorrow has not passed yet today");
    })
    .await;
}

#[tokio::test]
async fn vacancies_are_listed_newest_first_with_filters() {
    on_each_database(|app| async move {
        let (_, _, token) = app.specialist().await;
        let employer = app.create_employer(&token, "Kirkstall Logistics", "TRANSPORT_STORAGE").await;
        let next_week = (Utc::now() + Duration::days(7)).date_naive().to_string();
        open_vacancy(&app, &token, &employer, json!({ "title": "Forklift driver", "occupation": { "code": "8222" }, "contractType": "TEMPORARY" })).await;
        open_vacancy(&app, &token, &employer, json!({ "title": "Kitchen assistant", "occupation": { "code": "9272" }, "closingDate": next_week })).await;
        let r = app
            .ok(&token, &create_mutation(), json!({ "input": { "title": "Cleaner", "contractType": "PERMANENT", "employerName": "Feed Co", "source": { "kind": "FEED", "feed": "dwp-find-a-job" }, "externalId": "X1" } }))
            .await;
        assert_eq!(r.user_errors("vacancyCreate"), vec![]);

        let q = "query($f: VacancyFilter) { vacancies(filter: $f) { totalCount nodes { title } } }";
        let titles = |r: &crate::helpers::Response| -> Vec<String> {
            r.data("vacancies.nodes").as_array().expect("nodes").iter().map(|n| n["title"].as_str().expect("title").to_string()).collect()
        };
        let r = app.ok(&token, q, json!({ "f": {} })).await;
        assert_eq!(titles(&r), ["Cleaner", "Kitchen assistant", "Forklift driver"]);
        let r = app.ok(&token, q, json!({ "f": { "statuses": ["OPEN"] } })).await;
        assert_eq!(titles(&r), ["Kitchen assistant", "Forklift driver"]);
        let r = app.ok(&token, q, json!({ "f": { "sourceKinds": ["FEED"] } })).await;
        assert_eq!(titles(&r), ["Cleaner"]);
        let r = app.ok(&token, q, json!({ "f": { "feed": "dwp-find-a-job" } })).await;
        assert_eq!(titles(&r), ["Cleaner"]);
        let r = app.ok(&token, q, json!({ "f": { "occupationPrefix": "92" } })).await;
        assert_eq!(titles(&r), ["Kitchen assistant"]);
        let r = app.ok(&token, q, json!({ "f": { "contractTypes": ["TEMPORARY"] } })).await;
        assert_eq!(titles(&r), ["Forklift driver"]);
        let r = app.ok(&token, q, json!({ "f": { "employerId": employer, "closingAfter": (Utc::now() + Duration::days(30)).date_naive().to_string() } })).await;
        assert_eq!(titles(&r), ["Forklift driver"], "no closing date counts as still open");
    })
    .await;
}
