//! `vacancySearch` end to end: typos, filters, hard exclusions, radius, facets, order and paging,
//! the database re-check, and an index that survives restarts, deletion and corruption.

use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};

use crate::helpers::{TestApp, decode_global_id, on_each_database};

const CREATE: &str = "mutation($input: VacancyCreateInput!) { vacancyCreate(input: $input) { vacancy { id } userErrors { field code message } } }";
const SEARCH: &str = "query($text: String, $filter: VacancySearchFilter, $near: NearInput, $sort: VacancySort = RELEVANCE, $first: Int, $after: String) {
    vacancySearch(text: $text, filter: $filter, near: $near, sort: $sort, first: $first, after: $after) {
        totalCount pageInfo { hasNextPage endCursor } edges { cursor node { score distanceKm titleHtml descriptionHtml vacancy { id title environments status } } } 
        facets { dimension value count } } }";

const LEEDS: (f64, f64) = (53.79648, -1.54785);
const BRADFORD: (f64, f64) = (53.79391, -1.75206);
const YORK: (f64, f64) = (53.95763, -1.08271);

/// Creates an open vacancy; `wait` makes the call return only once it is searchable.
pub(crate) async fn vacancy(app: &TestApp, token: &str, fields: Value, wait: bool) -> String {
    let mut input = json!({ "title": "Cleaner", "employerName": "Search Test Ltd", "contractType": "PERMANENT", "status": "OPEN",
        "source": { "kind": "FEED", "feed": "test-feed" }, "externalId": uuid::Uuid::now_v7().to_string(), "waitUntilSearchable": wait });
    for (k, v) in fields.as_object().into_iter().flatten() {
        input[k] = v.clone();
    }
    let r = app.ok(token, CREATE, json!({ "input": input })).await;
    assert_eq!(r.user_errors("vacancyCreate"), vec![], "{}", r.body);
    r.data("vacancyCreate.vacancy.id")
        .as_str()
        .expect("id")
        .to_string()
}

async fn search(app: &TestApp, token: &str, variables: Value) -> Value {
    app.ok(token, SEARCH, variables)
        .await
        .data("vacancySearch")
        .clone()
}

pub(crate) fn titles(result: &Value) -> Vec<String> {
    result["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .map(|e| {
            e["node"]["vacancy"]["title"]
                .as_str()
                .expect("title")
                .to_string()
        })
        .collect()
}

#[tokio::test]
async fn misspelt_searches_find_the_job_with_exact_matches_first() {
    on_each_database(|app| async move {
        let (_, _, token) = app.specialist().await;
        vacancy(&app, &token, json!({ "title": "Warehouse operative", "description": "Picking and packing in our warehouse." }), false).await;
        vacancy(&app, &token, json!({ "title": "Kitchen porter" }), false).await;
        vacancy(&app, &token, json!({ "title": "Warehose operatve (sic)" }), true).await;
        let result = search(&app, &token, json!({ "text": "warehose operatve" })).await;
        assert_eq!(titles(&result), ["Warehose operatve (sic)", "Warehouse operative"]);
        let result = search(&app, &token, json!({ "text": "warehouse" })).await;
        let hit = &result["edges"][0]["node"];
        assert_eq!(hit["titleHtml"], "<b>Warehouse</b> operative");
        assert!(hit["descriptionHtml"].as_str().expect("html").contains("<b>warehouse</b>"));
        // Anything a person types is a query, never an error.
        for text in ["\"", "title:(", "AND", "*", ""] {
            let r = app.graphql(Some(&token), SEARCH, json!({ "text": text })).await;
            assert!(r.body.get("errors").is_none(), "{text:?}: {}", r.body);
        }
    })
    .await;
}

const ENVIRONMENTS: [&str; 10] = [
    "ALCOHOL_SERVED",
    "CASH_HANDLING",
    "DRIVING",
    "LONE_WORKING",
    "NIGHT_WORK",
    "HEAVY_LIFTING",
    "WORKING_AT_HEIGHT",
    "PUBLIC_FACING",
    "VULNERABLE_PEOPLE",
    "MEDICINES_ACCESS",
];

/// Open vacancies in the database carrying none of `excluded`.
async fn open_without(db: &sea_orm::DatabaseConnection, excluded: &[&str]) -> i64 {
    let mut sql = "SELECT COUNT(*) FROM vacancy WHERE status = 'OPEN'".to_string();
    for tag in excluded {
        sql.push_str(&format!(
            " AND ',' || environments || ',' NOT LIKE '%,{tag},%'"
        ));
    }
    db.query_one_raw(Statement::from_string(db.get_database_backend(), sql))
        .await
        .expect("count")
        .expect("row")
        .try_get_by_index::<i64>(0)
        .expect("count")
}

