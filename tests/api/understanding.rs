//! Search that understands what people type (issue 16), end to end over HTTP on each database:
//! every word before some, lay phrasings read as occupations, a short-word typo caught through
//! the occupation titles, "did you mean", the occupation boost never burying an exact title, and
//! `occupationSuggest`.

use serde_json::{Value, json};

use crate::helpers::{TestApp, on_each_database};
use crate::search::{titles, vacancy};

const SEARCH: &str = "query($text: String) { vacancySearch(text: $text, first: 20) {
    totalCount didYouMean understoodAs { socCode title confidence }
    edges { node { vacancy { title occupation { code } } } } } }";
const SUGGEST: &str = "query($text: String!, $first: Int) { occupationSuggest(text: $text, first: $first) { title qualifier socCode groupTitle } }";

/// Creates open vacancies (title, SOC code or none) through the search tests' helper; the last
/// call waits until all are searchable.
async fn vacancies(app: &TestApp, token: &str, rows: &[(&str, Option<&str>)]) {
    for (i, (title, code)) in rows.iter().enumerate() {
        let mut fields = json!({ "title": title });
        if let Some(code) = code {
            fields["occupation"] = json!({ "code": code });
        }
        vacancy(app, token, fields, i + 1 == rows.len()).await;
    }
}

async fn search(app: &TestApp, token: &str, text: &str) -> Value {
    app.ok(token, SEARCH, json!({ "text": text }))
        .await
        .data("vacancySearch")
        .clone()
}

#[tokio::test]
async fn a_vacancy_matching_every_word_ranks_above_one_matching_a_word_exactly() {
    on_each_database(|app| async move {
        let (_, _, token) = app.specialist().await;
        vacancies(
            &app,
            &token,
            &[
                ("Porter", None),
                ("Driver", None),
                ("Hospital porter", None),
                ("Van driver", None),
            ],
        )
        .await;
        // One word misspelt: the vacancy with both words still comes first.
        let found = titles(&search(&app, &token, "hospitel porter").await);
        assert_eq!(
            found.first().map(String::as_str),
            Some("Hospital porter"),
            "{found:?}"
        );
        assert!(found.contains(&"Porter".to_string()), "{found:?}");
        let found = titles(&search(&app, &token, "van drivre").await);
        assert_eq!(
            found.first().map(String::as_str),
            Some("Van driver"),
            "{found:?}"
        );
        // Exact before one edit: "porter" as written beats a one-edit "porters".
        vacancies(&app, &token, &[("Porters wanted", None)]).await;
        let found = titles(&search(&app, &token, "porter").await);
        assert_eq!(
            found.last().map(String::as_str),
            Some("Porters wanted"),
            "{found:?}"
        );
    })
    .await;
}

#[tokio::test]
async fn a_lay_phrasing_finds_its_occupation() {
    on_each_database(|app| async move {
        let (_, _, token) = app.specialist().await;
        vacancies(
            &app,
            &token,
            &[
                ("Bartender", Some("9274")),
                ("Crowbar maker", Some("5211")),
                ("Care worker", Some("6145")),
                ("Shop assistant", Some("7111")),
            ],
        )
        .await;
        // "pub work": no vacancy holds either word; the lay table reads "pub" as bar staff.
        let result = search(&app, &token, "pub work").await;
        assert_eq!(titles(&result), ["Bartender"], "{result}");
        assert_eq!(result["understoodAs"][0]["socCode"], "9274");
        assert_eq!(result["understoodAs"][0]["title"], "Bar staff");
        let result = search(&app, &token, "looking after older people").await;
        assert_eq!(
            titles(&result).first().map(String::as_str),
            Some("Care worker"),
            "{result}"
        );
    })
    .await;
}

#[tokio::test]
async fn a_short_word_typo_is_caught_through_the_occupation_titles() {
    on_each_database(|app| async move {
        let (_, _, token) = app.specialist().await;
        vacancies(
            &app,
            &token,
            &[
                ("Bar manager", Some("1224")),
                ("Bar staff", Some("9274")),
                ("Staff nurse", Some("2231")),
            ],
        )
        .await;
        // "staf" has four letters, too few for the index's own typo tolerance; beside "bar" the
        // occupation titles read it as "staff".
        let found = titles(&search(&app, &token, "bar staf").await);
        assert_eq!(
            found.first().map(String::as_str),
            Some("Bar staff"),
            "{found:?}"
        );
        // Alone it is not re-spelt: nothing holds "staf".
        let result = search(&app, &token, "staf").await;
        assert_eq!(result["totalCount"], 0, "{result}");
    })
    .await;
}

