//! The printable fidelity report (`/reports/fidelity`) rendered from the demo data in headless
//! Chromium, as a team lead would open it: every chart is drawn, and only the right people get it.

use std::path::PathBuf;
use std::process::Command;

use serde_json::json;

use crate::helpers::on_each_database;

/// Debian's Chromium, installed with apt-get when it is missing (CI installs it beforehand).
fn chromium() -> PathBuf {
    static INSTALL: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _guard = INSTALL.lock().unwrap_or_else(|e| e.into_inner());
    let found = || {
        ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
            .into_iter()
            .map(PathBuf::from)
            .find(|p| p.exists())
    };
    if let Some(path) = found() {
        return path;
    }
    let update = Command::new("apt-get").arg("update").status();
    let install = Command::new("apt-get")
        .args(["install", "-y", "--no-install-recommends", "chromium"])
        .env("DEBIAN_FRONTEND", "noninteractive")
        .status();
    assert!(
        update.is_ok_and(|s| s.success()) && install.is_ok_and(|s| s.success()),
        "this test renders the report in Debian's chromium; install it with `apt-get install chromium`"
    );
    found().expect("chromium installed")
}

#[tokio::test]
async fn the_fidelity_report_renders_from_the_demo_data_in_headless_chromium() {
    on_each_database(|app| async move {
        sea_orm::ConnectionTrait::execute_unprepared(&app.db, "DELETE FROM staff")
            .await
            .expect("empty staff");
        assert!(
            ipsmatch::demo::load_if_empty(&app.db)
                .await
                .expect("demo loads")
        );
        let lead = ipsmatch::demo::first_with_role(&app.db, ipsmatch::auth::Role::TeamLead)
            .await
            .expect("query")
            .expect("a team lead");
        let token = app.token_for(lead.id);
        let team = crate::helpers::global_id("Team", lead.team_id.expect("a team"));
        let today = chrono::Utc::now().date_naive();
        let from = today - chrono::Duration::days(364);
        let path = format!("/reports/fidelity?teamId={team}&from={from}&to={today}");

        // Authenticated like the API: no token is 401, a specialist asking for the team is 403.
        let r = app.get(&path).await;
        assert_eq!(r.status().as_u16(), 401);
        let specialist = ipsmatch::demo::first_with_role(&app.db, ipsmatch::auth::Role::Specialist)
            .await
            .expect("query")
            .expect("specialist");
        let r = app
            .client
            .get(format!("{}{path}", app.address))
            .bearer_auth(app.token_for(specialist.id))
            .send()
            .await
            .expect("sent");
        assert_eq!(r.status().as_u16(), 403);
        // An API token in the address is refused; a link is asked for (and only for what the
        // caller may see).
        let r = app.get(&format!("{path}&access_token={token}")).await;
        assert_eq!(r.status().as_u16(), 400);
        let link = "query($team: ID!, $from: Date!, $to: Date!) { reportLink(report: FIDELITY, scope: { teamId: $team }, from: $from, to: $to) { url expiresAt } }";
        let vars = json!({ "team": team, "from": from.to_string(), "to": today.to_string() });
        let r = app.graphql(Some(&app.token_for(specialist.id)), link, vars.clone()).await;
        assert_eq!(r.error_code(), Some("FORBIDDEN"), "{}", r.body);
        let url = app.ok(&token, link, vars).await.data("reportLink.url").as_str().expect("url").to_string();
        assert!(url.starts_with("/reports/fidelity?link="), "{url}");
        // The link opens only its own report, whatever the address around it says.
        let r = app.get(&url.replacen("/reports/fidelity", "/reports/ips-grow.csv", 1)).await;
        assert_eq!(r.status().as_u16(), 401);
        let r = app
            .client
            .get(format!("{}{path}", app.address))
            .bearer_auth(&token)
            .send()
            .await
            .expect("sent");
        assert_eq!(r.status().as_u16(), 200);
        assert!(
            r.headers()["content-type"]
                .to_str()
                .expect("type")
                .starts_with("text/html")
        );

        // Rendered by Chromium at a phone's width: the DOM it built holds every chart.
        let url = format!("{}{url}", app.address);
        let shot = app.settings.data_dir.join("fidelity-report.png");
        let browser = chromium();
        let headless = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
        ];
        // Chromium runs off the test's runtime thread, which also drives the in-process server.
        let run = |args: Vec<String>| {
            let browser = browser.clone();
            tokio::task::spawn_blocking(move || {
                Command::new(browser)
                    .args(headless)
                    .args(args)
                    .output()
                    .expect("run chromium")
            })
        };
        let dom = run(vec!["--dump-dom".into(), url.clone()])
            .await
            .expect("chromium");
        let dom = String::from_utf8_lossy(&dom.stdout).to_string();
        for chart in [
            "weekly-contacts",
            "days-to-first-contact",
            "caseload",
            "shares",
            "treatment_team_meetings_per_week",
            "work_coach_contacts_per_month",
        ] {
            assert!(
                dom.contains(&format!("data-chart=\"{chart}\"")),
                "no {chart} chart in {dom}"
            );
        }
        // A team report lists each specialist's anchors (the demo teams have four).
        assert_eq!(dom.matches("data-specialist").count(), 4, "{dom}");
        // The outcomes follow the charts: four definitions, each with its quarters.
        assert_eq!(dom.matches("data-outcome=").count(), 4, "{dom}");
        assert!(dom.contains("class=\"quarters\""));
        let output = run(vec![
            "--window-size=412,3000".into(),
            format!("--screenshot={}", shot.display()),
            url.clone(),
        ])
        .await
        .expect("chromium");
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(
            std::fs::metadata(&shot).is_ok_and(|m| m.len() > 30_000),
            "a screenshot with the charts"
        );
        // Each chart has its bars and its target line; the weekly one has its rolling mean.
        assert!(
            dom.matches("class=\"bar\"").count() > 52,
            "a year of weekly bars and more"
        );
        assert_eq!(dom.matches("class=\"target\"").count(), 6);
        // The referral funnel: the team's three treatment teams and their six keyworkers, each a
        // row, with the one that rarely refers among them.
        assert!(dom.contains("id=\"referrals\""), "{dom}");
        let funnel = &dom[dom.find("id=\"referrals\"").expect("funnel")..];
        let funnel = &funnel[..funnel.find("</section>").unwrap_or(funnel.len())];
        assert_eq!(funnel.matches("<tr>").count(), 2 + 3 + 6, "{funnel}");
        assert!(funnel.contains("Criminal Justice Team"), "{funnel}");
        assert!(dom.contains("class=\"rolling\""));
        assert!(dom.contains("IPS fidelity: ") && dom.contains("<table class=\"summary\">"));
        // The demo keeps a copy of the screenshot for people to look at (target/, not committed).
        let keep = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/fidelity-report.png");
        let _ = std::fs::copy(&shot, keep);
    })
    .await;
}
