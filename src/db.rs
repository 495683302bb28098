//! Connecting to SQLite or PostgreSQL, and running migrations at start-up.
use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbErr};
use std::time::Duration;

/// Adds `mode=rwc` to a SQLite URL so the file is created when missing.
fn normalise(url: &str) -> String {
    if url.starts_with("sqlite:") && !url.contains("mode=") && !url.contains(":memory:") {
        let sep = if url.contains('?') { '&' } else { '?' };
        format!("{url}{sep}mode=rwc")
    } else {
        url.to_string()
    }
}

pub async fn connect(url: &str) -> Result<DatabaseConnection, DbErr> {
    let mut opts = ConnectOptions::new(normalise(url));
    let sqlite = url.starts_with("sqlite:");
    opts.max_connections(if sqlite { 8 } else { 16 })
        .min_connections(1)
        // Fail fast while the database is away: the answer is a 503, not a hang.
        .connect_timeout(Duration::from_secs(3))
        .acquire_timeout(Duration::from_secs(3))
        .sqlx_logging(false);
    let db = Database::connect(opts).await?;
    if sqlite {
        // WAL lets readers run beside the writer; sqlx already turns foreign
        // keys on and sets a 5 s busy timeout on every pooled connection.
        db.execute_unprepared("PRAGMA journal_mode=WAL").await?;
        db.execute_unprepared("PRAGMA synchronous=NORMAL").await?;
    }
    Ok(db)
}

/// Connects, retrying for a while (PostgreSQL may still be starting), then migrates.
pub async fn connect_and_migrate(url: &str) -> Result<DatabaseConnection, DbErr> {
    let mut last = None;
    for attempt in 0..10 {
        match connect(url).await {
            Ok(db) => {
                Migrator::up(&db, None).await?;
                return Ok(db);
            }
            Err(e) => {
                tracing::warn!(attempt, error = %e, "database not reachable yet");
                last = Some(e);
                tokio::time::sleep(Duration::from_millis(500 * (attempt + 1))).await;
            }
        }
    }
    Err(last.unwrap_or_else(|| DbErr::Custom("could not connect".into())))
}
