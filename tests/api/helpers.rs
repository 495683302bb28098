//! `spawn_app`: the real application on port 0 with a fresh database per
//! test (a new SQLite file, or a new uniquely named PostgreSQL database), real
//! migrations, and an HTTP client with cookies on and redirects off.
#![allow(dead_code)]
use reqwest::{redirect, Client, Response};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection, Statement};
use std::collections::HashMap;
use tornetic::config::Settings;
use tornetic::startup::Application;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub struct TestApp {
    pub address: String,
    pub port: u16,
    pub db: DatabaseConnection,
    pub db_url: String,
    pub client: Client,
    pub backend: Backend,
    pub settings: Settings,
    _dir: Option<tempdir::TempDir>,
}

/// A tiny temp dir (no extra crate): removed on drop.
mod tempdir {
    pub struct TempDir(pub std::path::PathBuf);
    impl TempDir {
        pub fn new() -> Self {
            let p = std::env::temp_dir().join(format!("tornetic-test-{}", uuid::Uuid::new_v4()));
            let _ = std::fs::create_dir_all(&p);
            TempDir(p)
        }
    }
    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

pub fn postgres_url() -> Option<String> {
    std::env::var("TEST_POSTGRES_URL")
        .ok()
        .filter(|s| !s.is_empty())
}

pub fn client() -> Client {
    Client::builder()
        .redirect(redirect::Policy::none())
        .cookie_store(true)
        .build()
        .expect("client")
}

async fn fresh_database(backend: Backend) -> (String, Option<tempdir::TempDir>) {
    match backend {
        Backend::Sqlite => {
            let dir = tempdir::TempDir::new();
            let url = format!("sqlite://{}/test.db", dir.0.display());
            (url, Some(dir))
        }
        Backend::Postgres => {
            let base = postgres_url().expect("TEST_POSTGRES_URL");
            let name = format!("tornetic_test_{}", uuid::Uuid::new_v4().simple());
            let admin = Database::connect(&base)
                .await
                .expect("connect to TEST_POSTGRES_URL");
            admin
                .execute_raw(Statement::from_string(
                    admin.get_database_backend(),
                    format!("CREATE DATABASE {name}"),
                ))
                .await
                .expect("create test database");
            let _ = admin.close().await;
            let (prefix, _) = base.rsplit_once('/').expect("database url has a path");
            (format!("{prefix}/{name}"), None)
        }
    }
}

pub fn settings_for(db_url: &str, extra: &[(&str, &str)]) -> Settings {
    let mut vars: HashMap<String, String> = HashMap::new();
    vars.insert("DATABASE_URL".into(), db_url.into());
    vars.insert("TORNETIC_BIND".into(), "127.0.0.1:0".into());
    vars.insert(
        "TORNETIC_SECRET_KEY".into(),
        "test-secret-key-that-is-long-enough-0123456789".into(),
    );
    vars.insert("TORNETIC_ADMIN_EMAILS".into(), "admin@club.test".into());
    vars.insert("TORNETIC_AUTH_RATE_PER_MINUTE".into(), "1000".into());
    for (k, v) in extra {
        vars.insert((*k).into(), (*v).into());
    }
    Settings::from_map(&vars).expect("test settings")
}

pub async fn spawn_app(backend: Backend) -> TestApp {
    spawn_app_with(backend, &[]).await
}

pub async fn spawn_app_with(backend: Backend, extra: &[(&str, &str)]) -> TestApp {
    let (db_url, dir) = fresh_database(backend).await;
    spawn_on(backend, db_url, dir, extra).await
}

async fn spawn_on(
    backend: Backend,
    db_url: String,
    dir: Option<tempdir::TempDir>,
    extra: &[(&str, &str)],
) -> TestApp {
    let mut settings = settings_for(&db_url, extra);
    let app = Application::build(settings.clone())
        .await
        .expect("build app");
    let port = app.port();
    let address = format!("http://127.0.0.1:{port}");
    if !extra.iter().any(|(k, _)| *k == "TORNETIC_BASE_URL") {
        settings.base_url = address.clone();
    }
    tokio::spawn(app.run_until_stopped());
    let db = tornetic::db::connect(&db_url)
        .await
        .expect("test db connection");
    TestApp {
        address,
        port,
        db,
        db_url,
        client: client(),
        backend,
        settings,
        _dir: dir,
    }
}

/// A second instance on the same database (scale-out tests).
pub async fn spawn_second(app: &TestApp) -> TestApp {
    spawn_on(app.backend, app.db_url.clone(), None, &[]).await
}

/// A second instance on the same database with extra settings.
pub async fn spawn_second_with(app: &TestApp, extra: &[(&str, &str)]) -> TestApp {
    spawn_on(app.backend, app.db_url.clone(), None, extra).await
}

/// Sign-in limits count per clock minute: a test that counts attempts starts
/// at least 10 s before the next minute, so its attempts share one window.
pub async fn away_from_a_minute_boundary() {
    let into = chrono::Utc::now().timestamp().rem_euclid(60);
    if into > 50 {
        tokio::time::sleep(std::time::Duration::from_secs((61 - into) as u64)).await;
    }
}

/// Runs a test body on SQLite, and on PostgreSQL when configured.
#[macro_export]
macro_rules! both {
    ($name:ident, $body:expr) => {
        mod $name {
            use super::*;
            #[tokio::test]
            async fn sqlite() {
                let app = $crate::helpers::spawn_app($crate::helpers::Backend::Sqlite).await;
                ($body)(app).await;
            }
            #[tokio::test]
            async fn postgres() {
                if $crate::helpers::postgres_url().is_none() {
                    eprintln!(
                        "TEST_POSTGRES_URL not set: PostgreSQL run of {} skipped",
                        stringify!($name)
                    );
                    return;
                }
                let app = $crate::helpers::spawn_app($crate::helpers::Backend::Postgres).await;
                ($body)(app).await;
            }
        }
    };
}

pub fn extract_csrf(html: &str) -> Option<String> {
    let marker = "name=\"csrf_token\" value=\"";
    if let Some(i) = html.find(marker) {
        let rest = &html[i + marker.len()..];
        return rest.split('"').next().map(str::to_string);
    }
    let marker = "X-CSRF-Token&#34;:&#34;";
    html.find(marker).and_then(|i| {
        html[i + marker.len()..]
            .split('&')
            .next()
            .map(str::to_string)
    })
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub async fn get(&self, path: &str) -> Response {
        self.client.get(self.url(path)).send().await.expect("GET")
    }

    pub async fn get_text(&self, path: &str) -> (u16, String) {
        let r = self.get(path).await;
        let s = r.status().as_u16();
        (s, r.text().await.unwrap_or_default())
    }

    /// The session's CSRF token, read from a page like a browser would.
    pub async fn csrf(&self) -> String {
        let (_, html) = self.get_text("/signin").await;
        extract_csrf(&html).expect("csrf token on the sign-in page")
    }

    /// Posts a form with the session's CSRF token.
    pub async fn post(&self, path: &str, form: &[(&str, &str)]) -> Response {
        let token = self.csrf().await;
        let mut fields: Vec<(&str, &str)> = form.to_vec();
        fields.push(("csrf_token", &token));
        self.client
            .post(self.url(path))
            .form(&fields)
            .send()
            .await
            .expect("POST")
    }

    /// Posts as htmx does: the token in a header.
    pub async fn post_hx(&self, path: &str, form: &[(&str, &str)]) -> Response {
        let token = self.csrf().await;
        self.client
            .post(self.url(path))
            .header("HX-Request", "true")
            .header("X-CSRF-Token", token)
            .form(form)
            .send()
            .await
            .expect("POST")
    }

    pub async fn post_raw(&self, path: &str, form: &[(&str, &str)]) -> Response {
        self.client
            .post(self.url(path))
            .form(form)
            .send()
            .await
            .expect("POST")
    }

    pub async fn sign_up(&self, email: &str, name: &str) -> Response {
        self.post(
            "/signup",
            &[
                ("email", email),
                ("password", "correct horse battery"),
                ("display_name", name),
            ],
        )
        .await
    }

    /// A fresh browser (own cookie jar) on the same server.
    pub fn new_browser(&self) -> TestApp {
        TestApp {
            address: self.address.clone(),
            port: self.port,
            db: self.db.clone(),
            db_url: self.db_url.clone(),
            client: client(),
            backend: self.backend,
            settings: self.settings.clone(),
            _dir: None,
        }
    }

    /// Creates a tournament through the form; returns its id.
    pub async fn create_tournament(&self, fields: &[(&str, &str)]) -> i64 {
        let form = tournament_form(fields);
        let r = self.post("/tournaments", &form).await;
        assert_eq!(
            r.status().as_u16(),
            303,
            "create tournament: {}",
            r.text().await.unwrap_or_default()
        );
        let loc = r
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        loc.trim_start_matches("/tournaments/")
            .parse()
            .expect("tournament id in Location")
    }
}

pub use crate::form::tournament_form;