/// Pages through every hit of a search, checking none carries an excluded tag; returns how many.
async fn every_hit_lacks(
    app: &TestApp,
    token: &str,
    mut variables: Value,
    excluded: &[&str],
) -> usize {
    variables["filter"]["excludeEnvironments"] = json!(excluded);
    variables["first"] = json!(100);
    let (mut seen, mut total) = (0, None);
    loop {
        let result = search(app, token, variables.clone()).await;
        total = total.or(result["totalCount"].as_u64());
        for edge in result["edges"].as_array().expect("edges") {
            let tags = edge["node"]["vacancy"]["environments"]
                .as_array()
                .expect("list");
            assert!(
                excluded.iter().all(|tag| !tags.contains(&json!(tag))),
                "{excluded:?} excluded, yet served {edge}"
            );
            seen += 1;
        }
        if result["pageInfo"]["hasNextPage"] != true {
            break;
        }
        variables["after"] = result["pageInfo"]["endCursor"].clone();
    }
    assert_eq!(Some(seen as u64), total, "paging visits every hit once");
    seen
}

#[tokio::test]
async fn an_excluded_environment_never_appears_across_a_large_corpus() {
    on_each_database(|app| async move {
        let (_, _, token) = app.specialist().await;
        // 10,000 vacancies from the benchmark's generator: every workplace feature in realistic shares.
        let mut rng = ipsmatch::demo::Rng::new(7);
        let mut corpus = ipsmatch::demo::vacancies::VacancyCorpus::new(
            ipsmatch::demo::places(), &[], chrono::Utc::now().date_naive(), uuid::Uuid::nil());
        let rows: Vec<_> = (0..10_000).map(|i| corpus.vacancy(&mut rng, i)).collect();
        let txn = sea_orm::TransactionTrait::begin(&app.db).await.expect("begin");
        ipsmatch::demo::vacancies::insert(&txn, &rows).await.expect("insert");
        txn.commit().await.expect("commit");
        // Waits for the follower through a write that asks to be searchable.
        vacancy(&app, &token, json!({ "title": "Marker", "environments": ["DRIVING"] }), true).await;

        // Every tag on its own: the index's count matches the database's, over the whole corpus.
        for tag in ENVIRONMENTS {
            let result = search(&app, &token, json!({ "filter": { "excludeEnvironments": [tag] }, "first": 1 })).await;
            assert_eq!(result["totalCount"].as_i64(), Some(open_without(&app.db, &[tag]).await), "excluding {tag}");
        }
        // And every single hit checked, for all open vacancies, typed and misspelt text, and a radius.
        let everything = every_hit_lacks(&app, &token, json!({ "filter": {} }), &["ALCOHOL_SERVED"]).await;
        assert_eq!(everything as i64, open_without(&app.db, &["ALCOHOL_SERVED"]).await);
        assert!(everything > 5_000, "{everything}");
        let bar = every_hit_lacks(&app, &token, json!({ "text": "bar staff waiter", "filter": {} }), &["ALCOHOL_SERVED", "CASH_HANDLING"]).await;
        assert!(bar > 50, "{bar}");
        let typo = every_hit_lacks(&app, &token, json!({ "text": "clener", "filter": {} }), &["LONE_WORKING", "NIGHT_WORK"]).await;
        assert!(typo > 0, "{typo}");
        let near = every_hit_lacks(&app, &token, json!({ "filter": {}, "near": { "latitude": LEEDS.0, "longitude": LEEDS.1, "radiusKm": 60.0 } }),
            &["CASH_HANDLING", "PUBLIC_FACING", "VULNERABLE_PEOPLE"]).await;
        assert!(near > 50, "{near}");
    })
    .await;
}

