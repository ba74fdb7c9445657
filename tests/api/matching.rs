//! Matching: suggestions explained factor by factor, near misses with their rule, the reverse view
//! over a caseload — and no hard rule ever broken, checked here independently of the service over a
//! generated caseload and corpus.

use serde_json::{Value, json};

use crate::helpers::{TestApp, on_each_database};

const REGISTER: &str = "mutation($input: ClientRegisterInput!) { clientRegister(input: $input) { client { id } userErrors { field code message } } }";
const PREFERENCES: &str = "mutation($input: JobPreferencesRecordInput!) { jobPreferencesRecord(input: $input) { preferences { version } userErrors { field code message } } }";
const MATCHES: &str = "query($id: ID!, $after: String) { client(id: $id) { matches(first: 100, after: $after, includeNearMisses: true) {
    hasPreferences
    totalCount pageInfo { hasNextPage endCursor } nodes { score
        factors { factor clientValue vacancyValue fit weight contribution }
        warnings { kind message }
        vacancy { id title status closingDate environments shifts remote hoursPerWeekMin hoursPerWeekMax
            location { latitude longitude } pay { hourlyMin hourlyMax } } } 
    nearMisses { excludedBy { rule message } vacancy { id environments status } } } } }";

const ENVIRONMENTS: [&str; 6] = [
    "ALCOHOL_SERVED",
    "CASH_HANDLING",
    "DRIVING",
    "NIGHT_WORK",
    "LONE_WORKING",
    "HEAVY_LIFTING",
];
const TITLES: [&str; 8] = [
    "Warehouse operative",
    "Cleaner",
    "Care assistant",
    "Kitchen porter",
    "Retail assistant",
    "Delivery driver",
    "Bar staff",
    "Labourer",
];

pub(crate) async fn register(app: &TestApp, token: &str, name: &str) -> String {
    let input = json!({ "name": name, "referralDate": "2026-09-01", "referralSource": "TREATMENT_KEYWORKER" });
    let r = app.ok(token, REGISTER, json!({ "input": input })).await;
    assert_eq!(r.user_errors("clientRegister"), vec![], "{}", r.body);
    r.data("clientRegister.client.id")
        .as_str()
        .expect("id")
        .to_string()
}

pub(crate) async fn prefer(app: &TestApp, token: &str, client: &str, mut preferences: Value) {
    preferences["clientId"] = json!(client);
    let r = app
        .ok(token, PREFERENCES, json!({ "input": preferences }))
        .await;
    assert_eq!(r.user_errors("jobPreferencesRecord"), vec![], "{}", r.body);
}

fn km(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (la1, lo1, la2, lo2) = (
        a.0.to_radians(),
        a.1.to_radians(),
        b.0.to_radians(),
        b.1.to_radians(),
    );
    let h = ((la2 - la1) / 2.0).sin().powi(2)
        + la1.cos() * la2.cos() * ((lo2 - lo1) / 2.0).sin().powi(2);
    6371.0088 * 2.0 * h.sqrt().min(1.0).asin()
}

fn minutes(hhmm: &str) -> u32 {
    let (h, m) = hhmm.split_once(':').expect("HH:MM");
    h.parse::<u32>().expect("hours") * 60 + m.parse::<u32>().expect("minutes")
}

