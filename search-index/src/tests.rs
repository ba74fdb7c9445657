//! Behaviour of the index on small, hand-made corpora.

use super::*;

fn vacancy(id: &str, title: &str) -> VacancyDoc {
    VacancyDoc {
        id: id.into(),
        title: title.into(),
        status: "OPEN".into(),
        contract_type: "PERMANENT".into(),
        source: "DEVELOPED".into(),
        ..Default::default()
    }
}

fn at(doc: VacancyDoc, lat: f64, lon: f64) -> VacancyDoc {
    VacancyDoc {
        latitude: Some(lat),
        longitude: Some(lon),
        ..doc
    }
}

const LEEDS: (f64, f64) = (53.79648, -1.54785);
const BRADFORD: (f64, f64) = (53.79391, -1.75206);
const WAKEFIELD: (f64, f64) = (53.68331, -1.49768);
const YORK: (f64, f64) = (53.95763, -1.08271);

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
            filters: Filters {
                exclude_environments: vec!["ALCOHOL_SERVED".into()],
                ..Default::default()
            },
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
        filters: Filters {
            statuses: statuses.iter().map(|s| s.to_string()).collect(),
            contract_types: contracts.iter().map(|s| s.to_string()).collect(),
            min_hourly_pay: pay,
            ..Default::default()
        },
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

#[test]
fn a_radius_keeps_only_vacancies_within_it_and_gives_their_distance() {
    let index = index_of(&[
        at(vacancy("leeds", "Cleaner"), LEEDS.0, LEEDS.1),
        at(vacancy("bradford", "Cleaner"), BRADFORD.0, BRADFORD.1),
        at(vacancy("wakefield", "Cleaner"), WAKEFIELD.0, WAKEFIELD.1),
        at(vacancy("york", "Cleaner"), YORK.0, YORK.1),
        vacancy("nowhere", "Cleaner"),
    ]);
    let request = |radius_km: f64, sort: Sort| SearchRequest {
        text: "cleaner".into(),
        near: Some(Near {
            latitude: LEEDS.0,
            longitude: LEEDS.1,
            radius_km,
        }),
        sort,
        limit: 10,
        ..Default::default()
    };
    // Bradford is ~13.6 km from Leeds, Wakefield ~13.0 km, York ~34 km.
    let results = index
        .search(&request(14.0, Sort::Distance))
        .expect("search");
    assert_eq!(ids(&results), ["leeds", "wakefield", "bradford"]);
    assert_eq!(results.total, 3);
    assert!(results.hits[0].distance_km.expect("distance") < 0.01);
    let bradford = results.hits[2].distance_km.expect("distance");
    assert!((13.0..14.0).contains(&bradford), "{bradford}");
    // A radius just short of Bradford leaves it out, though it is inside the bounding box.
    let results = index
        .search(&request(13.4, Sort::Relevance))
        .expect("search");
    assert_eq!(results.total, 2);
    assert!(
        results
            .hits
            .iter()
            .all(|h| h.distance_km.is_some_and(|d| d <= 13.4))
    );
}

#[test]
fn facet_counts_cover_all_matches_not_just_the_page() {
    let mut docs = Vec::new();
    for i in 0..30 {
        let mut doc = vacancy(&format!("v{i}"), "Warehouse operative");
        doc.sector = Some(
            if i < 20 {
                "TRANSPORT_STORAGE"
            } else {
                "WHOLESALE_RETAIL"
            }
            .into(),
        );
        doc.soc_code = Some(if i % 3 == 0 { "9260" } else { "8222" }.into());
        doc.shifts = if i % 2 == 0 {
            vec!["NIGHTS".into(), "WEEKENDS".into()]
        } else {
            vec!["DAYS".into()]
        };
        docs.push(doc);
    }
    docs.push(vacancy("other", "Florist"));
    let index = index_of(&docs);
    let results = index
        .search(&SearchRequest {
            text: "warehouse".into(),
            limit: 5,
            count_facets: true,
            ..Default::default()
        })
        .expect("search");
    assert_eq!((results.hits.len(), results.total), (5, 30));
    let uncounted = index
        .search(&SearchRequest {
            text: "warehouse".into(),
            limit: 5,
            ..Default::default()
        })
        .expect("search");
    assert!(
        uncounted.facets.is_empty(),
        "facets are counted only when asked"
    );
    assert_eq!(uncounted.total, 30);
    let count = |dimension: &str, value: &str| {
        results
            .facets
            .iter()
            .find(|f| f.dimension == dimension && f.value == value)
            .map(|f| f.count)
    };
    assert_eq!(count("sector", "TRANSPORT_STORAGE"), Some(20));
    assert_eq!(count("sector", "WHOLESALE_RETAIL"), Some(10));
    assert_eq!(count("shift", "NIGHTS"), Some(15));
    assert_eq!(count("contract", "PERMANENT"), Some(30));
    assert_eq!(count("soc", "9"), Some(10));
    assert_eq!(count("soc", "8"), Some(20));
}

