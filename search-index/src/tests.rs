//! Behaviour of the index on small, hand-made corpora.

use super::*;

fn vacancy(id: &str, title: &str) -> VacancyDoc {
    VacancyDoc {
        id: id.into(),
        title: title.into(),
        status: "OPEN".into(),
        contract_type: "PERMANENT".into(),
        ..Default::default()
    }
}

fn ids(results: &SearchResults) -> Vec<&str> {
    results.hits.iter().map(|h| h.id.as_str()).collect()
}

fn search(index: &VacancyIndex, text: &str) -> SearchResults {
    index
        .search(&SearchRequest {
            text: text.into(),
            limit: 20,
            ..Default::default()
        })
        .expect("search")
}

fn index_of(docs: &[VacancyDoc]) -> VacancyIndex {
    let index = VacancyIndex::create_in_ram().expect("index");
    for doc in docs {
        index.upsert(doc).expect("upsert");
    }
    index.commit(docs.len() as i64).expect("commit");
    index
}

#[test]
fn typos_in_longer_words_still_find_the_job_and_exact_matches_rank_first() {
    let index = index_of(&[
        vacancy("1", "Warehouse operative"),
        vacancy("2", "Kitchen porter"),
        vacancy("3", "Warehouse operatives, nights"),
        vacancy("4", "Warehose operatve"),
    ]);
    let results = search(&index, "warehose operatve");
    assert_eq!(results.total, 3, "{results:?}");
    assert_eq!(results.hits[0].id, "4", "the exact spelling ranks first");
    assert!(ids(&results).contains(&"1") && ids(&results).contains(&"3"));
    // Short words must match exactly: "cat" is not "car".
    let index = index_of(&[vacancy("1", "Car washer")]);
    assert_eq!(search(&index, "cat").total, 0);
}

#[test]
fn any_text_is_a_valid_query() {
    let index = index_of(&[vacancy("1", "Cleaner (part time)")]);
    for text in [
        "",
        "   ",
        "title:",
        "(((",
        "\"unclosed",
        "AND OR NOT",
        "cleaner)",
        "-+*?~^",
        "🧹 cleaner",
    ] {
        let results = index
            .search(&SearchRequest {
                text: text.into(),
                limit: 5,
                ..Default::default()
            })
            .expect("never an error");
        if text.contains("cleaner")
            || text.trim().is_empty()
            || text.chars().all(|c| !c.is_alphanumeric())
        {
            assert_eq!(results.total, 1, "{text:?}");
        }
    }
}

#[test]
fn excluded_environments_never_appear() {
    let mut docs = Vec::new();
    for i in 0..500 {
        let mut doc = vacancy(&i.to_string(), "Bar and kitchen team member");
        doc.environments = match i % 4 {
            0 => vec!["ALCOHOL_SERVED".into()],
            1 => vec!["CASH_HANDLING".into(), "ALCOHOL_SERVED".into()],
            2 => vec!["CASH_HANDLING".into()],
            _ => vec![],
        };
        docs.push(doc);
    }
    let index = index_of(&docs);
    let results = index
        .search(&SearchRequest {
            text: "kitchen".into(),
            exclude_environments: vec!["ALCOHOL_SERVED".into()],
            limit: 500,
            ..Default::default()
        })
        .expect("search");
    assert_eq!(results.total, 250);
    for hit in &results.hits {
        let n: usize = hit.id.parse().expect("id");
        assert!(matches!(n % 4, 2 | 3), "vacancy {n} serves alcohol");
    }
}

#[test]
fn filters_narrow_by_status_contract_and_pay() {
    let mut open = vacancy("open", "Cleaner");
    open.pay_min_hourly = Some(11.44);
    open.pay_max_hourly = Some(13.0);
    let mut filled = vacancy("filled", "Cleaner");
    filled.status = "FILLED".into();
    let mut temp = vacancy("temp", "Cleaner");
    temp.contract_type = "TEMPORARY".into();
    temp.pay_min_hourly = Some(12.0);
    let index = index_of(&[open, filled, temp]);
    let request = |statuses: &[&str], contracts: &[&str], pay: Option<f64>| SearchRequest {
        text: "cleaner".into(),
        statuses: statuses.iter().map(|s| s.to_string()).collect(),
        contract_types: contracts.iter().map(|s| s.to_string()).collect(),
        min_hourly_pay: pay,
        limit: 10,
        ..Default::default()
    };
    let mut found = ids(&index
        .search(&request(&["OPEN"], &[], None))
        .expect("search"))
    .into_iter()
    .map(String::from)
    .collect::<Vec<_>>();
    found.sort();
    assert_eq!(found, ["open", "temp"]);
    assert_eq!(
        ids(&index
            .search(&request(&[], &["TEMPORARY"], None))
            .expect("search")),
        ["temp"]
    );
    // At least £12.50 an hour: only the vacancy whose range reaches it.
    assert_eq!(
        ids(&index
            .search(&request(&[], &[], Some(12.5)))
            .expect("search")),
        ["open"]
    );
}

#[test]
fn upserts_replace_deletes_remove_and_paging_counts_everything() {
    let docs: Vec<VacancyDoc> = (0..25)
        .map(|i| vacancy(&format!("v{i}"), "Delivery driver"))
        .collect();
    let index = index_of(&docs);
    index
        .upsert(&vacancy("v0", "Kitchen porter"))
        .expect("replace");
    index.delete("v1").expect("delete");
    index.commit(30).expect("commit");
    assert_eq!(index.len(), 24);
    assert_eq!(search(&index, "driver").total, 23);
    assert_eq!(ids(&search(&index, "porter")), ["v0"]);
    let page = index
        .search(&SearchRequest {
            text: "driver".into(),
            offset: 20,
            limit: 10,
            ..Default::default()
        })
        .expect("page");
    assert_eq!((page.hits.len(), page.total), (3, 23));
}

#[test]
fn the_last_applied_sequence_survives_reopening() {
    let dir = std::env::temp_dir().join(format!("search-index-test-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    {
        let index = VacancyIndex::open_or_create(&dir).expect("create");
        assert_eq!(index.last_applied_seq().expect("seq"), None);
        index.upsert(&vacancy("1", "Gardener")).expect("upsert");
        index.commit(42).expect("commit");
    }
    let index = VacancyIndex::open_or_create(&dir).expect("reopen");
    assert_eq!(index.last_applied_seq().expect("seq"), Some(42));
    assert_eq!(ids(&search(&index, "gardener")), ["1"]);
    drop(index);
    std::fs::remove_dir_all(&dir).expect("clean up");
}