/// The hard rules, written again from the words, so the test does not trust the service.
fn broken_rules(prefs: &Value, v: &Value, today: &str) -> Vec<String> {
    let mut broken = Vec::new();
    if v["status"] != "OPEN" || v["closingDate"].as_str().is_some_and(|d| d < today) {
        broken.push("not open".into());
    }
    for tag in v["environments"].as_array().expect("environments") {
        if prefs["avoidEnvironments"]
            .as_array()
            .expect("avoid")
            .contains(tag)
        {
            broken.push(format!("avoided {tag}"));
        }
    }
    if let (Some(lat), Some(lon), Some(max)) = (
        prefs["homeLatitude"].as_f64(),
        prefs["homeLongitude"].as_f64(),
        prefs["maxTravelKm"].as_f64(),
    ) {
        match (
            v["location"]["latitude"].as_f64(),
            v["location"]["longitude"].as_f64(),
        ) {
            (Some(vlat), Some(vlon)) if km((lat, lon), (vlat, vlon)) <= max + 1e-9 => {}
            _ => broken.push("beyond travel".into()),
        }
    }
    if let Some(min) = prefs["minHourlyPay"].as_f64() {
        let pay = v["pay"]["hourlyMax"]
            .as_f64()
            .or(v["pay"]["hourlyMin"].as_f64());
        if pay.is_none_or(|p| p < min - 1e-9) {
            broken.push("below minimum pay".into());
        }
    }
    if let (Some(min), Some(max)) = (
        prefs["hoursPerWeekMin"].as_f64(),
        prefs["hoursPerWeekMax"].as_f64(),
    ) {
        let low = v["hoursPerWeekMin"]
            .as_f64()
            .or(v["hoursPerWeekMax"].as_f64());
        let high = v["hoursPerWeekMax"]
            .as_f64()
            .or(v["hoursPerWeekMin"].as_f64());
        if !(low.is_some_and(|l| l <= max) && high.is_some_and(|h| h >= min)) {
            broken.push("hours".into());
        }
    }
    // Shift times as the service documents them: early 05–09 every day, days 09–17 weekdays,
    // evenings 17–23, nights 22–06, weekends 09–17 Saturday and Sunday.
    let shift_times: [(&str, &[&str], u32, u32); 6] = [
        (
            "EARLY_STARTS",
            &["MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"],
            300,
            540,
        ),
        ("DAYS", &["MON", "TUE", "WED", "THU", "FRI"], 540, 1020),
        (
            "EVENINGS",
            &["MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"],
            1020,
            1380,
        ),
        (
            "NIGHTS",
            &["MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"],
            1320,
            1440,
        ),
        (
            "NIGHTS",
            &["MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"],
            0,
            360,
        ),
        ("WEEKENDS", &["SAT", "SUN"], 540, 1020),
    ];
    for shift in v["shifts"].as_array().expect("shifts") {
        for window in prefs["freeWindows"].as_array().expect("windows") {
            let (from, to) = (
                minutes(window["from"].as_str().expect("from")),
                minutes(window["to"].as_str().expect("to")),
            );
            let clash = shift_times.iter().any(|(name, days, start, end)| {
                shift == name
                    && window["days"]
                        .as_array()
                        .expect("days")
                        .iter()
                        .any(|d| days.contains(&d.as_str().unwrap_or_default()))
                    && *start < to
                    && from < *end
            });
            if clash {
                broken.push(format!("{shift} in a free window"));
            }
        }
    }
    broken
}

/// A small deterministic generator for the test's own choices.
struct Dice(u64);

impl Dice {
    fn roll(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n
    }
}