#[test]
fn occupation_hours_dates_and_shifts_filter() {
    let mut a = vacancy("a", "Kitchen assistant");
    a.soc_code = Some("9272".into());
    a.hours_min = Some(16.0);
    a.hours_max = Some(20.0);
    a.posted_at = Some(1_000);
    a.closing_day = Some(100);
    a.shifts = vec!["EVENINGS".into()];
    let mut b = vacancy("b", "Kitchen manager");
    b.soc_code = Some("1223".into());
    b.hours_min = Some(37.5);
    b.hours_max = Some(40.0);
    b.posted_at = Some(2_000);
    b.shifts = vec!["DAYS".into()];
    let index = index_of(&[a, b]);
    let find = |filters: Filters| -> Vec<String> {
        let r = index
            .search(&SearchRequest {
                text: "kitchen".into(),
                filters,
                limit: 10,
                ..Default::default()
            })
            .expect("search");
        let mut ids: Vec<String> = r.hits.into_iter().map(|h| h.id).collect();
        ids.sort();
        ids
    };
    assert_eq!(
        find(Filters {
            occupation_prefix: Some("92".into()),
            ..Default::default()
        }),
        ["a"]
    );
    assert_eq!(
        find(Filters {
            occupation_prefix: Some("9272".into()),
            ..Default::default()
        }),
        ["a"]
    );
    assert_eq!(
        find(Filters {
            occupation_prefix: Some("1".into()),
            ..Default::default()
        }),
        ["b"]
    );
    assert_eq!(
        find(Filters {
            hours_at_most: Some(25.0),
            ..Default::default()
        }),
        ["a"]
    );
    assert_eq!(
        find(Filters {
            hours_at_least: Some(30.0),
            ..Default::default()
        }),
        ["b"]
    );
    assert_eq!(
        find(Filters {
            posted_since: Some(1_500),
            ..Default::default()
        }),
        ["b"]
    );
    assert_eq!(
        find(Filters {
            closing_after: Some(101),
            ..Default::default()
        }),
        ["b"],
        "no closing date stays"
    );
    assert_eq!(
        find(Filters {
            shifts: vec!["EVENINGS".into(), "NIGHTS".into()],
            ..Default::default()
        }),
        ["a"]
    );
}

#[test]
fn newest_and_best_paid_sorts() {
    let mut docs = Vec::new();
    for (i, (posted, pay)) in [(300, 11.0), (100, 15.0), (200, 13.0)]
        .into_iter()
        .enumerate()
    {
        let mut doc = vacancy(&format!("v{i}"), "Care assistant");
        doc.posted_at = Some(posted);
        doc.pay_max_hourly = Some(pay);
        docs.push(doc);
    }
    let index = index_of(&docs);
    let sorted = |sort| {
        ids(&index
            .search(&SearchRequest {
                text: "care".into(),
                sort,
                limit: 10,
                ..Default::default()
            })
            .expect("search"))
        .into_iter()
        .map(String::from)
        .collect::<Vec<_>>()
    };
    assert_eq!(sorted(Sort::Newest), ["v0", "v2", "v1"]);
    assert_eq!(sorted(Sort::Pay), ["v1", "v2", "v0"]);
}

