//! A server killed outright (SIGKILL) after the database committed vacancies but before the search
//! index committed them loses nothing: the next start catches up from the change log.

use serde_json::json;

use crate::helpers::{on_each_database, spawn_server};

const CREATE: &str = "mutation($input: VacancyCreateInput!) { vacancyCreate(input: $input) { vacancy { id } userErrors { message } } }";

#[tokio::test]
async fn a_server_killed_between_the_database_and_the_index_commit_loses_no_vacancy() {
    on_each_database(|mut app| async move {
        let token = app.admin_token();
        let mut acknowledged: Vec<String> = Vec::new();
        let mut killed_mid_way = 0;
        app.restart(async |settings, db| {
            for attempt in 0..5 {
                let (mut child, base) = spawn_server(settings);
                let client = reqwest::Client::new();
                for _ in 0..100 {
                    if client.get(format!("{base}/readyz")).send().await.is_ok_and(|r| r.status().is_success()) {
                        break;
                    }
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                }
                // Four writers at once; the process dies the moment the 40th write is acknowledged.
                let (done_tx, mut done_rx) = tokio::sync::mpsc::unbounded_channel::<String>();
                let mut writers = Vec::new();
                for w in 0..4 {
                    let (client, base, token, done_tx) = (client.clone(), base.clone(), token.clone(), done_tx.clone());
                    writers.push(tokio::spawn(async move {
                        for n in 0..1_000 {
                            let input = json!({ "title": "Crash test packer", "employerName": "Crash Test Ltd", "contractType": "PERMANENT",
                                "status": "OPEN", "source": { "kind": "FEED", "feed": "crash-test" }, "externalId": format!("{attempt}-{w}-{n}") });
                            let Ok(response) = client.post(format!("{base}/graphql")).bearer_auth(&token)
                                .json(&json!({ "query": CREATE, "variables": { "input": input } })).send().await else { return };
                            let Ok(body) = response.json::<serde_json::Value>().await else { return };
                            if let Some(id) = body["data"]["vacancyCreate"]["vacancy"]["id"].as_str() && done_tx.send(id.to_string()).is_err() {
                                return;
                            }
                        }
                    }));
                }
                drop(done_tx);
                let mut this_round = 0;
                while let Some(id) = done_rx.recv().await {
                    acknowledged.push(id);
                    this_round += 1;
                    if this_round == 40 {
                        child.kill().expect("SIGKILL the server");
                        break;
                    }
                }
                let _ = child.wait();
                // Writes answered before the kill landed are acknowledged too.
                while let Ok(id) = done_rx.try_recv() {
                    acknowledged.push(id);
                }
                for writer in writers {
                    let _ = writer.await;
                }

                // Did the kill land between a database commit and the index commit?
                let index = search_index::VacancyIndex::open_or_create(&settings.effective_index_dir()).expect("open the index");
                let indexed_to = index.last_applied_seq().expect("payload").unwrap_or(0);
                drop(index);
                let logged_to = ipsmatch::change_log::max_seq(db).await.unwrap_or_else(|e| panic!("max seq: {e:?}"));
                if indexed_to < logged_to {
                    killed_mid_way += 1;
                    if killed_mid_way >= 2 {
                        break;
                    }
                }
                assert!(attempt < 4 || killed_mid_way > 0, "the kill never landed between the two commits");
            }
        })
        .await;
        assert!(killed_mid_way > 0);

        // The restarted server catches up: every acknowledged vacancy is searchable.
        let mut found = std::collections::HashSet::new();
        let mut after: Option<String> = None;
        loop {
            let r = app.ok(&token, "query($after: String) { vacancySearch(filter: { sources: [\"crash-test\"] }, first: 100, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { vacancy { id } } } }",
                json!({ "after": after })).await;
            let hits = r.data("vacancySearch");
            for node in hits["nodes"].as_array().expect("nodes") {
                found.insert(node["vacancy"]["id"].as_str().expect("id").to_string());
            }
            if hits["pageInfo"]["hasNextPage"] != true {
                break;
            }
            after = hits["pageInfo"]["endCursor"].as_str().map(str::to_string);
        }
        let missing: Vec<&String> = acknowledged.iter().filter(|id| !found.contains(*id)).collect();
        assert!(missing.is_empty(), "{} of {} acknowledged vacancies missing from search: {missing:?}", missing.len(), acknowledged.len());
        assert!(acknowledged.len() >= 40);
    })
    .await;
}