#[tokio::test]
async fn no_suggestion_ever_breaks_a_hard_rule_across_a_generated_caseload_and_corpus() {
    on_each_database(|app| async move {
        let (_, _, token) = app.specialist().await;
        // 8,000 vacancies across Great Britain, from the benchmark's generator.
        let mut rng = ipsmatch::demo::Rng::new(11);
        let places = ipsmatch::demo::places();
        let mut corpus = ipsmatch::demo::vacancies::VacancyCorpus::new(places.clone(), &[], chrono::Utc::now().date_naive(), uuid::Uuid::nil());
        let rows: Vec<_> = (0..8_000).map(|i| corpus.vacancy(&mut rng, i)).collect();
        let txn = sea_orm::TransactionTrait::begin(&app.db).await.expect("begin");
        ipsmatch::demo::vacancies::insert(&txn, &rows).await.expect("insert");
        txn.commit().await.expect("commit");
        let marker = json!({ "input": { "title": "Marker", "employerName": "Marker Ltd", "contractType": "PERMANENT", "status": "OPEN",
            "source": { "kind": "FEED", "feed": "test" }, "externalId": "marker", "waitUntilSearchable": true } });
        app.ok(&token, "mutation($input: VacancyCreateInput!) { vacancyCreate(input: $input) { vacancy { id } } }", marker).await;

        // 80 clients with varied preferences, homes in the larger towns.
        let towns: Vec<&ipsmatch::demo::Place> = places.iter().filter(|p| p.population > 300_000).collect();
        let mut dice = Dice(2026);
        let today = chrono::Utc::now().date_naive().to_string();
        let (mut checked, mut near_checked, mut with_suggestions) = (0, 0, 0);
        for n in 0..80 {
            let client = register(&app, &token, &format!("Generated Client {n}")).await;
            let home = towns[dice.roll(towns.len())];
            let avoid: Vec<&str> = ENVIRONMENTS.iter().copied().filter(|_| dice.roll(3) == 0).collect();
            let hours_min = [8.0, 16.0, 20.0, 30.0][dice.roll(4)];
            let windows = match dice.roll(4) {
                0 => json!([{ "days": ["MON", "WED", "FRI"], "from": "07:30", "to": "09:30", "reason": "dispensing" }]),
                1 => json!([{ "days": ["TUE"], "from": "18:00", "to": "20:00", "reason": "group" }]),
                _ => json!([]),
            };
            // A third are open to any work: retrieval is then by the hard rules alone.
            let titles = if dice.roll(3) == 0 { json!([]) } else { json!([TITLES[dice.roll(TITLES.len())], TITLES[dice.roll(TITLES.len())]]) };
            let prefs = json!({
                "occupationTitles": titles,
                "hoursPerWeekMin": hours_min, "hoursPerWeekMax": hours_min + ([4.0, 10.0, 20.0][dice.roll(3)]),
                "minHourlyPay": if dice.roll(3) == 0 { json!(null) } else { json!(([11.5, 12.2, 12.8, 13.5][dice.roll(4)])) },
                "homeTown": home.name, "homeLatitude": home.lat, "homeLongitude": home.lon,
                "maxTravelKm": ([10.0, 20.0, 40.0, 60.0][dice.roll(4)]),
                "avoidEnvironments": avoid, "freeWindows": windows,
            });
            prefer(&app, &token, &client, prefs.clone()).await;

            let mut after: Option<String> = None;
            loop {
                let r = app.ok(&token, MATCHES, json!({ "id": client, "after": after })).await;
                let matches = r.data("client.matches").clone();
                assert_eq!(matches["hasPreferences"], true);
                for s in matches["nodes"].as_array().expect("nodes") {
                    let broken = broken_rules(&prefs, &s["vacancy"], &today);
                    assert!(broken.is_empty(), "client {n} was suggested {} breaking {broken:?}; preferences {prefs}", s["vacancy"]);
                    let factors = s["factors"].as_array().expect("factors");
                    assert_eq!(factors.len(), 7, "every factor explained: {s}");
                    let sum: f64 = factors.iter().map(|f| f["contribution"].as_f64().expect("contribution")).sum();
                    assert!((sum - s["score"].as_f64().expect("score")).abs() < 0.01, "contributions add up to the score: {s}");
                    checked += 1;
                }
                if after.is_none() {
                    for miss in matches["nearMisses"].as_array().expect("near misses") {
                        assert!(!miss["excludedBy"].as_array().expect("rules").is_empty(), "{miss}");
                        near_checked += 1;
                    }
                    if matches["totalCount"].as_u64().is_some_and(|t| t > 0) {
                        with_suggestions += 1;
                    }
                }
                if matches["pageInfo"]["hasNextPage"] != true {
                    break;
                }
                after = matches["pageInfo"]["endCursor"].as_str().map(str::to_string);
            }
        }
        eprintln!("checked {checked} suggestions and {near_checked} near misses; {with_suggestions} of 80 clients had suggestions");
        assert!(checked > 1_000, "only {checked} suggestions checked");
        assert!(with_suggestions > 40, "only {with_suggestions} of 80 clients had suggestions");
        assert!(near_checked > 100, "only {near_checked} near misses");
    })
    .await;
}

