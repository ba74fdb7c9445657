//! The employer CRM: employers with sites, contacts, filters, versions and archiving.

use serde_json::{Value, json};

use crate::helpers::on_each_database;

const EMPLOYER_CREATE: &str =
    "mutation($input: EmployerCreateInput!) { employerCreate(input: $input) {
    employer { id name sector size stage recoveryFriendly version owner { name }
               locations { label town postcode latitude longitude } }
    userErrors { field code message } } }";
const EMPLOYER_UPDATE: &str = "mutation($input: EmployerUpdateInput!) { employerUpdate(input: $input) {
    employer { name stage opennessNotes version locations { label } } userErrors { field code message } } }";

#[tokio::test]
async fn a_specialist_records_an_employer_with_its_sites() {
    on_each_database(|app| async move {
        let (_, me, token) = app.specialist().await;
        let input = json!({ "input": {
            "name": "Holbeck Logistics Ltd", "sector": "TRANSPORT_STORAGE", "size": "MEDIUM", "stage": "ENGAGED",
            "recoveryFriendly": true, "ownerId": me,
            "locations": [
                { "label": "Depot", "town": "Leeds", "postcode": "ls11 5ab", "latitude": 53.785, "longitude": -1.56 },
                { "label": "Office", "town": "Morley" }
            ] } });
        let r = app.ok(&token, EMPLOYER_CREATE, input).await;
        assert_eq!(r.user_errors("employerCreate"), vec![]);
        let employer = r.data("employerCreate.employer").clone();
        assert_eq!(employer["stage"], "ENGAGED");
        assert_eq!(employer["recoveryFriendly"], true);
        assert_eq!(employer["owner"]["name"], "Test SPECIALIST");
        assert_eq!(employer["locations"][0]["postcode"], "LS11 5AB");
        assert_eq!(employer["locations"][0]["latitude"], 53.785);
        assert_eq!(employer["locations"][1]["label"], "Office");
        assert_eq!(employer["locations"][1]["latitude"], Value::Null);
        let r = app.ok(&token, "query($id: ID!) { employer(id: $id) { name locations { town } } }", json!({ "id": employer["id"] })).await;
        assert_eq!(r.data("employer.name"), "Holbeck Logistics Ltd");
        assert_eq!(r.data("employer.locations.1.town"), "Morley");
    })
    .await;
}

#[tokio::test]
async fn employer_input_problems_are_named_by_field_and_nothing_is_written() {
    on_each_database(|app| async move {
        let (_, _, token) = app.specialist().await;
        let input = json!({ "input": {
            "name": "", "sector": "CONSTRUCTION", "size": "SMALL", "ownerId": "bm9wZQ",
            "locations": [{ "label": "Yard", "latitude": 95.0, "longitude": 0.0 }, { "label": "", "longitude": 1.0 }] } });
        let r = app.ok(&token, EMPLOYER_CREATE, input).await;
        let mut errors = r.user_errors("employerCreate");
        errors.sort();
        assert_eq!(
            errors,
            vec![
                ("input.locations.0.latitude".into(), "INVALID".into()),
                ("input.locations.1.label".into(), "REQUIRED".into()),
                ("input.locations.1.latitude".into(), "REQUIRED".into()),
                ("input.name".into(), "REQUIRED".into()),
                ("input.ownerId".into(), "NOT_FOUND".into()),
            ]
        );
        let r = app.ok(&token, "{ employers { totalCount } }", json!({})).await;
        assert_eq!(r.data("employers.totalCount"), 0);
        // An unknown enum value is a GraphQL validation error, not a user error.
        let r = app
            .graphql(Some(&token), EMPLOYER_CREATE, json!({ "input": { "name": "X", "sector": "PIRATES", "size": "SMALL" } }))
            .await;
        assert_eq!(r.status, reqwest::StatusCode::BAD_REQUEST, "{}", r.body);
    })
    .await;
}

#[tokio::test]
async fn employer_names_are_unique_ignoring_case_and_spacing() {
    on_each_database(|app| async move {
        let (_, _, token) = app.specialist().await;
        app.create_employer(&token, "Armley Bakery", "MANUFACTURING").await;
        let r = app
            .ok(&token, EMPLOYER_CREATE, json!({ "input": { "name": "  armley   BAKERY", "sector": "MANUFACTURING", "size": "MICRO" } }))
            .await;
        assert_eq!(r.user_errors("employerCreate"), vec![("input.name".into(), "DUPLICATE".into())]);
    })
    .await;
}