#[tokio::test]
async fn a_search_that_finds_nothing_says_what_was_probably_meant() {
    on_each_database(|app| async move {
        let (_, _, token) = app.specialist().await;
        vacancies(
            &app,
            &token,
            &[
                ("Receptionist", Some("4216")),
                ("Warehouse operative", Some("9260")),
            ],
        )
        .await;
        // Three edits from "receptionist": beyond the search's typo tolerance.
        let result = search(&app, &token, "recepshunist").await;
        assert_eq!(result["totalCount"], 0, "{result}");
        assert_eq!(result["didYouMean"], "receptionist", "{result}");
        let result = search(&app, &token, "receptionist").await;
        assert_eq!(titles(&result), ["Receptionist"]);
        assert_eq!(result["didYouMean"], Value::Null);
        // Nothing close: no suggestion.
        let result = search(&app, &token, "zzqxv").await;
        assert_eq!(result["didYouMean"], Value::Null, "{result}");
    })
    .await;
}

#[tokio::test]
async fn the_occupation_boost_never_buries_an_exact_title() {
    on_each_database(|app| async move {
        let (_, _, token) = app.specialist().await;
        vacancies(
            &app,
            &token,
            &[
                ("Kitchen assistant", Some("9272")),
                ("Catering assistant", Some("9272")),
                ("Kitchen porter", None),
                ("Hospital porter", Some("9271")),
            ],
        )
        .await;
        let result = search(&app, &token, "kitchen porter").await;
        let found = titles(&result);
        // The words name kitchen and catering assistants; the exact title, coded or not, is first.
        assert_eq!(result["understoodAs"][0]["socCode"], "9272", "{result}");
        assert_eq!(
            found.first().map(String::as_str),
            Some("Kitchen porter"),
            "{found:?}"
        );
        // The occupation adds its other vacancies (sharing a word, or none) without leaving
        // the other porter out.
        assert!(
            found.contains(&"Catering assistant".to_string()),
            "{found:?}"
        );
        assert!(found.contains(&"Hospital porter".to_string()), "{found:?}");
        let kitchen = found
            .iter()
            .position(|t| t == "Kitchen assistant")
            .expect("kitchen assistant");
        let hospital = found
            .iter()
            .position(|t| t == "Hospital porter")
            .expect("hospital porter");
        assert!(kitchen < hospital, "{found:?}");
    })
    .await;
}

#[tokio::test]
async fn occupation_suggest_completes_titles_and_codes() {
    on_each_database(|app| async move {
        let (_, _, token) = app.specialist().await;
        let r = app
            .ok(&token, SUGGEST, json!({ "text": "kitchen port" }))
            .await;
        let found = r
            .data("occupationSuggest")
            .as_array()
            .expect("list")
            .clone();
        assert!(
            found.iter().any(|s| s["title"] == "Kitchen porter"
                && s["socCode"] == "9272"
                && s["groupTitle"] == "Kitchen and catering assistants"),
            "{found:?}"
        );
        assert!(found.len() <= 10);
        // A typo in a finished word is forgiven; digits list unit groups by code.
        let r = app
            .ok(
                &token,
                SUGGEST,
                json!({ "text": "warehuose op", "first": 5 }),
            )
            .await;
        let found = r
            .data("occupationSuggest")
            .as_array()
            .expect("list")
            .clone();
        assert!(found.iter().any(|s| s["socCode"] == "9260"), "{found:?}");
        let r = app.ok(&token, SUGGEST, json!({ "text": "927" })).await;
        let codes: Vec<&str> = r
            .data("occupationSuggest")
            .as_array()
            .expect("list")
            .iter()
            .map(|s| s["socCode"].as_str().expect("code"))
            .collect();
        assert!(
            codes.contains(&"9274") && codes.iter().all(|c| c.starts_with("927")),
            "{codes:?}"
        );
        // Bad input names the field; an anonymous caller gets nothing.
        let r = app
            .graphql(Some(&token), SUGGEST, json!({ "text": "cook", "first": 0 }))
            .await;
        assert_eq!(r.error_code(), Some("BAD_USER_INPUT"), "{}", r.body);
        assert!(r.body.to_string().contains("`first`"), "{}", r.body);
        let r = app.graphql(None, SUGGEST, json!({ "text": "cook" })).await;
        assert_eq!(r.error_code(), Some("UNAUTHENTICATED"), "{}", r.body);
    })
    .await;
}
