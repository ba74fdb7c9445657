//! Two replicas on one database, as a region that outgrows one machine would run them: separate
//! processes with their own ports and index folders. A vacancy written through either is searchable
//! on the other and announced to the other's subscribers, because both follow the change log.

use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::helpers::{on_each_database, spawn_server};
use crate::subscriptions::{Subscriber, leeds};

const UPSERT: &str = "mutation($input: VacanciesUpsertInput!) { vacanciesUpsert(input: $input) { summary { created } } }";
const SEARCH: &str = "query($text: String) { vacancySearch(text: $text, first: 50) { totalCount nodes { vacancy { title } } } }";

async fn post(
    client: &reqwest::Client,
    url: &str,
    token: &str,
    query: &str,
    variables: Value,
) -> Value {
    let response = client
        .post(url)
        .bearer_auth(token)
        .header("content-type", "application/json")
        .body(json!({ "query": query, "variables": variables }).to_string())
        .send()
        .await
        .expect("sent");
    let body: Value = response.json().await.expect("JSON");
    assert!(body.get("errors").is_none(), "{body}");
    body
}

/// Searches `base` until `title` is found; panics after 20 s.
async fn searchable(client: &reqwest::Client, base: &str, token: &str, title: &str) {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let body = post(
            client,
            &format!("{base}/graphql"),
            token,
            SEARCH,
            json!({ "text": title }),
        )
        .await;
        let found = body["data"]["vacancySearch"]["nodes"]
            .as_array()
            .expect("hits")
            .iter()
            .any(|h| h["vacancy"]["title"] == title);
        if found {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "{title} never became searchable on {base}"
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

#[tokio::test]
async fn two_replicas_on_one_database_agree() {
    on_each_database(|app| async move {
        let (_, integrator) = app.integrator("dwp").await;
        let (_, _, staff) = app.specialist().await;
        // The second replica: its own process, port and index, the same database and secret.
        let mut settings = app.settings.clone();
        let other_index = tempfile::tempdir().expect("temp dir");
        settings.index_dir = other_index.path().display().to_string();
        let (_replica, other) = spawn_server(&settings);
        let client = reqwest::Client::new();

        // Heard on the replica: a subscriber there hears of a vacancy written through the first.
        let ws = format!("{}/integrations/graphql", other.replacen("http://", "ws://", 1));
        let subscriber = Subscriber::start(&ws, &integrator, "subscription { vacancyChanged { kind vacancy { title } } }", json!({}), 1);
        subscriber.connected().await;
        let mut heard = None;
        for i in 0..40 {
            app.integration_ok(&integrator, UPSERT, json!({ "input": { "source": "dwp", "items": [leeds(&format!("A{i}"), &format!("Written on one {i}"))] } })).await;
            if let Some(line) = subscriber.next(Duration::from_millis(400)).await {
                heard = Some(line);
                break;
            }
        }
        let heard = heard.expect("the replica's subscriber heard nothing");
        let title = heard["next"]["data"]["vacancyChanged"]["vacancy"]["title"].as_str().expect("title").to_string();
        assert!(title.starts_with("Written on one"), "{heard}");
        // ...and the replica finds it by search.
        searchable(&client, &other, &staff, &title).await;

        // Written through the replica, found on the first.
        post(&client, &format!("{other}/integrations/graphql"), &integrator, UPSERT,
            json!({ "input": { "source": "dwp", "items": [leeds("B1", "Written on the other")] } })).await;
        searchable(&client, &app.address, &staff, "Written on the other").await;

        // Both answer the same search the same way once caught up.
        let totals = async |base: &str| {
            post(&client, &format!("{base}/graphql"), &staff, SEARCH, json!({ "text": "written" })).await["data"]["vacancySearch"]["totalCount"].clone()
        };
        let expected = totals(&app.address).await;
        let deadline = Instant::now() + Duration::from_secs(20);
        while totals(&other).await != expected {
            assert!(Instant::now() < deadline, "the replicas disagree");
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    })
    .await;
}
