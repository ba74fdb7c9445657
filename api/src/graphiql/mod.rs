//! GraphiQL at `/`: a page that loads pinned production builds of React and GraphiQL, each with its
//! Subresource Integrity hash, from jsDelivr or — with `graphiql_assets` — from a local folder, under
//! a Content-Security-Policy that allows nothing else to run.

use std::path::Path;

use actix_web::HttpResponse;
use actix_web::http::header;
use base64::Engine as _;
use sha2::{Digest, Sha384};

/// The files the page loads, with their packages and hashes (see `assets.json`).
const MANIFEST: &str = include_str!("assets.json");
/// The script that starts GraphiQL (served from `/graphiql/init.js`).
const INIT_JS: &str = include_str!("init.js");
/// Where the files come from without a local folder.
const CDN: &str = "https://cdn.jsdelivr.net";

/// One file the page loads.
#[derive(Clone, Debug, serde::Deserialize)]
pub struct Asset {
    /// Its name in a local assets folder (and under `/graphiql/`).
    pub file: String,
    /// The npm package it is published in.
    pub package: String,
    /// The exact package version.
    pub version: String,
    /// Its path inside the package.
    pub path: String,
    /// `sha384-…` of its bytes.
    pub integrity: String,
}

#[derive(serde::Deserialize)]
struct Manifest {
    assets: Vec<Asset>,
}

/// The pinned files, as `assets.json` lists them.
pub fn assets() -> Vec<Asset> {
    serde_json::from_str::<Manifest>(MANIFEST)
        .map(|m| m.assets)
        .unwrap_or_default()
}