#[tokio::test]
async fn radius_sort_facets_and_filters() {
    on_each_database(|app| async move {
        let (_, _, token) = app.specialist().await;
        let at = |(lat, lon): (f64, f64)| json!({ "latitude": lat, "longitude": lon, "town": "x" });
        vacancy(&app, &token, json!({ "title": "Cleaner Leeds", "location": at(LEEDS), "pay": { "min": 12.0, "max": 13.0, "period": "HOURLY" }, "sector": "ADMINISTRATIVE_SUPPORT", "shifts": ["EARLY_STARTS"] }), false).await;
        vacancy(&app, &token, json!({ "title": "Cleaner Bradford", "location": at(BRADFORD), "pay": { "min": 11.44, "period": "HOURLY" }, "sector": "ADMINISTRATIVE_SUPPORT", "contractType": "ZERO_HOURS" }), false).await;
        vacancy(&app, &token, json!({ "title": "Cleaner York", "location": at(YORK), "pay": { "min": 14.0, "period": "HOURLY" }, "sector": "HEALTH_SOCIAL_WORK" }), false).await;
        vacancy(&app, &token, json!({ "title": "Cleaner draft", "status": "DRAFT", "location": at(LEEDS) }), true).await;

        let near = json!({ "latitude": LEEDS.0, "longitude": LEEDS.1, "radiusKm": 20.0 });
        let result = search(&app, &token, json!({ "text": "cleaner", "near": near, "sort": "DISTANCE" })).await;
        assert_eq!(titles(&result), ["Cleaner Leeds", "Cleaner Bradford"], "drafts are not searched by default; York is too far");
        let bradford = result["edges"][1]["node"]["distanceKm"].as_f64().expect("distance");
        assert!((13.0..14.5).contains(&bradford), "{bradford}");

        let result = search(&app, &token, json!({ "text": "cleaner", "sort": "PAY" })).await;
        assert_eq!(titles(&result), ["Cleaner York", "Cleaner Leeds", "Cleaner Bradford"]);
        let facets = result["facets"].as_array().expect("facets");
        let count = |dimension: &str, value: &str| facets.iter().find(|f| f["dimension"] == dimension && f["value"] == value).map(|f| f["count"].clone());
        assert_eq!(count("SECTOR", "ADMINISTRATIVE_SUPPORT"), Some(json!(2)));
        assert_eq!(count("CONTRACT", "ZERO_HOURS"), Some(json!(1)));
        assert_eq!(count("SOURCE", "test-feed"), Some(json!(3)));

        let result = search(&app, &token, json!({ "text": "cleaner", "filter": { "minHourlyPay": 12.5 } })).await;
        let mut found = titles(&result);
        found.sort();
        assert_eq!(found, ["Cleaner Leeds", "Cleaner York"]);
        let result = search(&app, &token, json!({ "filter": { "contractTypes": ["ZERO_HOURS"] } })).await;
        assert_eq!(titles(&result), ["Cleaner Bradford"]);
        let result = search(&app, &token, json!({ "filter": { "shifts": ["EARLY_STARTS"], "statuses": ["OPEN", "DRAFT"] } })).await;
        assert_eq!(titles(&result), ["Cleaner Leeds"]);
        let r = app.graphql(Some(&token), SEARCH, json!({ "near": { "latitude": 95.0, "longitude": 0.0, "radiusKm": 5.0 } })).await;
        assert_eq!(r.error_code(), Some("BAD_USER_INPUT"));
    })
    .await;
}

#[tokio::test]
async fn hits_are_rechecked_against_the_database() {
    on_each_database(|app| async move {
        let (_, _, token) = app.specialist().await;
        let id = vacancy(&app, &token, json!({ "title": "Gardener" }), true).await;
        assert_eq!(
            titles(&search(&app, &token, json!({ "text": "gardener" })).await),
            ["Gardener"]
        );
        // Change the row behind the index's back (no change-log row): the search must not serve it.
        let backend = app.db.get_database_backend();
        let sql = match backend {
            sea_orm::DatabaseBackend::Postgres => {
                "UPDATE vacancy SET status = 'FILLED' WHERE id = $1"
            }
            _ => "UPDATE vacancy SET status = 'FILLED' WHERE id = ?",
        };
        app.db
            .execute_raw(Statement::from_sql_and_values(
                backend,
                sql,
                [decode_global_id(&id).into()],
            ))
            .await
            .expect("update");
        assert_eq!(
            titles(&search(&app, &token, json!({ "text": "gardener" })).await),
            Vec::<String>::new()
        );
    })
    .await;
}

#[tokio::test]
async fn changes_committed_while_the_index_was_down_are_caught_up_on_restart() {
    on_each_database(|mut app| async move {
        let (_, _, token) = app.specialist().await;
        vacancy(&app, &token, json!({ "title": "Before the restart" }), true).await;
        let admin = app.admin_id;
        app.restart(async |_, db| {
            // Written to the database (with its change-log rows) while no index follows: as if the
            // process died between the database commit and the index commit.
            for title in ["While down one", "While down two"] {
                create_directly(db, admin, title).await;
            }
        })
        .await;
        let mut found =
            titles(&search(&app, &token, json!({ "text": "while down before restart" })).await);
        found.sort();
        assert_eq!(
            found,
            ["Before the restart", "While down one", "While down two"]
        );
    })
    .await;
}

#[tokio::test]
async fn a_deleted_or_corrupted_index_is_rebuilt_from_the_database() {
    on_each_database(|mut app| async move {
        let (_, _, token) = app.specialist().await;
        vacancy(&app, &token, json!({ "title": "Forklift driver" }), true).await;
        app.restart(async |settings, _| {
            std::fs::remove_dir_all(settings.effective_index_dir()).expect("delete the index");
        })
        .await;
        assert_eq!(
            titles(&search(&app, &token, json!({ "text": "forklift" })).await),
            ["Forklift driver"]
        );
        app.restart(async |settings, _| {
            std::fs::write(
                settings.effective_index_dir().join("meta.json"),
                b"{ not json",
            )
            .expect("corrupt the index");
        })
        .await;
        assert_eq!(
            titles(&search(&app, &token, json!({ "text": "forklift" })).await),
            ["Forklift driver"]
        );
        vacancy(
            &app,
            &token,
            json!({ "title": "Forklift instructor" }),
            true,
        )
        .await;
        assert_eq!(
            search(&app, &token, json!({ "text": "forklift" })).await["totalCount"],
            2
        );
    })
    .await;
}

