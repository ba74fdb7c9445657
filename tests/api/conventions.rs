//! Schema conventions: Relay nodes and connections, documented types, and a committed SDL.

use serde_json::{Value, json};

use crate::helpers::{global_id, on_each_database};

#[tokio::test]
async fn node_fetches_any_record_and_missing_ids_are_null() {
    on_each_database(|app| async move {
        let (_, specialist, token) = app.specialist().await;
        let employer = app.create_employer(&token, "Kirkstall Bakery", "MANUFACTURING").await;
        let query = "query($id: ID!) { node(id: $id) { __typename id ... on Employer { name } ... on Staff { role } } }";
        let r = app.ok(&token, query, json!({ "id": employer })).await;
        assert_eq!(r.data("node.__typename"), "Employer");
        assert_eq!(r.data("node.name"), "Kirkstall Bakery");
        assert_eq!(r.data("node.id"), employer.as_str());
        let r = app.ok(&token, query, json!({ "id": specialist })).await;
        assert_eq!(r.data("node.role"), "SPECIALIST");

        // A well-formed id of nothing, a garbage id, and an id of the wrong shape all look alike.
        for id in [global_id("Employer", uuid::Uuid::now_v7()), "garbage".into(), global_id("Nope", uuid::Uuid::now_v7())] {
            let r = app.ok(&token, query, json!({ "id": id })).await;
            assert_eq!(r.data("node"), &Value::Null, "{id}");
        }
        let r = app
            .ok(&token, "query($ids: [ID!]!) { nodes(ids: $ids) { id } }", json!({ "ids": [employer, "garbage", specialist] }))
            .await;
        let nodes = r.data("nodes").as_array().expect("list").clone();
        assert_eq!(nodes.len(), 3);
        assert_eq!(nodes[0]["id"], employer.as_str());
        assert_eq!(nodes[1], Value::Null);
        assert_eq!(nodes[2]["id"], specialist.as_str());
        // A typed lookup with another kind's id is null too.
        let r = app.ok(&token, "query($id: ID!) { employer(id: $id) { name } }", json!({ "id": specialist })).await;
        assert_eq!(r.data("employer"), &Value::Null);
    })
    .await;
}

#[tokio::test]
async fn connections_page_forwards_and_backwards_with_a_total() {
    on_each_database(|app| async move {
        let (_, _, token) = app.specialist().await;
        let names: Vec<String> = (0..7).map(|i| format!("Employer {i:02}")).collect();
        for name in names.iter().rev() {
            app.create_employer(&token, name, "CONSTRUCTION").await;
        }
        let query = "query($first: Int, $after: String, $last: Int, $before: String) {
            employers(first: $first, after: $after, last: $last, before: $before) {
                totalCount
                edges { cursor node { name } }
                nodes { name }
                pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
            } }";
        let page = |v: &Value| -> Vec<String> {
            v["nodes"]
                .as_array()
                .expect("nodes")
                .iter()
                .map(|n| n["name"].as_str().expect("name").to_string())
                .collect()
        };
        let r = app.ok(&token, query, json!({ "first": 3 })).await;
        let first = r.data("employers").clone();
        assert_eq!(first["totalCount"], 7);
        assert_eq!(page(&first), names[0..3]);
        assert_eq!(first["pageInfo"]["hasNextPage"], true);
        assert_eq!(first["pageInfo"]["hasPreviousPage"], false);
        assert_eq!(first["edges"][2]["cursor"], first["pageInfo"]["endCursor"]);

        let r = app
            .ok(
                &token,
                query,
                json!({ "first": 3, "after": first["pageInfo"]["endCursor"] }),
            )
            .await;
        let second = r.data("employers").clone();
        assert_eq!(page(&second), names[3..6]);
        assert_eq!(second["pageInfo"]["hasPreviousPage"], true);

        let r = app
            .ok(
                &token,
                query,
                json!({ "first": 3, "after": second["pageInfo"]["endCursor"] }),
            )
            .await;
        let third = r.data("employers").clone();
        assert_eq!(page(&third), names[6..7]);
        assert_eq!(third["pageInfo"]["hasNextPage"], false);

        let r = app
            .ok(
                &token,
                query,
                json!({ "last": 2, "before": third["pageInfo"]["startCursor"] }),
            )
            .await;
        let back = r.data("employers").clone();
        assert_eq!(page(&back), names[4..6]);
        assert_eq!(back["pageInfo"]["hasPreviousPage"], true);
        assert_eq!(back["pageInfo"]["hasNextPage"], true);

        let r = app.ok(&token, query, json!({ "last": 2 })).await;
        assert_eq!(page(r.data("employers")), names[5..7]);
    })
    .await;
}