/// The Subresource Integrity value of `bytes`.
pub fn integrity_of(bytes: &[u8]) -> String {
    let digest = Sha384::digest(bytes);
    format!(
        "sha384-{}",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

/// The page, its policy, and the local files when there are any.
pub struct Graphiql {
    page: String,
    policy: String,
    local: Vec<(Asset, Vec<u8>)>,
}

impl Graphiql {
    /// The page loading from the CDN, or with `folder` from that folder: each pinned file is read
    /// and checked now, so a missing or different file stops the service at startup, by name.
    pub fn new(folder: Option<&Path>) -> anyhow::Result<Self> {
        let pinned = assets();
        anyhow::ensure!(!pinned.is_empty(), "the GraphiQL asset list is empty");
        let mut local = Vec::new();
        if let Some(folder) = folder {
            for asset in &pinned {
                let bytes = std::fs::read(folder.join(&asset.file)).map_err(|e| {
                    anyhow::anyhow!(
                        "graphiql_assets: cannot read `{}` ({}): copy {} from {}@{}",
                        asset.file,
                        e.kind(),
                        asset.path,
                        asset.package,
                        asset.version
                    )
                })?;
                anyhow::ensure!(
                    integrity_of(&bytes) == asset.integrity,
                    "graphiql_assets: `{}` is not {} from {}@{} (its hash differs)",
                    asset.file,
                    asset.path,
                    asset.package,
                    asset.version
                );
                local.push((asset.clone(), bytes));
            }
        }
        let url = |a: &Asset| {
            if folder.is_some() {
                format!("/graphiql/{}", a.file)
            } else {
                format!("{CDN}/npm/{}@{}/{}", a.package, a.version, a.path)
            }
        };
        let page = maud::html! {
            (maud::DOCTYPE)
            html lang="en" {
                head {
                    meta charset="utf-8";
                    meta name="robots" content="noindex";
                    meta name="viewport" content="width=device-width, initial-scale=1";
                    title { "ipsmatch · GraphiQL" }
                    @for a in pinned.iter().filter(|a| a.file.ends_with(".css")) {
                        link rel="stylesheet" href=(url(a)) integrity=(a.integrity) crossorigin="anonymous";
                    }
                }
                body style="margin:0" {
                    div id="graphiql" style="height:100vh" { "Loading GraphiQL…" }
                    @for a in pinned.iter().filter(|a| a.file.ends_with(".js")) {
                        script src=(url(a)) integrity=(a.integrity) crossorigin="anonymous" {}
                    }
                    script src="/graphiql/init.js" {}
                }
            }
        }
        .into_string();
        // From the CDN, exactly the pinned files (the CDN serves every npm package): a script
        // injected from elsewhere on it would not run.
        let sources = |ending: &str| -> String {
            if folder.is_some() {
                return String::new();
            }
            pinned
                .iter()
                .filter(|a| a.file.ends_with(ending))
                .map(&url)
                .collect::<Vec<_>>()
                .join(" ")
        };
        let policy = [
            "default-src 'none'".to_string(),
            format!("script-src 'self' {}", sources(".js")),
            // GraphiQL's editors set style attributes; no script runs from them.
            format!("style-src 'self' 'unsafe-inline' {}", sources(".css")),
            "font-src 'self' data:".into(),
            "img-src 'self' data:".into(),
            "connect-src 'self'".into(),
            "base-uri 'none'".into(),
            "form-action 'none'".into(),
            "frame-ancestors 'none'".into(),
        ]
        .map(|d| d.trim_end().to_string())
        .join("; ");
        Ok(Graphiql {
            page,
            policy,
            local,
        })
    }

    /// `GET /`.
    pub fn page(&self) -> HttpResponse {
        HttpResponse::Ok()
            .content_type("text/html; charset=utf-8")
            .insert_header((header::CONTENT_SECURITY_POLICY, self.policy.as_str()))
            .insert_header((header::REFERRER_POLICY, "no-referrer"))
            .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
            .body(self.page.clone())
    }

    /// `GET /graphiql/{file}`: the start script, or a local asset; nothing else.
    pub fn file(&self, name: &str) -> HttpResponse {
        if name == "init.js" {
            return script(INIT_JS.as_bytes().to_vec());
        }
        match self.local.iter().find(|(a, _)| a.file == name) {
            Some((a, bytes)) if a.file.ends_with(".css") => HttpResponse::Ok()
                .content_type("text/css; charset=utf-8")
                .insert_header((header::CACHE_CONTROL, "public, max-age=31536000, immutable"))
                .body(bytes.clone()),
            Some((_, bytes)) => script(bytes.clone()),
            None => HttpResponse::NotFound().finish(),
        }
    }
}

fn script(bytes: Vec<u8>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/javascript; charset=utf-8")
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .body(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_pins_every_asset_with_its_hash_and_runs_no_inline_script() {
        let g = Graphiql::new(None).expect("page");
        for a in assets() {
            assert!(g.page.contains(&a.integrity), "{} unpinned", a.file);
            assert!(
                g.page
                    .contains(&format!("{}@{}/{}", a.package, a.version, a.path))
            );
        }
        assert!(!g.page.contains("development"), "a development build");
        assert!(!g.page.contains("<script>"), "an inline script");
        assert!(g.policy.contains(
            "script-src 'self' https://cdn.jsdelivr.net/npm/react@18.3.1/umd/react.production.min.js "
        ));
        assert!(!g.policy.contains("jsdelivr.net;"), "not the whole CDN");
        assert!(!g.policy.contains("'unsafe-eval'"));
    }

    #[test]
    fn a_local_folder_with_a_wrong_file_stops_the_service_by_name() {
        let dir = std::env::temp_dir().join(format!("ipsmatch-giql-{}", uuid::Uuid::now_v7()));
        std::fs::create_dir_all(&dir).expect("dir");
        for a in assets() {
            std::fs::write(dir.join(&a.file), b"not the pinned file").expect("write");
        }
        let err = Graphiql::new(Some(&dir))
            .err()
            .expect("refused")
            .to_string();
        assert!(err.contains("react.production.min.js"), "{err}");
        assert!(err.contains("hash differs"), "{err}");
        std::fs::remove_file(dir.join("react.production.min.js")).expect("rm");
        let err = Graphiql::new(Some(&dir))
            .err()
            .expect("refused")
            .to_string();
        assert!(
            err.contains("cannot read `react.production.min.js`"),
            "{err}"
        );
        assert!(
            !err.contains(&dir.display().to_string()),
            "no path in the message: {err}"
        );
        std::fs::remove_dir_all(&dir).ok();
    }
}