/// Creates an open vacancy through the service, bypassing HTTP (and so any running index).
async fn create_directly(db: &sea_orm::DatabaseConnection, staff_id: uuid::Uuid, title: &str) {
    use ipsmatch::vacancies::types::*;
    use sea_orm::EntityTrait;
    let staff = entities::staff::Entity::find_by_id(staff_id)
        .one(db)
        .await
        .expect("query")
        .expect("staff");
    let viewer = ipsmatch::auth::Viewer {
        staff,
        role: ipsmatch::auth::Role::Admin,
    };
    let input = VacancyCreateInput {
        wait_until_searchable: false,
        facts: VacancyFactsInput {
            title: title.into(),
            description: String::new(),
            skills: vec![],
            employer_name: Some("Direct Ltd".into()),
            occupation: None,
            sector: None,
            location: None,
            remote: false,
            hours_per_week_min: None,
            hours_per_week_max: None,
            shifts: vec![],
            pay: None,
            closing_date: None,
            environments: vec![],
            dbs_level: DbsLevel::None,
            drug_testing: DrugTesting::None,
        },
        employer_id: None,
        contract_type: ContractType::Permanent,
        status: VacancyStatus::Open,
        source: Some(VacancySource {
            kind: VacancySourceKind::Feed,
            feed: Some("test-feed".into()),
        }),
        external_id: Some(uuid::Uuid::now_v7().to_string()),
    };
    ipsmatch::vacancies::service::create_vacancy(db, &viewer, input)
        .await
        .expect("created");
}

#[tokio::test]
async fn concurrent_writers_leave_no_vacancy_out_of_the_index() {
    on_each_database(|app| async move {
        let (_, _, token) = app.specialist().await;
        let late = vacancy(&app, &token, json!({ "title": "Early title" }), true).await;

        // PostgreSQL: a transaction takes a change-log number and commits only after many higher
        // numbers have committed (and been indexed). The follower must wait for it, not skip it.
        let held = if matches!(app.backend, crate::helpers::Backend::Postgres(_)) {
            use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, TransactionTrait};
            use sea_orm::sea_query::Expr;
            let txn = app.db.begin().await.expect("begin");
            entities::vacancy::Entity::update_many()
                .col_expr(entities::vacancy::Column::Title, Expr::value("Late title"))
                .filter(entities::vacancy::Column::Id.eq(decode_global_id(&late)))
                .exec(&txn)
                .await
                .expect("update");
            ipsmatch::change_log::record(&txn, "vacancy", decode_global_id(&late), ipsmatch::change_log::ChangeOp::Update)
                .await
                .expect("log");
            Some(txn)
        } else {
            None
        };

        let mut writers = tokio::task::JoinSet::new();
        for i in 0..24 {
            let (client, address, token) = (app.client.clone(), app.address.clone(), token.clone());
            writers.spawn(async move {
                let input = json!({ "title": format!("Parallel porter {i}"), "employerName": "Busy Ltd", "contractType": "TEMPORARY", "status": "OPEN",
                    "source": { "kind": "FEED", "feed": "test-feed" }, "externalId": format!("parallel-{i}") });
                let response = client
                    .post(format!("{address}/graphql"))
                    .bearer_auth(token)
                    .header("content-type", "application/json")
                    .body(json!({ "query": CREATE, "variables": { "input": input } }).to_string())
                    .send()
                    .await
                    .expect("sent");
                assert!(response.status().is_success());
            });
        }
        while let Some(done) = writers.join_next().await {
            done.expect("writer");
        }
        if let Some(txn) = held {
            // Give the follower time to meet the gap before the late transaction commits.
            tokio::time::sleep(std::time::Duration::from_millis(400)).await;
            txn.commit().await.expect("late commit");
        }
        // One more write, waited for: once it is searchable, so is everything before it.
        vacancy(&app, &token, json!({ "title": "Last porter" }), true).await;
        let result = search(&app, &token, json!({ "text": "porter", "first": 100 })).await;
        assert_eq!(result["totalCount"], 25, "every parallel write and the last one");
        if matches!(app.backend, crate::helpers::Backend::Postgres(_)) {
            assert_eq!(titles(&search(&app, &token, json!({ "text": "late" })).await), ["Late title"], "the late commit is indexed");
        }
    })
    .await;
}
