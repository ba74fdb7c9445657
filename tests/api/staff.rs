//! Teams and staff: only admins manage them; bad input is named field by field.

use serde_json::json;

use crate::helpers::on_each_database;

const STAFF_CREATE: &str = "mutation($input: StaffCreateInput!) { staffCreate(input: $input) {
    staff { id name email role fte active team { name } } userErrors { field code message } } }";

#[tokio::test]
async fn admin_creates_a_team_and_its_specialists() {
    on_each_database(|app| async move {
        let team = app.create_team("Leeds IPS team").await;
        let r = app
            .ok(&app.admin_token(), STAFF_CREATE, json!({ "input": { "name": "Priya Shah", "email": "Priya.Shah@Example.ORG", "role": "SPECIALIST", "fte": 0.8, "teamId": team } }))
            .await;
        assert_eq!(r.user_errors("staffCreate"), vec![]);
        assert_eq!(r.data("staffCreate.staff.email"), "priya.shah@example.org");
        assert_eq!(r.data("staffCreate.staff.fte"), 0.8);
        assert_eq!(r.data("staffCreate.staff.team.name"), "Leeds IPS team");
        let r = app
            .ok(&app.admin_token(), "query($id: ID!) { node(id: $id) { ... on Team { members { name } } } }", json!({ "id": team }))
            .await;
        assert_eq!(r.data("node.members.0.name"), "Priya Shah");
        let r = app.ok(&app.admin_token(), "{ staffMembers(filter: {roles: [SPECIALIST]}) { totalCount nodes { name } } }", json!({})).await;
        assert_eq!(r.data("staffMembers.totalCount"), 1);
    })
    .await;
}

#[tokio::test]
async fn staff_input_problems_are_named_by_field() {
    on_each_database(|app| async move {
        let token = app.admin_token();
        let r = app
            .ok(&token, STAFF_CREATE, json!({ "input": { "name": " ", "email": "not-an-email", "role": "SPECIALIST", "fte": 1.5 } }))
            .await;
        let mut errors = r.user_errors("staffCreate");
        errors.sort();
        assert_eq!(
            errors,
            vec![
                ("input.email".into(), "INVALID".into()),
                ("input.fte".into(), "INVALID".into()),
                ("input.name".into(), "REQUIRED".into()),
                ("input.teamId".into(), "REQUIRED".into()),
            ]
        );
        assert_eq!(r.data("staffCreate.staff"), &serde_json::Value::Null);

        let team = app.create_team("Bradford").await;
        let input = json!({ "input": { "name": "Sam", "email": "sam@ipsmatch.example", "role": "SPECIALIST", "teamId": team } });
        assert_eq!(app.ok(&token, STAFF_CREATE, input.clone()).await.user_errors("staffCreate"), vec![]);
        assert_eq!(
            app.ok(&token, STAFF_CREATE, input).await.user_errors("staffCreate"),
            vec![("input.email".into(), "DUPLICATE".into())]
        );
        let r = app
            .ok(&token, "mutation { teamCreate(input: {name: \"  bradford \", site: \"x\"}) { userErrors { field code } } }", json!({}))
            .await;
        assert_eq!(r.user_errors("teamCreate"), vec![("input.name".into(), "DUPLICATE".into())]);
    })
    .await;
}

#[tokio::test]
async fn specialists_cannot_manage_staff() {
    on_each_database(|app| async move {
        let (team, _, token) = app.specialist().await;
        let r = app
            .graphql(Some(&token), STAFF_CREATE, json!({ "input": { "name": "X", "email": "x@ipsmatch.example", "role": "ADMIN", "teamId": team } }))
            .await;
        assert_eq!(r.error_code(), Some("FORBIDDEN"), "{}", r.body);
        let r = app.ok(&app.admin_token(), "{ staffMembers(filter: {roles: [ADMIN]}) { totalCount } }", json!({})).await;
        assert_eq!(r.data("staffMembers.totalCount"), 1, "no admin was added");
    })
    .await;
}

#[tokio::test]
async fn staff_updates_refuse_a_stale_version() {
    on_each_database(|app| async move {
        let (_, id, _) = app.specialist().await;
        let update = "mutation($input: StaffUpdateInput!) { staffUpdate(input: $input) { staff { fte version } userErrors { field code } } }";
        let r = app.ok(&app.admin_token(), update, json!({ "input": { "id": id, "version": 1, "fte": 0.5 } })).await;
        assert_eq!(r.data("staffUpdate.staff.fte"), 0.5);
        assert_eq!(r.data("staffUpdate.staff.version"), 2);
        let r = app.ok(&app.admin_token(), update, json!({ "input": { "id": id, "version": 1, "fte": 0.6 } })).await;
        assert_eq!(r.user_errors("staffUpdate"), vec![("input.version".into(), "STALE_VERSION".into())]);
    })
    .await;
}

#[tokio::test]
async fn an_admin_cannot_deactivate_themselves() {
    on_each_database(|app| async move {
        let me = crate::helpers::global_id("Staff", app.admin_id);
        let r = app
            .ok(&app.admin_token(), "mutation($input: StaffDeactivateInput!) { staffDeactivate(input: $input) { userErrors { field code } } }", json!({ "input": { "id": me } }))
            .await;
        assert_eq!(r.user_errors("staffDeactivate"), vec![("input.id".into(), "INVALID".into())]);
        app.ok(&app.admin_token(), "{ viewer { name } }", json!({})).await;
    })
    .await;
}