#[tokio::test]
async fn employer_updates_apply_once_per_version_and_can_clear_fields() {
    on_each_database(|app| async move {
        let (_, _, token) = app.specialist().await;
        let id = app.create_employer(&token, "Beeston Café", "ACCOMMODATION_FOOD").await;
        let r = app
            .ok(&token, EMPLOYER_UPDATE, json!({ "input": { "id": id, "version": 1, "stage": "HIRING_PARTNER", "opennessNotes": "Took on two people last year", "locations": [{ "label": "Café" }] } }))
            .await;
        assert_eq!(r.user_errors("employerUpdate"), vec![]);
        assert_eq!(r.data("employerUpdate.employer.stage"), "HIRING_PARTNER");
        assert_eq!(r.data("employerUpdate.employer.version"), 2);
        assert_eq!(r.data("employerUpdate.employer.locations.0.label"), "Café");

        // Someone still holding version 1 is told, and their change is not applied.
        let r = app.ok(&token, EMPLOYER_UPDATE, json!({ "input": { "id": id, "version": 1, "stage": "DORMANT" } })).await;
        assert_eq!(r.user_errors("employerUpdate"), vec![("input.version".into(), "STALE_VERSION".into())]);

        // null clears; absent keeps.
        let r = app.ok(&token, EMPLOYER_UPDATE, json!({ "input": { "id": id, "version": 2, "opennessNotes": null } })).await;
        assert_eq!(r.data("employerUpdate.employer.opennessNotes"), &Value::Null);
        assert_eq!(r.data("employerUpdate.employer.stage"), "HIRING_PARTNER");
        assert_eq!(r.data("employerUpdate.employer.locations.0.label"), "Café");

        let r = app.ok(&token, EMPLOYER_UPDATE, json!({ "input": { "id": crate::helpers::global_id("Employer", uuid::Uuid::now_v7()), "version": 1, "name": "X" } })).await;
        assert_eq!(r.user_errors("employerUpdate"), vec![("input.id".into(), "NOT_FOUND".into())]);
    })
    .await;
}

#[tokio::test]
async fn employers_are_filtered_by_name_sector_stage_and_owner() {
    on_each_database(|app| async move {
        let (team, me, token) = app.specialist().await;
        let (_, _, other) = app.create_staff("SPECIALIST", Some(&team)).await;
        for (name, sector, stage, owner) in [
            ("Headingley Hardware", "WHOLESALE_RETAIL", "PROSPECT", Some(&me)),
            ("Headingley Kitchen", "ACCOMMODATION_FOOD", "ENGAGED", None),
            ("Pudsey 100% Recycling", "WATER_WASTE", "ENGAGED", Some(&me)),
            ("Otley_Print", "MANUFACTURING", "HIRING_PARTNER", None),
        ] {
            let r = app
                .ok(&other, EMPLOYER_CREATE, json!({ "input": { "name": name, "sector": sector, "size": "SMALL", "stage": stage, "ownerId": owner } }))
                .await;
            assert_eq!(r.user_errors("employerCreate"), vec![]);
        }
        let names = |r: &crate::helpers::Response| -> Vec<String> {
            r.data("employers.nodes").as_array().expect("nodes").iter().map(|n| n["name"].as_str().expect("name").to_string()).collect()
        };
        let q = "query($f: EmployerFilter) { employers(filter: $f) { nodes { name } } }";
        let r = app.ok(&token, q, json!({ "f": { "text": "headingley" } })).await;
        assert_eq!(names(&r), ["Headingley Hardware", "Headingley Kitchen"]);
        let r = app.ok(&token, q, json!({ "f": { "text": "kitchen HEADINGLEY" } })).await;
        assert_eq!(names(&r), ["Headingley Kitchen"]);
        let r = app.ok(&token, q, json!({ "f": { "text": "100%" } })).await;
        assert_eq!(names(&r), ["Pudsey 100% Recycling"], "% is matched literally");
        let r = app.ok(&token, q, json!({ "f": { "text": "ley_" } })).await;
        assert_eq!(names(&r), ["Otley_Print"], "_ is matched literally");
        let r = app.ok(&token, q, json!({ "f": { "sectors": ["WATER_WASTE", "MANUFACTURING"] } })).await;
        assert_eq!(names(&r), ["Otley_Print", "Pudsey 100% Recycling"]);
        let r = app.ok(&token, q, json!({ "f": { "stages": ["ENGAGED"] } })).await;
        assert_eq!(names(&r), ["Headingley Kitchen", "Pudsey 100% Recycling"]);
        let r = app.ok(&token, q, json!({ "f": { "ownerId": me } })).await;
        assert_eq!(names(&r), ["Headingley Hardware", "Pudsey 100% Recycling"]);
    })
    .await;
}