#[test]
fn newest_first_pages_agree_with_and_without_facet_counts() {
    // 300 vacancies over 300 days, two to each second posted, a third closed: every page of the
    // newest open ones is the same whether facets are counted or not, ties included.
    const DAY: i64 = 86_400;
    let mut docs = Vec::new();
    for i in 0..300i64 {
        let mut doc = vacancy(&format!("v{i:03}"), "Cleaner");
        doc.posted_at = Some(1_700_000_000 + (i / 2) * DAY * 2);
        if i % 3 == 0 {
            doc.status = "CLOSED".into();
        }
        docs.push(doc);
    }
    let index = index_of(&docs);
    let open = |offset: usize, limit: usize, count_facets: bool| {
        index
            .search(&SearchRequest {
                filters: Filters {
                    statuses: vec!["OPEN".into()],
                    ..Default::default()
                },
                sort: Sort::Newest,
                offset,
                limit,
                count_facets,
                ..Default::default()
            })
            .expect("search")
    };
    for (offset, limit) in [(0, 20), (20, 20), (150, 30), (190, 20)] {
        let windowed = open(offset, limit, false);
        let full = open(offset, limit, true);
        assert_eq!(windowed.total, 200);
        assert_eq!(ids(&windowed), ids(&full), "offset {offset}");
        assert_eq!(windowed.hits.len(), limit.min(200 - offset.min(200)));
    }
    // A page of one in the newest second (shared by two vacancies): the same tie-break.
    assert_eq!(ids(&open(0, 1, false)), ids(&open(0, 1, true)));
}

#[test]
fn hits_carry_highlighted_snippets() {
    let mut doc = vacancy("1", "Warehouse operative <nights>");
    doc.description =
        "Picking and packing orders in our warehouse near the ring road. Forklift training given."
            .into();
    let index = index_of(&[doc]);
    let hit = &search(&index, "warehouse").hits[0];
    assert_eq!(hit.title_html, "<b>Warehouse</b> operative &lt;nights&gt;");
    assert!(
        hit.description_html.contains("<b>warehouse</b>"),
        "{}",
        hit.description_html
    );
    let hit = &search(&index, "").hits[0];
    assert_eq!(
        hit.title_html, "Warehouse operative &lt;nights&gt;",
        "no words, no highlights, still escaped"
    );
}

#[test]
fn closer_spellings_rank_above_farther_ones() {
    let index = index_of(&[
        vacancy("carpentry", "Carpentry instructor"),
        vacancy("carpenter", "Carpenter"),
    ]);
    // "carpentar" (nine letters, so two edits are forgiven) is one edit from "carpenter" and two
    // from "carpentry".
    assert_eq!(
        ids(&search(&index, "carpentar")),
        ["carpenter", "carpentry"]
    );
    // Eight letters forgive one edit only (Meilisearch's rule): "operatve" finds "operative" but
    // not "operator", two edits away.
    let index = index_of(&[
        vacancy("operator", "Machine operator"),
        vacancy("operative", "Machine operative"),
    ]);
    assert_eq!(ids(&search(&index, "operatve")), ["operative"]);
}

#[test]
fn little_words_do_not_match_everything() {
    let mut shop = vacancy("shop", "Shop assistant");
    shop.description = "Helping customers in a busy shop.".into();
    let mut warehouse = vacancy("warehouse", "Warehouse operative");
    warehouse.description = "Picking in a warehouse, for a team of ten.".into();
    let index = index_of(&[shop, warehouse]);
    let search = |text: &str| {
        index
            .search(&SearchRequest {
                text: text.into(),
                limit: 10,
                ..Default::default()
            })
            .expect("search")
    };
    let results = search("help in a shop");
    assert_eq!(results.total, 1, "`in` and `a` narrow nothing");
    assert_eq!(results.hits[0].id, "shop");
    assert_eq!(
        search("in a").total,
        2,
        "a search of only little words still finds them"
    );
}

#[test]
fn only_the_first_thirty_two_words_are_searched_and_counting_is_linear() {
    let index = index_of(&[vacancy("late", "Zookeeper"), vacancy("early", "Cleaner")]);
    // 40 distinct words (and little words, which are not counted); the 40th is the only match.
    let mut words: Vec<String> = (0..39).map(|i| format!("word{i}")).collect();
    words.push("zookeeper".into());
    let text = format!("in a {}", words.join(" "));
    assert_eq!(index.word_count(&text).expect("count"), 40);
    assert_eq!(
        search(&index, &text).total,
        0,
        "words past the 32nd are ignored"
    );
    words.swap(0, 39);
    assert_eq!(ids(&search(&index, &words.join(" "))), ["late"]);
    // Twenty thousand distinct words are counted in well under a second (no quadratic dedup).
    let many: String = (0..20_000).map(|i| format!("w{i} ")).collect();
    let started = std::time::Instant::now();
    assert_eq!(index.word_count(&many).expect("count"), 20_000);
    assert!(started.elapsed() < std::time::Duration::from_secs(1));
}