#[tokio::test]
async fn page_sizes_above_one_hundred_and_bad_cursors_are_user_faults() {
    on_each_database(|app| async move {
        let token = app.admin_token();
        let r = app
            .graphql(
                Some(&token),
                "{ employers(first: 101) { totalCount } }",
                json!({}),
            )
            .await;
        assert_eq!(r.error_code(), Some("BAD_USER_INPUT"), "{}", r.body);
        let r = app
            .graphql(
                Some(&token),
                "{ employers(first: 5, after: \"not-a-cursor\") { totalCount } }",
                json!({}),
            )
            .await;
        assert_eq!(r.error_code(), Some("BAD_USER_INPUT"), "{}", r.body);
        let r = app
            .graphql(
                Some(&token),
                "{ employers(first: 5, last: 5) { totalCount } }",
                json!({}),
            )
            .await;
        assert_eq!(r.error_code(), Some("BAD_USER_INPUT"), "{}", r.body);
        let r = app
            .graphql(
                Some(&token),
                "{ employers(first: 100) { totalCount } }",
                json!({}),
            )
            .await;
        assert!(r.body.get("errors").is_none(), "{}", r.body);
    })
    .await;
}

/// Fails when a committed SDL file differs from the schema; `IPSMATCH_UPDATE_SDL=1` rewrites it.
fn check_committed_sdl(file: &str, committed: &str, current: &str) {
    if committed != current {
        let path = format!("{}/../api/{file}", env!("CARGO_MANIFEST_DIR"));
        if std::env::var("IPSMATCH_UPDATE_SDL").is_ok() {
            std::fs::write(path, current).expect("write SDL");
        }
        panic!(
            "api/{file} is out of date: the schema changed. Review the change, then run \
             `IPSMATCH_UPDATE_SDL=1 cargo test --test api the_committed_sdl` (or `cargo run -- schema [--integrations] > api/{file}`) and commit it."
        );
    }
}

#[tokio::test]
async fn the_committed_sdl_matches_the_schema() {
    check_committed_sdl(
        "schema.graphql",
        include_str!("../../api/schema.graphql"),
        &ipsmatch::schema::sdl(),
    );
}

#[tokio::test]
async fn the_committed_sdl_matches_the_integrator_schema() {
    check_committed_sdl(
        "integrations.graphql",
        include_str!("../../api/integrations.graphql"),
        &ipsmatch::integrations::schema::sdl(),
    );
}

/// Introspection types that belong to GraphQL itself.
fn is_builtin(name: &str) -> bool {
    name.starts_with("__") || ["String", "Int", "Float", "Boolean", "ID"].contains(&name)
}

/// Every type, field, argument, input field and enum value without a description.
fn undocumented(schema: &Value) -> Vec<String> {
    let mut missing = Vec::new();
    let described = |v: &Value| {
        v["description"]
            .as_str()
            .is_some_and(|d| !d.trim().is_empty())
    };
    for ty in schema["types"].as_array().expect("types") {
        let name = ty["name"].as_str().unwrap_or_default();
        if is_builtin(name) {
            continue;
        }
        if !described(ty) {
            missing.push(name.to_string());
        }
        for field in ty["fields"].as_array().into_iter().flatten() {
            if !described(field) {
                missing.push(format!("{name}.{}", field["name"]));
            }
            for arg in field["args"].as_array().into_iter().flatten() {
                if !described(arg) {
                    missing.push(format!("{name}.{}({})", field["name"], arg["name"]));
                }
            }
        }
        for field in ty["inputFields"].as_array().into_iter().flatten() {
            if !described(field) {
                missing.push(format!("{name}.{}", field["name"]));
            }
        }
        for value in ty["enumValues"].as_array().into_iter().flatten() {
            if !described(value) {
                missing.push(format!("{name}.{}", value["name"]));
            }
        }
    }
    missing
}

#[tokio::test]
async fn every_type_field_argument_and_enum_value_has_a_description() {
    on_each_database(|app| async move {
        let introspection = include_str!("introspection.graphql");
        let r = app.ok(&app.admin_token(), introspection, json!({})).await;
        let missing = undocumented(r.data("__schema"));
        assert!(
            missing.is_empty(),
            "undocumented in the staff schema: {missing:#?}"
        );
        let (_, token) = app.integrator("docs").await;
        let r = app.integration_ok(&token, introspection, json!({})).await;
        let missing = undocumented(r.data("__schema"));
        assert!(
            missing.is_empty(),
            "undocumented in the integrator schema: {missing:#?}"
        );
    })
    .await;
}
