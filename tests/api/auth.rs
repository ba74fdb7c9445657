//! Authentication: every malformed or misdirected token is refused with UNAUTHENTICATED, and the
//! caller's standing is read from the database on each request.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{AUDIENCE, ISSUER, TestApp, now_secs, on_each_database};

const VIEWER: &str = "{ viewer { name role } }";

fn claims(app: &TestApp) -> Value {
    let now = now_secs();
    json!({ "iss": ISSUER, "aud": AUDIENCE, "sub": app.admin_id.to_string(), "exp": now + 600, "nbf": now, "iat": now })
}

async fn assert_refused(app: &TestApp, token: &str, case: &str) {
    let r = app.graphql(Some(token), VIEWER, json!({})).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{case}: {}", r.body);
    assert_eq!(
        r.error_code(),
        Some("UNAUTHENTICATED"),
        "{case}: {}",
        r.body
    );
    assert!(
        r.body.get("data").is_none(),
        "{case}: no data for a refused token"
    );
    assert_eq!(
        r.headers
            .get("www-authenticate")
            .and_then(|v| v.to_str().ok()),
        Some("Bearer"),
        "{case}"
    );
}

fn without(mut claims: Value, key: &str) -> Value {
    claims.as_object_mut().expect("object").remove(key);
    claims
}

#[tokio::test]
async fn a_valid_token_reads_the_caller_from_the_database() {
    on_each_database(|app| async move {
        let r = app.ok(&app.admin_token(), VIEWER, json!({})).await;
        assert_eq!(r.data("viewer.name"), "Ada Admin");
        assert_eq!(r.data("viewer.role"), "ADMIN");
    })
    .await;
}

#[tokio::test]
async fn token_without_audience_is_refused() {
    on_each_database(|app| async move {
        let token = app.sign(&without(claims(&app), "aud"));
        assert_refused(&app, &token, "missing aud").await;
    })
    .await;
}

#[tokio::test]
async fn token_without_issuer_is_refused() {
    on_each_database(|app| async move {
        let token = app.sign(&without(claims(&app), "iss"));
        assert_refused(&app, &token, "missing iss").await;
    })
    .await;
}

#[tokio::test]
async fn token_without_expiry_is_refused() {
    on_each_database(|app| async move {
        let token = app.sign(&without(claims(&app), "exp"));
        assert_refused(&app, &token, "missing exp").await;
    })
    .await;
}

