//! What the benchmarks share: running one on a Tokio runtime with its errors reported, and a
//! scratch PostgreSQL database that is dropped however the work ends.

use std::process::ExitCode;

use anyhow::Context;
use sea_orm::ConnectionTrait;

/// Runs `work` on a multi-threaded runtime; an error is printed after `name` and fails the run.
pub fn run_bench(name: &str, work: impl Future<Output = anyhow::Result<()>>) -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("{name} bench: {err}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(work) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("{name} bench: {err:#}");
            ExitCode::FAILURE
        }
    }
}

/// Creates a database named `name` on the PostgreSQL server of `server_url`, runs `work` with its
/// URL, and drops it again (also when `work` fails). A failed drop fails an otherwise good run.
pub async fn with_scratch_database<T>(
    server_url: &str,
    name: &str,
    work: impl AsyncFnOnce(&str) -> anyhow::Result<T>,
) -> anyhow::Result<T> {
    let admin = sea_orm::Database::connect(server_url)
        .await
        .context("connecting to PostgreSQL (or give --no-postgres)")?;
    admin
        .execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\""))
        .await?;
    admin
        .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
        .await?;
    let cut = server_url.rfind('/').map_or(server_url.len(), |i| i + 1);
    let query = server_url[cut..]
        .find('?')
        .map_or("", |q| &server_url[cut + q..]);
    let url = format!("{}{name}{query}", &server_url[..cut]);
    let result = work(&url).await;
    let dropped = admin
        .execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
        .await;
    let value = result?;
    dropped.context("dropping the scratch database")?;
    Ok(value)
}