#[tokio::test]
async fn archived_employers_leave_the_list_and_take_no_new_work() {
    on_each_database(|app| async move {
        let (_, _, token) = app.specialist().await;
        let id = app.create_employer(&token, "Garforth Garden Centre", "WHOLESALE_RETAIL").await;
        let r = app
            .ok(&token, "mutation($input: EmployerArchiveInput!) { employerArchive(input: $input) { employer { archived } userErrors { code } } }", json!({ "input": { "id": id } }))
            .await;
        assert_eq!(r.data("employerArchive.employer.archived"), true);
        let r = app.ok(&token, "{ employers { totalCount } all: employers(filter: {includeArchived: true}) { totalCount } }", json!({})).await;
        assert_eq!(r.data("employers.totalCount"), 0);
        assert_eq!(r.data("all.totalCount"), 1);
        let r = app
            .ok(&token, "mutation($input: EmployerContactCreateInput!) { employerContactCreate(input: $input) { userErrors { field code } } }", json!({ "input": { "employerId": id, "name": "Jo" } }))
            .await;
        assert_eq!(r.user_errors("employerContactCreate"), vec![("input.employerId".into(), "ARCHIVED".into())]);
        let r = app
            .ok(&token, "mutation($input: EmployerRestoreInput!) { employerRestore(input: $input) { employer { archived } } }", json!({ "input": { "id": id } }))
            .await;
        assert_eq!(r.data("employerRestore.employer.archived"), false);
    })
    .await;
}

#[tokio::test]
async fn contacts_are_added_changed_and_archived() {
    on_each_database(|app| async move {
        let (_, _, token) = app.specialist().await;
        let employer = app.create_employer(&token, "Rothwell Care Home", "HEALTH_SOCIAL_WORK").await;
        let create = "mutation($input: EmployerContactCreateInput!) { employerContactCreate(input: $input) {
            contact { id name email preferredChannel version employer { name } } userErrors { field code } } }";
        let r = app
            .ok(&token, create, json!({ "input": { "employerId": employer, "name": "Joanne Pearson", "jobTitle": "Registered manager", "email": "J.Pearson@Rothwell.example", "preferredChannel": "PHONE" } }))
            .await;
        assert_eq!(r.user_errors("employerContactCreate"), vec![]);
        let contact = r.data("employerContactCreate.contact").clone();
        assert_eq!(contact["email"], "j.pearson@rothwell.example");
        assert_eq!(contact["employer"]["name"], "Rothwell Care Home");
        let r = app
            .ok(&token, create, json!({ "input": { "employerId": employer, "name": "Someone Else", "email": "j.pearson@rothwell.example" } }))
            .await;
        assert_eq!(r.user_errors("employerContactCreate"), vec![("input.email".into(), "DUPLICATE".into())]);
        let r = app
            .ok(&token, create, json!({ "input": { "employerId": employer, "name": "Bad Mail", "email": "nope" } }))
            .await;
        assert_eq!(r.user_errors("employerContactCreate"), vec![("input.email".into(), "INVALID".into())]);

        let update = "mutation($input: EmployerContactUpdateInput!) { employerContactUpdate(input: $input) { contact { jobTitle phone version } userErrors { field code } } }";
        let r = app.ok(&token, update, json!({ "input": { "id": contact["id"], "version": 1, "phone": "01632 960123", "jobTitle": null } })).await;
        assert_eq!(r.data("employerContactUpdate.contact.phone"), "01632 960123");
        assert_eq!(r.data("employerContactUpdate.contact.jobTitle"), &Value::Null);
        let r = app.ok(&token, update, json!({ "input": { "id": contact["id"], "version": 1, "phone": "0" } })).await;
        assert_eq!(r.user_errors("employerContactUpdate"), vec![("input.version".into(), "STALE_VERSION".into())]);

        app.ok(&token, "mutation($input: EmployerContactArchiveInput!) { employerContactArchive(input: $input) { contact { archived } } }", json!({ "input": { "id": contact["id"] } }))
            .await;
        let q = "query($id: ID!) { employer(id: $id) { contacts { name } all: contacts(includeArchived: true) { name } } }";
        let r = app.ok(&token, q, json!({ "id": employer })).await;
        assert_eq!(r.data("employer.contacts"), &json!([]));
        assert_eq!(r.data("employer.all.0.name"), "Joanne Pearson");
    })
    .await;
}