#[tokio::test]
async fn unsigned_alg_none_token_is_refused() {
    on_each_database(|app| async move {
        let header = URL_SAFE_NO_PAD.encode(r#"{"alg":"none","typ":"at+jwt"}"#);
        let payload = URL_SAFE_NO_PAD.encode(claims(&app).to_string());
        assert_refused(&app, &format!("{header}.{payload}."), "alg none").await;
    })
    .await;
}

#[tokio::test]
async fn token_signed_with_another_algorithm_is_refused() {
    on_each_database(|app| async move {
        // Same secret, different HMAC: the server pins HS256.
        let mut header = Header::new(Algorithm::HS512);
        header.typ = Some("at+jwt".into());
        let token = jsonwebtoken::encode(
            &header,
            &claims(&app),
            &EncodingKey::from_secret(&app.secret),
        )
        .expect("sign");
        assert_refused(&app, &token, "HS512").await;
    })
    .await;
}

#[tokio::test]
async fn token_signed_with_another_secret_is_refused() {
    on_each_database(|app| async move {
        let mut header = Header::new(Algorithm::HS256);
        header.typ = Some("at+jwt".into());
        let token = jsonwebtoken::encode(
            &header,
            &claims(&app),
            &EncodingKey::from_secret(&[7u8; 32]),
        )
        .expect("sign");
        assert_refused(&app, &token, "wrong secret").await;
    })
    .await;
}

#[tokio::test]
async fn token_for_another_audience_is_refused() {
    on_each_database(|app| async move {
        let mut c = claims(&app);
        c["aud"] = json!("ipsmatch-integrations");
        assert_refused(&app, &app.sign(&c), "wrong aud").await;
    })
    .await;
}

#[tokio::test]
async fn token_from_another_issuer_is_refused() {
    on_each_database(|app| async move {
        let mut c = claims(&app);
        c["iss"] = json!("someone-else");
        assert_refused(&app, &app.sign(&c), "wrong iss").await;
    })
    .await;
}

#[tokio::test]
async fn expired_token_is_refused_after_the_leeway() {
    on_each_database(|app| async move {
        let mut c = claims(&app);
        c["exp"] = json!(now_secs() - 120);
        c["nbf"] = json!(now_secs() - 600);
        assert_refused(&app, &app.sign(&c), "expired").await;
    })
    .await;
}

#[tokio::test]
async fn token_expired_within_the_leeway_still_works() {
    on_each_database(|app| async move {
        let mut c = claims(&app);
        c["exp"] = json!(now_secs() - 10);
        c["nbf"] = json!(now_secs() - 600);
        let r = app.graphql(Some(&app.sign(&c)), VIEWER, json!({})).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    })
    .await;
}

#[tokio::test]
async fn token_not_yet_valid_is_refused() {
    on_each_database(|app| async move {
        let mut c = claims(&app);
        c["nbf"] = json!(now_secs() + 300);
        assert_refused(&app, &app.sign(&c), "nbf in the future").await;
    })
    .await;
}

#[tokio::test]
async fn token_with_the_wrong_type_is_refused() {
    on_each_database(|app| async move {
        let mut header = Header::new(Algorithm::HS256);
        header.typ = Some("JWT".into());
        let token = jsonwebtoken::encode(
            &header,
            &claims(&app),
            &EncodingKey::from_secret(&app.secret),
        )
        .expect("sign");
        assert_refused(&app, &token, "typ JWT").await;
        let mut header = Header::new(Algorithm::HS256);
        header.typ = None;
        let token = jsonwebtoken::encode(
            &header,
            &claims(&app),
            &EncodingKey::from_secret(&app.secret),
        )
        .expect("sign");
        assert_refused(&app, &token, "no typ").await;
    })
    .await;
}

#[tokio::test]
async fn token_for_an_unknown_staff_member_is_refused() {
    on_each_database(|app| async move {
        let mut c = claims(&app);
        c["sub"] = json!(uuid::Uuid::now_v7().to_string());
        assert_refused(&app, &app.sign(&c), "unknown staff").await;
    })
    .await;
}

#[tokio::test]
async fn token_of_a_deactivated_staff_member_stops_working() {
    on_each_database(|app| async move {
        let (_, id, token) = app.specialist().await;
        app.ok(&token, VIEWER, json!({})).await;
        let r = app
            .ok(
                &app.admin_token(),
                "mutation($input: StaffDeactivateInput!) { staffDeactivate(input: $input) { staff { active } userErrors { code } } }",
                json!({ "input": { "id": id } }),
            )
            .await;
        assert_eq!(r.data("staffDeactivate.staff.active"), false);
        assert_refused(&app, &token, "deactivated").await;
    })
    .await;
}

#[tokio::test]
async fn a_malformed_authorization_header_is_refused() {
    on_each_database(|app| async move {
        assert_refused(&app, "not-a-jwt", "garbage").await;
        let r = app
            .client
            .post(format!("{}/graphql", app.address))
            .header("content-type", "application/json")
            .header("authorization", "Basic YWxhZGRpbjpvcGVuc2VzYW1l")
            .body(json!({ "query": VIEWER }).to_string())
            .send()
            .await
            .expect("sent");
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    })
    .await;
}

#[tokio::test]
async fn without_a_token_data_fields_answer_unauthenticated() {
    on_each_database(|app| async move {
        let r = app
            .graphql(None, "{ employers(first: 1) { totalCount } }", json!({}))
            .await;
        assert_eq!(r.error_code(), Some("UNAUTHENTICATED"), "{}", r.body);
        assert_eq!(r.body["data"], Value::Null);
        // The schema itself stays introspectable for tools.
        let r = app.graphql(None, "{ __typename }", json!({})).await;
        assert_eq!(r.data("__typename"), "Query");
    })
    .await;
}

#[tokio::test]
async fn with_eddsa_configured_only_eddsa_tokens_are_accepted() {
    let public = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/api/fixtures/ed25519-test-public.pem"
    );
    let private = include_bytes!("fixtures/ed25519-test-private.pem");
    crate::helpers::on_each_database_with(
        |s| {
            s.jwt_algorithm = ipsmatch::config::JwtAlgorithm::EdDsa;
            s.jwt_public_key_file = public.into();
        },
        |app| async move {
            let mut header = Header::new(Algorithm::EdDSA);
            header.typ = Some("at+jwt".into());
            let key = EncodingKey::from_ed_pem(private).expect("private key");
            let token = jsonwebtoken::encode(&header, &claims(&app), &key).expect("sign");
            let r = app.ok(&token, VIEWER, json!({})).await;
            assert_eq!(r.data("viewer.role"), "ADMIN");
            // An HS256 token, even one made with the secret in the data folder, is refused.
            assert_refused(&app, &app.admin_token(), "HS256 under EdDSA").await;
        },
    )
    .await;
}
