//! The leak test: unique markers planted in every free-text field that can carry special-category
//! detail, for many clients; every employer-facing path exercised, refusals included, against the
//! server as a separate process with debug logging. No marker may appear in an employer-facing
//! answer unless the client consented to it, and none in any error, log line or search-index file,
//! nor anywhere on the integrator API (feed, vacancies, employers, JSON-LD, node lookups of clients).

use std::io::BufRead;
use std::process::{Command, Stdio};

use serde_json::{Value, json};

use crate::helpers::on_each_database;

const CLIENTS: usize = 12;

fn marker(n: usize, field: &str) -> String {
    format!("zqmark{n}x{field}")
}

struct Probe {
    client: reqwest::Client,
    base: String,
    token: String,
    /// Every employer-facing answer and every error, as text.
    seen: Vec<(String, String)>,
}

impl Probe {
    async fn call(&mut self, what: &str, query: &str, variables: Value) -> Value {
        let token = self.token.clone();
        self.call_at("/graphql", &token, what, query, variables)
            .await
    }

    async fn call_at(
        &mut self,
        path: &str,
        token: &str,
        what: &str,
        query: &str,
        variables: Value,
    ) -> Value {
        let body: Value = self
            .client
            .post(format!("{}{path}", self.base))
            .bearer_auth(token)
            .json(&json!({ "query": query, "variables": variables }))
            .send()
            .await
            .expect("request")
            .json()
            .await
            .expect("json");
        body.get("errors")
            .into_iter()
            .for_each(|e| self.seen.push((format!("{what} (errors)"), e.to_string())));
        body
    }
}

