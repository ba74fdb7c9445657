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
            .ok(&token, "{ viewer { team { members { name } } } engagements(filter: {modes: [FACE_TO_FACE]}) { totalCount } staffMembers { totalCount } }", json!({}))
            .await;
        assert!(r.data("engagements.totalCount").as_u64().is_some_and(|n| n > 500), "{}", r.body);
        assert_eq!(r.data("viewer.team.members").as_array().map(Vec::len), Some(5));
        assert_eq!(r.data("staffMembers.totalCount"), 16);
    })
    .await;
}