#[test]
fn a_stopped_search_gives_up() {
    let docs: Vec<VacancyDoc> = (0..10_000)
        .map(|i| vacancy(&i.to_string(), "Cleaner"))
        .collect();
    let index = index_of(&docs);
    let request = SearchRequest {
        text: "cleaner".into(),
        limit: 10,
        ..Default::default()
    };
    assert_eq!(index.search(&request).expect("search").total, 10_000);
    let stop = Stop::new();
    stop.stop();
    let stopped = SearchRequest {
        stop: stop.clone(),
        ..request.clone()
    };
    assert!(matches!(index.search(&stopped), Err(Error::Stopped)));
    assert!(stop.is_stopped());
    // A deadline that has passed stops it too.
    let late = SearchRequest {
        stop: Stop::new().with_deadline(std::time::Instant::now()),
        ..request
    };
    assert!(matches!(index.search(&late), Err(Error::Stopped)));
}

#[test]
fn a_filter_admits_exactly_the_documents_the_index_returns_for_it() {
    let statuses = ["OPEN", "DRAFT"];
    let contracts = ["PERMANENT", "TEMPORARY"];
    let sectors = [None, Some("RETAIL"), Some("CONSTRUCTION")];
    let socs = [None, Some("5434"), Some("9233"), Some("5411")];
    let mut docs = Vec::new();
    for n in 0..96usize {
        let mut doc = vacancy(&format!("v{n}"), "Job");
        doc.status = statuses[n % 2].into();
        doc.contract_type = contracts[(n / 2) % 2].into();
        doc.sector = sectors[n % 3].map(String::from);
        doc.soc_code = socs[(n / 3) % 4].map(String::from);
        doc.source = if n % 5 == 0 {
            "feed-a".into()
        } else {
            "DEVELOPED".into()
        };
        doc.shifts = if n % 4 == 0 {
            vec!["NIGHTS".into()]
        } else {
            vec!["DAYS".into()]
        };
        doc.environments = if n % 7 == 0 {
            vec!["ALCOHOL_SERVED".into()]
        } else {
            vec![]
        };
        doc.pay_max_hourly = (n % 6 != 0).then_some(10.0 + (n % 5) as f64);
        doc.hours_min = (n % 8 != 0).then_some(8.0 + (n % 4) as f64 * 8.0);
        doc.hours_max = doc.hours_min.map(|h| h + 8.0);
        doc.posted_at = Some(1_700_000_000 + n as i64 * 3_600);
        doc.closing_day = (n % 9 != 0).then_some(20_000 + (n % 10) as i64);
        docs.push(doc);
    }
    let index = index_of(&docs);
    let cases = [
        Filters::default(),
        Filters {
            statuses: vec!["OPEN".into()],
            ..Default::default()
        },
        Filters {
            contract_types: vec!["TEMPORARY".into()],
            sectors: vec!["RETAIL".into()],
            ..Default::default()
        },
        Filters {
            occupation_prefix: Some("54".into()),
            ..Default::default()
        },
        Filters {
            occupation_prefix: Some("chef".into()),
            ..Default::default()
        },
        Filters {
            sources: vec!["feed-a".into()],
            shifts: vec!["NIGHTS".into()],
            ..Default::default()
        },
        Filters {
            exclude_environments: vec!["ALCOHOL_SERVED".into()],
            exclude_shifts: vec!["NIGHTS".into()],
            ..Default::default()
        },
        Filters {
            min_hourly_pay: Some(12.0),
            hours_at_least: Some(20.0),
            hours_at_most: Some(24.0),
            ..Default::default()
        },
        Filters {
            posted_since: Some(1_700_000_000 + 40 * 3_600),
            closing_after: Some(20_005),
            ..Default::default()
        },
    ];
    for filters in cases {
        let found = index
            .search(&SearchRequest {
                filters: filters.clone(),
                limit: 200,
                ..Default::default()
            })
            .expect("search");
        let mut by_index: Vec<&str> = ids(&found);
        by_index.sort_unstable();
        let mut admitted: Vec<&str> = docs
            .iter()
            .filter(|d| filters.admits(d))
            .map(|d| d.id.as_str())
            .collect();
        admitted.sort_unstable();
        assert_eq!(by_index, admitted, "{filters:?}");
    }
}