#[tokio::test]
async fn suggestions_explain_themselves_and_the_reverse_view_ranks_the_caseload() {
    on_each_database(|app| async move {
        let (team, _, token) = app.specialist().await;
        let (_, _, colleague) = app.create_staff("SPECIALIST", Some(&team)).await;
        let create = "mutation($input: VacancyCreateInput!) { vacancyCreate(input: $input) { vacancy { id } userErrors { field code } } }";
        let vacancy = async |title: &str, environments: Value, pay: f64| -> String {
            let input = json!({ "title": title, "employerName": "Leeds Hospitality Ltd", "contractType": "PERMANENT", "status": "OPEN",
                "source": { "kind": "FEED", "feed": "test" }, "externalId": uuid::Uuid::now_v7().to_string(), "environments": environments,
                "location": { "town": "Leeds", "latitude": 53.80, "longitude": -1.55 }, "hoursPerWeekMin": 16.0, "hoursPerWeekMax": 30.0,
                "shifts": ["DAYS"], "pay": { "min": pay, "max": pay, "period": "HOURLY" }, "drugTesting": "PRE_EMPLOYMENT", "waitUntilSearchable": true });
            let r = app.ok(&token, create, json!({ "input": input })).await;
            assert_eq!(r.user_errors("vacancyCreate"), vec![], "{}", r.body);
            r.data("vacancyCreate.vacancy.id").as_str().expect("id").to_string()
        };
        let bar = vacancy("Bar and kitchen assistant", json!(["ALCOHOL_SERVED"]), 12.5).await;
        let kitchen = vacancy("Kitchen assistant", json!([]), 12.5).await;

        let sober = register(&app, &token, "Avery Avoids").await;
        let base = json!({ "occupationTitles": ["Kitchen assistant"], "hoursPerWeekMin": 16.0, "hoursPerWeekMax": 30.0, "minHourlyPay": 12.0,
            "homeLatitude": 53.79, "homeLongitude": -1.54, "maxTravelKm": 10.0, "freeWindows": [] });
        let mut avoiding = base.clone();
        avoiding["avoidEnvironments"] = json!(["ALCOHOL_SERVED"]);
        prefer(&app, &token, &sober, avoiding).await;
        let open = register(&app, &token, "Blake Open").await;
        prefer(&app, &token, &open, base.clone()).await;
        let unset = register(&app, &token, "Casey Unset").await;
        // A colleague's client is out of this specialist's reverse view.
        let theirs = register(&app, &colleague, "Drew Theirs").await;
        prefer(&app, &colleague, &theirs, base).await;

        let r = app.ok(&token, MATCHES, json!({ "id": sober })).await;
        let ids: Vec<&str> = r.data("client.matches.nodes").as_array().expect("nodes").iter().map(|s| s["vacancy"]["id"].as_str().expect("id")).collect();
        assert_eq!(ids, vec![kitchen.as_str()], "{}", r.body);
        let suggestion = r.data("client.matches.nodes.0").clone();
        let occupation = suggestion["factors"].as_array().expect("factors").iter().find(|f| f["factor"] == "OCCUPATION").expect("occupation factor").clone();
        assert_eq!(occupation["fit"], 1.0, "{occupation}");
        assert!(occupation["vacancyValue"].as_str().is_some_and(|v| v.contains("Kitchen assistant")));
        assert_eq!(suggestion["warnings"][0]["kind"], "DRUG_TESTING");
        let misses = r.data("client.matches.nearMisses").as_array().expect("near misses").clone();
        assert_eq!(misses.len(), 1, "{}", r.body);
        assert_eq!(misses[0]["vacancy"]["id"], bar.as_str());
        assert_eq!(misses[0]["excludedBy"][0]["rule"], "AVOIDED_ENVIRONMENT");

        let r = app.ok(&token, MATCHES, json!({ "id": unset })).await;
        assert_eq!(r.data("client.matches.hasPreferences"), false);

        let candidates = "query($id: ID!, $all: Boolean!) { vacancy(id: $id) { candidates(includeExcluded: $all) { client { name } score excludedBy { rule } factors { factor } } } }";
        let r = app.ok(&token, candidates, json!({ "id": bar, "all": false })).await;
        let names: Vec<&str> = r.data("vacancy.candidates").as_array().expect("list").iter().map(|c| c["client"]["name"].as_str().expect("name")).collect();
        assert_eq!(names, vec!["Blake Open"], "{}", r.body);
        let r = app.ok(&token, candidates, json!({ "id": bar, "all": true })).await;
        let list = r.data("vacancy.candidates").as_array().expect("list").clone();
        assert_eq!(list.len(), 2, "{}", r.body);
        assert_eq!(list[1]["client"]["name"], "Avery Avoids");
        assert!(list[1]["score"].is_null());
        assert_eq!(list[1]["excludedBy"][0]["rule"], "AVOIDED_ENVIRONMENT");
        let r = app.ok(&app.admin_token(), candidates, json!({ "id": bar, "all": true })).await;
        assert_eq!(r.data("vacancy.candidates"), &json!([]), "an admin reaches no clients");
    })
    .await;
}
