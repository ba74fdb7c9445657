//! The demo data set: believable, complete enough for every screen, and answering the README's
//! example query.

use serde_json::json;

use crate::helpers::on_each_database;

#[tokio::test]
async fn the_demo_data_set_answers_the_readme_query() {
    on_each_database(|app| async move {
        // The harness seeded one admin; the demo loads into a database without staff.
        sea_orm::ConnectionTrait::execute_unprepared(&app.db, "DELETE FROM staff").await.expect("empty staff");
        assert!(ipsmatch::demo::load_if_empty(&app.db).await.expect("demo loads"));
        assert!(!ipsmatch::demo::load_if_empty(&app.db).await.expect("second call"), "loads only once");

        let specialist = ipsmatch::demo::first_with_role(&app.db, ipsmatch::auth::Role::Specialist).await.expect("query").expect("a specialist");
        let token = app.token_for(specialist.id);
        let readme = include_str!("../../README.md");
        let start = readme.find("```graphql").expect("README has a graphql example") + "```graphql".len();
        let query = &readme[start..start + readme[start..].find("```").expect("closing fence")];
        let r = app.ok(&token, query, json!({})).await;
        let employers = r.data("employers");
        assert_eq!(employers["totalCount"], ipsmatch::demo::EMPLOYERS);
        let first = &employers["nodes"][0];
        assert!(first["name"].as_str().is_some_and(|n| !n.is_empty()));
        assert!(first["locations"][0]["town"].is_string());
        assert!(first["contacts"].as_array().is_some_and(|c| !c.is_empty()));

        let r = app
            .ok(&token, "{ viewer { team { members { name } } } engagements(filter: {modes: [FACE_TO_FACE]}) { totalCount } staffMembers(filter: {roles: [ADMIN, TEAM_LEAD, SPECIALIST]}) { totalCount } keyworkers: staffMembers(filter: {roles: [KEYWORKER]}) { totalCount } }", json!({}))
            .await;
        assert!(r.data("engagements.totalCount").as_u64().is_some_and(|n| n > 500), "{}", r.body);
        assert_eq!(r.data("viewer.team.members").as_array().map(Vec::len), Some(5));
        assert_eq!(r.data("staffMembers.totalCount"), 16);
        assert_eq!(r.data("keyworkers.totalCount"), 18, "two keyworkers in each of nine treatment teams");

        // A living caseload: a year of referrals (some since discharged), with preferences that
        // find matches.
        let r = app.ok(&token, "{ clients(first: 100) { totalCount nodes { id status applications { stage } } } }", json!({})).await;
        let caseload = r.data("clients.totalCount").as_u64().expect("count");
        assert!((10..=40).contains(&caseload), "{caseload}");
        let stages: std::collections::HashSet<String> = r.data("clients.nodes").as_array().expect("nodes").iter()
            .flat_map(|c| c["applications"].as_array().cloned().unwrap_or_default())
            .filter_map(|a| a["stage"].as_str().map(str::to_string))
            .collect();
        assert!(stages.len() >= 5, "applications in most stages: {stages:?}");
        // Consents at several levels (some revoked or expired), discussions and a logged history.
        let team_lead = ipsmatch::demo::first_with_role(&app.db, ipsmatch::auth::Role::TeamLead).await.expect("query").expect("a lead");
        let r = app
            .ok(&app.token_for(team_lead.id), "{ clients(first: 100) { nodes { consents { level status } disclosureDiscussions { discussedOn } disclosures { act consentVersion } } } }", json!({}))
            .await;
        let nodes = r.data("clients.nodes").as_array().expect("nodes").clone();
        let levels: std::collections::HashSet<String> = nodes.iter()
            .flat_map(|c| c["consents"].as_array().cloned().unwrap_or_default())
            .filter_map(|c| c["level"].as_str().map(str::to_string))
            .collect();
        assert!(levels.len() >= 3, "consents at several levels: {levels:?}");
        assert!(nodes.iter().any(|c| c["disclosures"].as_array().is_some_and(|d| !d.is_empty())), "a disclosure history");
        assert!(nodes.iter().any(|c| c["disclosureDiscussions"].as_array().is_some_and(|d| d.len() > 1)), "disclosure discussed more than once");
        assert_eq!(ipsmatch::log_chain::first_broken_link(&app.db, ipsmatch::log_chain::Log::Disclosure).await.expect("verify"), None);
        let admin = ipsmatch::demo::first_with_role(&app.db, ipsmatch::auth::Role::Admin).await.expect("query").expect("an admin");
        let admin_view = app.ok(&app.token_for(admin.id), "{ clients { totalCount } }", json!({})).await;
        assert_eq!(admin_view.data("clients.totalCount"), 0, "admins see no clients");

        // The follower indexes the demo vacancies from the change log.
        let r = app.ok(&token, "{ vacancies { totalCount } }", json!({})).await;
        assert_eq!(r.data("vacancies.totalCount"), ipsmatch::demo::VACANCIES);
        let last = sea_orm::ConnectionTrait::query_one_raw(
            &app.db,
            sea_orm::Statement::from_string(app.db.get_database_backend(), "SELECT MAX(seq) FROM change_log"),
        )
        .await
        .expect("max seq")
        .expect("row")
        .try_get_by_index::<i64>(0)
        .expect("seq");
        let mut applied = 0;
        for _ in 0..300 {
            let ready: serde_json::Value = app.get("/readyz").await.json().await.expect("json");
            applied = ready["searchIndexAppliedSeq"].as_i64().unwrap_or(0);
            if applied >= last {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        assert!(applied >= last, "index applied {applied} of {last}");
        let mut matched = 0;
        for client in r_clients(&app, &token).await {
            let m = app.ok(&token, "query($id: ID!) { client(id: $id) { matches(first: 5) { totalCount } } }", json!({ "id": client })).await;
            if m.data("client.matches.totalCount").as_u64().is_some_and(|n| n > 0) {
                matched += 1;
            }
        }
        assert!(matched >= 10, "most demo clients have suggestions: {matched}");
        let search = "{ vacancySearch(text: \"warehose operatve\", first: 3) { totalCount nodes { vacancy { title status } } facets { dimension value count } } }";
        let r = app.ok(&token, search, json!({})).await;
        assert!(r.data("vacancySearch.totalCount").as_u64().is_some_and(|n| n > 10), "{}", r.body);
        for hit in r.data("vacancySearch.nodes").as_array().expect("hits") {
            assert_eq!(hit["vacancy"]["status"], "OPEN");
        }

        fidelity_has_both_sides(&app).await;
        referrals_from_keyworkers(&app).await;
        work_queues_hold_every_kind(&app).await;
    })
    .await;
}

/// Over the last year, every fidelity measure has demo specialists at its target and demo
/// specialists short of it, as each team lead sees them.
async fn fidelity_has_both_sides(app: &crate::helpers::TestApp) {
    use entities::staff;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let today = chrono::Utc::now().date_naive();
    let from = today - chrono::Duration::days(364);
    let query = "query($scope: FidelityScopeInput!, $from: Date!, $to: Date!) { fidelity(scope: $scope, from: $from, to: $to) { measures { key value target better } } }";
    let everyone = staff::Entity::find()
        .filter(staff::Column::Role.is_in(["TEAM_LEAD", "SPECIALIST"]))
        .all(&app.db)
        .await
        .expect("staff");
    // measure → (specialists at the target, specialists short of it)
    let mut sides: std::collections::BTreeMap<String, (Vec<f64>, Vec<f64>)> = Default::default();
    for lead in everyone.iter().filter(|s| s.role == "TEAM_LEAD") {
        let token = app.token_for(lead.id);
        for specialist in everyone
            .iter()
            .filter(|s| s.role == "SPECIALIST" && s.team_id == lead.team_id)
        {
            let scope =
                json!({ "specialistId": crate::helpers::global_id("Staff", specialist.id) });
            let r = app
                .ok(
                    &token,
                    query,
                    json!({ "scope": scope, "from": from.to_string(), "to": today.to_string() }),
                )
                .await;
            for m in r.data("fidelity.measures").as_array().expect("measures") {
                let entry = sides
                    .entry(m["key"].as_str().expect("key").to_string())
                    .or_default();
                let target = m["target"].as_f64().expect("target");
                let Some(value) = m["value"].as_f64() else {
                    continue;
                };
                let met = if m["better"] == "LOWER" {
                    value <= target
                } else {
                    value >= target
                };
                if met {
                    entry.0.push(value)
                } else {
                    entry.1.push(value)
                }
            }
        }
    }
    assert_eq!(sides.len(), 16, "{sides:?}");
    for (key, (at_target, short)) in &sides {
        eprintln!(
            "{key}: {} at the target, {} short",
            at_target.len(),
            short.len()
        );
        assert!(
            !at_target.is_empty() && !short.is_empty(),
            "{key}: at target {at_target:?}, short {short:?}"
        );
    }
}

async fn r_clients(app: &crate::helpers::TestApp, token: &str) -> Vec<String> {
    app.ok(token, "{ clients(first: 100) { nodes { id } } }", json!({}))
        .await
        .data("clients.nodes")
        .as_array()
        .expect("nodes")
        .iter()
        .filter_map(|c| c["id"].as_str().map(str::to_string))
        .collect()
}

#[tokio::test]
async fn serve_demo_on_a_database_with_real_staff_prints_no_tokens() {
    crate::helpers::on_each_database(|app| async move {
        use std::io::BufRead;
        // The database already holds staff (the harness's admin): `serve --demo` loads nothing
        // and must print no token for anyone in it.
        let index = tempfile::tempdir().expect("index dir");
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_ipsmatch-under-test"))
            .args([
                "serve",
                "--demo",
                "--bind",
                "127.0.0.1:0",
                "--log",
                "error",
                "--workers",
                "1",
            ])
            .arg("--data-dir")
            .arg(&app.settings.data_dir)
            .arg("--database-url")
            .arg(app.settings.effective_database_url())
            .arg("--index-dir")
            .arg(index.path())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("start serve --demo");
        let stdout = child.stdout.take().expect("stdout");
        let mut said = Vec::new();
        for line in std::io::BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
        {
            let done = line.contains("no tokens printed") || line.starts_with("Send one as");
            said.push(line);
            if done {
                break;
            }
        }
        let _ = child.kill();
        let _ = child.wait();
        assert!(said.iter().all(|l| !l.contains(" token: ")), "{said:?}");
        assert!(
            said.iter().any(|l| l.contains("no tokens printed")),
            "{said:?}"
        );
    })
    .await;
}

/// Keyworkers refer (one team at each hub rarely), see their referrals and, for about half the
/// clients they referred, progress shared with consent; a team lead's funnel shows every
/// treatment team.
async fn referrals_from_keyworkers(app: &crate::helpers::TestApp) {
    use entities::staff;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let keyworker = ipsmatch::demo::first_demo_with_role(&app.db, ipsmatch::auth::Role::Keyworker)
        .await
        .expect("query")
        .expect("a keyworker");
    let r = app
        .ok(
            &app.token_for(keyworker.id),
            "{ referrals(first: 100) { totalCount } }",
            json!({}),
        )
        .await;
    assert!(
        r.data("referrals.totalCount")
            .as_u64()
            .is_some_and(|n| n > 0),
        "the printed keyworker has referrals: {}",
        r.body
    );
    let mut shared = 0;
    let mut states = std::collections::HashSet::new();
    for k in staff::Entity::find()
        .filter(staff::Column::Role.eq("KEYWORKER"))
        .all(&app.db)
        .await
        .expect("keyworkers")
    {
        let r = app
            .ok(
                &app.token_for(k.id),
                "{ referrals(first: 100) { nodes { state progress { status } } } }",
                json!({}),
            )
            .await;
        for n in r.data("referrals.nodes").as_array().expect("nodes") {
            states.insert(n["state"].as_str().unwrap_or_default().to_string());
            shared += usize::from(!n["progress"].is_null());
        }
    }
    assert_eq!(states.len(), 5, "referrals in every state: {states:?}");
    assert!(
        shared >= 20,
        "progress shared under consent for some: {shared}"
    );
    let lead = ipsmatch::demo::first_with_role(&app.db, ipsmatch::auth::Role::TeamLead)
        .await
        .expect("query")
        .expect("a lead");
    let today = chrono::Utc::now().date_naive();
    let r = app.ok(&app.token_for(lead.id), "query($from: Date!, $to: Date!) { referralFunnel(from: $from, to: $to) { total byTreatmentTeam { name referrals } } }",
        json!({ "from": (today - chrono::Duration::days(364)).to_string(), "to": today.to_string() })).await;
    let teams = r
        .data("referralFunnel.byTreatmentTeam")
        .as_array()
        .expect("teams")
        .clone();
    assert_eq!(teams.len(), 3, "{}", r.body);
    let mut counts: Vec<u64> = teams
        .iter()
        .filter_map(|t| t["referrals"].as_u64())
        .collect();
    counts.sort_unstable();
    assert!(
        counts[0] * 3 < counts[2],
        "one treatment team rarely refers: {}",
        r.body
    );
}

/// Every demo specialist's work queue holds an item of every kind.
async fn work_queues_hold_every_kind(app: &crate::helpers::TestApp) {
    use entities::staff;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let kinds = [
        "FIRST_EMPLOYER_CONTACT",
        "IN_WORK_SUPPORT",
        "CONTACT_AFTER_JOB_END",
        "MISSED_APPOINTMENT",
        "NO_RECENT_CONTACT",
        "CONSENT_EXPIRING",
        "BETTER_OFF_CHECK",
    ];
    for s in staff::Entity::find()
        .filter(staff::Column::Role.eq("SPECIALIST"))
        .all(&app.db)
        .await
        .expect("specialists")
    {
        let r = app
            .ok(&app.token_for(s.id), "{ workQueue { kind } }", json!({}))
            .await;
        let held: std::collections::BTreeSet<String> = r
            .data("workQueue")
            .as_array()
            .expect("queue")
            .iter()
            .filter_map(|i| i["kind"].as_str().map(str::to_string))
            .collect();
        let missing: Vec<&str> = kinds
            .iter()
            .copied()
            .filter(|k| !held.contains(*k))
            .collect();
        eprintln!(
            "{}: {} items, missing {missing:?}",
            s.name,
            r.data("workQueue").as_array().map_or(0, Vec::len)
        );
        assert!(missing.is_empty(), "{}'s queue lacks {missing:?}", s.name);
    }
}