#[tokio::test]
async fn no_special_category_detail_leaks_to_employers_errors_logs_or_the_index() {
    on_each_database(|mut app| async move {
        let (team, _, specialist) = app.specialist().await;
        let admin = app.admin_token();
        let employer = app.create_employer(&specialist, "Marker Test Foods", "MANUFACTURING").await;
        let (_, integrator) = app.integrator("leak-feed").await;
        let log_path = app.settings.data_dir.join("server.log");
        app.restart(async |settings, db| {
            let log = std::fs::File::create(&log_path).expect("log file");
            let mut child = Command::new(env!("CARGO_BIN_EXE_ipsmatch-under-test"))
                .args(["serve", "--bind", "127.0.0.1:0", "--log", "debug"])
                .arg("--data-dir").arg(&settings.data_dir)
                .arg("--database-url").arg(settings.effective_database_url())
                .arg("--index-dir").arg(settings.effective_index_dir())
                .stdout(Stdio::piped())
                .stderr(Stdio::from(log))
                .spawn()
                .expect("server");
            let stdout = child.stdout.take().expect("stdout");
            let mut lines = std::io::BufReader::new(stdout).lines();
            let base = loop {
                let line = lines.next().expect("address").expect("line");
                if let Some(url) = line.strip_prefix("ipsmatch listening on ") {
                    break url.trim().to_string();
                }
            };
            std::thread::spawn(move || for _ in lines {});
            let mut probe = Probe { client: reqwest::Client::new(), base, token: specialist.clone(), seen: Vec::new() };
            for _ in 0..100 {
                if probe.client.get(format!("{}/readyz", probe.base)).send().await.is_ok_and(|r| r.status().is_success()) {
                    break;
                }
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            }

            let r = probe.call_at("/graphql", &admin, "treatment team", "mutation($input: TreatmentTeamCreateInput!) { treatmentTeamCreate(input: $input) { treatmentTeam { id } } }",
                json!({ "input": { "name": "Leak Recovery", "site": "Leeds", "teamId": team } })).await;
            let treatment_team = r["data"]["treatmentTeamCreate"]["treatmentTeam"]["id"].as_str().expect("treatment team").to_string();
            let mut clients: Vec<String> = Vec::new();
            for n in 0..CLIENTS {
                // The referral's notes, the diary's note: staff-facing text, never logged or indexed.
                let r = probe.call("referral", "mutation($input: ReferralCreateInput!) { referralCreate(input: $input) { referral { id } userErrors { message } } }",
                    json!({ "input": { "treatmentTeamId": treatment_team, "personName": format!("Leak Referral {n}"), "howTold": "IN_PERSON",
                        "contactPreference": "PHONE", "contactNotes": marker(n, "refnotes") } })).await;
                assert!(r["data"]["referralCreate"]["referral"]["id"].is_string(), "{r}");
                let r = probe.call("register", "mutation($input: ClientRegisterInput!) { clientRegister(input: $input) { client { id } userErrors { message } } }",
                    json!({ "input": { "name": format!("Leak Test {n}"), "referralDate": "2026-09-01", "referralSource": "TREATMENT_KEYWORKER",
                        "keyworkerName": marker(n, "keyworker"), "keyworkerContact": marker(n, "kwcontact") } })).await;
                let client = r["data"]["clientRegister"]["client"]["id"].as_str().expect("client").to_string();
                clients.push(client.clone());
                let r = probe.call("diary", "mutation($input: DiaryEntryRecordInput!) { diaryEntryRecord(input: $input) { entry { id } userErrors { message } } }",
                    json!({ "input": { "withWhom": "CLIENT", "clientIds": [client], "at": "2026-11-20T10:00:00Z", "attendance": "ATTENDED",
                        "place": "COMMUNITY", "minutes": 30, "note": marker(n, "diarynote") } })).await;
                assert!(r["data"]["diaryEntryRecord"]["entry"]["id"].is_string(), "{r}");
                // Bad diary input: the error names the field, never the note.
                let r = probe.call("bad diary", "mutation($input: DiaryEntryRecordInput!) { diaryEntryRecord(input: $input) { userErrors { field code message } } }",
                    json!({ "input": { "withWhom": "CLIENT", "clientIds": [client], "at": "2026-11-20T10:00:00Z", "place": "COMMUNITY", "minutes": 9999,
                        "note": format!("{} {}", marker(n, "diarynote"), "x".repeat(600)) } })).await;
                probe.seen.push(("bad diary".into(), r["data"].to_string()));
                probe.call("sensitive", "mutation($input: ClientSensitiveRecordInput!) { clientSensitiveRecord(input: $input) { client { id } } }",
                    json!({ "input": { "clientId": client, "primarySubstanceGroup": "OPIATES", "treatmentStatus": "IN_TREATMENT", "criminalRecordStatus": "UNSPENT", "benefitsStatus": "ESA" } })).await;
                probe.call("profile", "mutation($input: VocationalProfileRecordInput!) { vocationalProfileRecord(input: $input) { profile { version } } }",
                    json!({ "input": { "clientId": client, "workGoal": marker(n, "goal"), "workHistory": marker(n, "history"), "skills": [marker(n, "skill")],
                        "qualifications": [marker(n, "qual")], "barriers": marker(n, "barrier") } })).await;
                probe.call("preferences", "mutation($input: JobPreferencesRecordInput!) { jobPreferencesRecord(input: $input) { preferences { version } } }",
                    json!({ "input": { "clientId": client, "keywords": [marker(n, "keyword")],
                        "freeWindows": [{ "days": ["MON"], "from": "08:00", "to": "09:00", "reason": marker(n, "window") }] } })).await;
                probe.call("discussion", "mutation($input: DisclosureDiscussionRecordInput!) { disclosureDiscussionRecord(input: $input) { discussion { notes } } }",
                    json!({ "input": { "clientId": client, "preferredLevel": "PARTIAL", "whoSpeaks": "JOINTLY", "whenToDisclose": marker(n, "when"), "notes": marker(n, "discuss") } })).await;
                // Half consent to a partial disclosure; half to nothing. The consent's own wording is
                // never told to the employer, even where the consent covers the items asked.
                let consented = n % 2 == 0;
                if consented {
                    probe.call("grant", "mutation($input: ConsentGrantInput!) { consentGrant(input: $input) { consent { id } userErrors { message } } }",
                        json!({ "input": { "clientId": client, "employerId": employer, "purpose": "INTRODUCTION", "level": "PARTIAL",
                            "items": ["SERVICE_AFFILIATION", "REASONABLE_ADJUSTMENTS"], "whoDiscloses": "SPECIALIST", "wording": marker(n, "wording"),
                            "capturedHow": "IN_PERSON_SIGNED", "expiresAt": "2027-06-30T00:00:00Z" } })).await;
                }

                // Every employer-facing path: the allowed introduction, refused ones, each gated act.
                let introduce = "mutation($input: ClientIntroduceInput!) { clientIntroduce(input: $input) { profile { name items { item statement } } userErrors { field code message } } }";
                for items in [json!(["REASONABLE_ADJUSTMENTS"]), json!(["SUBSTANCE_USE_HISTORY", "CURRENT_TREATMENT"]), json!(["CRIMINAL_RECORD", "BENEFITS_STATUS"]), json!(["APPOINTMENT_CONSTRAINTS"])] {
                    let r = probe.call("introduce", introduce, json!({ "input": { "clientId": client, "employerId": employer, "items": items, "channel": "EMAIL" } })).await;
                    probe.seen.push(("introduction".into(), r["data"]["clientIntroduce"].to_string()));
                }
                let r = probe.call("engagement", "mutation($input: EngagementCreateInput!) { engagementCreate(input: $input) { engagement { id outcome } userErrors { field code message } } }",
                    json!({ "input": { "employerId": employer, "occurredAt": "2026-11-20T10:00:00Z", "mode": "PHONE", "purpose": "PRESENT_CANDIDATE",
                        "outcome": "Presented a candidate", "clientIds": [client] } })).await;
                probe.seen.push(("engagement".into(), r["data"].to_string()));
                let r = probe.call("support", "mutation($input: SupportContactRecordInput!) { supportContactRecord(input: $input) { contact { withWhom } userErrors { field code message } } }",
                    json!({ "input": { "clientId": client, "withWhom": "EMPLOYER", "mode": "PHONE", "occurredAt": "2026-11-20T10:00:00Z", "notes": marker(n, "supportnote") } })).await;
                probe.seen.push(("support".into(), r["data"].to_string()));
                // Bad input on the client's own records: the errors name fields, never content.
                let r = probe.call("bad preferences", "mutation($input: JobPreferencesRecordInput!) { jobPreferencesRecord(input: $input) { userErrors { field code message } } }",
                    json!({ "input": { "clientId": client, "occupations": [marker(n, "occupation")], "hoursPerWeekMin": 50.0, "hoursPerWeekMax": 10.0 } })).await;
                probe.seen.push(("bad preferences".into(), r["data"].to_string()));
            }
            // Search is employer- and integrator-facing vocabulary: no client text is ever in it.
            for n in 0..CLIENTS {
                let r = probe.call("search", "query($text: String) { vacancySearch(text: $text) { totalCount nodes { titleHtml descriptionHtml } } }",
                    json!({ "text": marker(n, "barrier") })).await;
                assert_eq!(r["data"]["vacancySearch"]["totalCount"], 0, "{r}");
                probe.seen.push(("search".into(), r["data"].to_string()));
            }
            // The integrator API: everything it can read, and node lookups of every client.
            probe.call_at("/integrations/graphql", &integrator, "integrator sync", "mutation($input: VacanciesUpsertInput!) { vacanciesUpsert(input: $input) { summary { created } } }",
                json!({ "input": { "source": "leak-feed", "items": [{ "externalId": "L1", "title": "Kitchen porter", "employerName": "Marker Test Foods" }] } })).await;
            let reads = [
                "{ changes(first: 1000) { changes { entity kind vacancy { title description skills employerName jobPostingJsonLd } employer { name website } } } }",
                "{ vacancies(first: 100) { nodes { title description skills employerName jobPostingJsonLd employer { name website source } } } }",
                "{ employers(first: 100) { nodes { name sector size website disabilityConfident } } }",
            ];
            for query in reads {
                let r = probe.call_at("/integrations/graphql", &integrator, "integrator read", query, json!({})).await;
                assert!(r.get("errors").is_none(), "{r}");
                probe.seen.push(("integrator read".into(), r.to_string()));
            }
            for client in &clients {
                let r = probe.call_at("/integrations/graphql", &integrator, "integrator node", "query($id: ID!) { node(id: $id) { id } }", json!({ "id": client })).await;
                assert_eq!(r["data"]["node"], Value::Null, "{r}");
                probe.seen.push(("integrator node".into(), r.to_string()));
            }
            child.kill().expect("stop the server");
            let _ = child.wait();

            let planted = ["keyworker", "kwcontact", "goal", "history", "skill", "qual", "barrier", "keyword", "window", "when", "discuss", "wording", "supportnote", "occupation", "refnotes", "diarynote"];
            let leaks = |text: &str| -> Vec<String> {
                (0..CLIENTS)
                    .flat_map(|n| planted.iter().map(move |f| marker(n, f)))
                    .filter(|m| text.contains(m.as_str()))
                    .collect()
            };
            let mut introduced = 0;
            for (what, text) in &probe.seen {
                let found = leaks(text);
                assert!(found.is_empty(), "{what} leaked {found:?}: {text}");
                introduced += usize::from(what == "introduction" && text.contains("REASONABLE_ADJUSTMENTS"));
            }
            assert!(introduced >= CLIENTS / 2, "consented introductions went through ({introduced})");
            let log = std::fs::read_to_string(&log_path).expect("server log");
            assert!(log.lines().count() > 10, "the server logged at debug level");
            assert_eq!(leaks(&log), Vec::<String>::new(), "the log holds client text");
            let mut index_files = 0;
            for entry in std::fs::read_dir(settings.effective_index_dir()).expect("index dir") {
                let bytes = std::fs::read(entry.expect("entry").path()).expect("index file");
                assert_eq!(leaks(&String::from_utf8_lossy(&bytes)), Vec::<String>::new(), "index files hold client text");
                index_files += 1;
            }
            assert!(index_files > 0);
            let disclosed = ipsmatch::log_chain::first_broken_link(db, ipsmatch::log_chain::Log::Disclosure).await.expect("verify");
            assert_eq!(disclosed, None);
        })
        .await;
    })
    .await;
}
