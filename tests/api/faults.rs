//! Faults: the server killed mid-burst, the database locked or unreachable.
use crate::helpers::{client, extract_csrf, postgres_url, settings_for};
use sea_orm::{ConnectionTrait, EntityTrait};
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::io::copy_bidirectional;
use tokio::net::TcpStream;
use tornetic::entities::matches;

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn start_server(db_url: &str, port: u16) -> Child {
    Command::new(env!("CARGO_BIN_EXE_tornetic"))
        .env("DATABASE_URL", db_url)
        .env("TORNETIC_BIND", format!("127.0.0.1:{port}"))
        .env(
            "TORNETIC_SECRET_KEY",
            "fault-test-secret-key-long-enough-0123456789",
        )
        .env("TORNETIC_AUTH_RATE_PER_MINUTE", "1000")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start tornetic")
}

async fn wait_healthy(base: &str) {
    let c = client();
    for _ in 0..100 {
        if let Ok(r) = c.get(format!("{base}/health")).send().await {
            if r.status().is_success() {
                return;
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("server did not become healthy");
}

#[tokio::test]
async fn kill_9_mid_burst_loses_no_acknowledged_save() {
    let dir = std::env::temp_dir().join(format!("tornetic-fault-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    let db_url = format!("sqlite://{}/fault.db", dir.display());
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let mut child = start_server(&db_url, port);
    wait_healthy(&base).await;

    // An organizer with a started 16-player tournament.
    let c = client();
    let page = c
        .get(format!("{base}/signup"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let csrf = extract_csrf(&page).unwrap();
    c.post(format!("{base}/signup"))
        .form(&[
            ("email", "o@club.test"),
            ("password", "correct horse battery"),
            ("display_name", "O"),
            ("csrf_token", &csrf),
        ])
        .send()
        .await
        .unwrap();
    let form = [
        ("name", "Crash test"),
        ("format", "americano"),
        ("scoring_mode", "points"),
        ("scoring_target", "24"),
        ("courts", "4"),
        ("sit_out_comp", "none"),
        ("tiebreak", "points"),
        ("is_public", "on"),
        ("max_players", "16"),
        ("csrf_token", &csrf),
    ];
    let r = c
        .post(format!("{base}/tournaments"))
        .form(&form)
        .send()
        .await
        .unwrap();
    let tid = r
        .headers()
        .get("location")
        .unwrap()
        .to_str()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_string();
    let names: Vec<String> = (1..=16).map(|i| format!("P{i}")).collect();
    c.post(format!("{base}/tournaments/{tid}/players"))
        .form(&[("names", names.join("\n").as_str()), ("csrf_token", &csrf)])
        .send()
        .await
        .unwrap();
    c.post(format!("{base}/tournaments/{tid}/start"))
        .form(&[("csrf_token", &csrf)])
        .send()
        .await
        .unwrap();
    let db = tornetic::db::connect(&db_url).await.unwrap();
    let ids: Vec<i64> = matches::Entity::find()
        .all(&db)
        .await
        .unwrap()
        .iter()
        .map(|m| m.id)
        .collect();
    assert_eq!(ids.len(), 60);

    // A burst of saves; the server is killed part-way through.
    let acked = Arc::new(std::sync::Mutex::new(Vec::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let burst = {
        let (acked, stop, c, base, csrf) = (
            acked.clone(),
            stop.clone(),
            c.clone(),
            base.clone(),
            csrf.clone(),
        );
        tokio::spawn(async move {
            for (i, id) in ids.iter().enumerate() {
                if stop.load(Ordering::SeqCst) {
                    break;
                }
                let a = (i % 25) as i32;
                let r = c
                    .post(format!("{base}/matches/{id}/score"))
                    .header("HX-Request", "true")
                    .header("X-CSRF-Token", &csrf)
                    .form(&[
                        ("score_a", a.to_string()),
                        ("score_b", (24 - a).to_string()),
                        ("version", "0".to_string()),
                    ])
                    .send()
                    .await;
                if let Ok(r) = r {
                    if r.status().as_u16() == 200 {
                        acked.lock().unwrap().push((*id, a));
                    }
                }
            }
        })
    };
    tokio::time::sleep(Duration::from_millis(400)).await;
    child.kill().expect("kill -9"); // SIGKILL: no graceful shutdown
    stop.store(true, Ordering::SeqCst);
    let _ = child.wait();
    let _ = burst.await;
    let acked = acked.lock().unwrap().clone();
    assert!(
        !acked.is_empty(),
        "some saves were acknowledged before the kill"
    );

    let mut child = start_server(&db_url, port);
    wait_healthy(&base).await;
    let db = tornetic::db::connect(&db_url).await.unwrap();
    for (id, a) in &acked {
        let m = matches::Entity::find_by_id(*id)
            .one(&db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            (m.score_a, m.score_b, m.version),
            (Some(*a), Some(24 - a), 1),
            "acknowledged save of match {id} survived"
        );
    }
    // Nothing half-written: every stored score is complete and ratings equal a replay.
    for m in matches::Entity::find().all(&db).await.unwrap() {
        assert_eq!(m.score_a.is_some(), m.score_b.is_some());
    }
    let report = tornetic::services::player_ratings::rebuild(&db, false)
        .await
        .unwrap();
    assert!(report.differences.is_empty(), "{report}");
    let _ = child.kill();
    let _ = child.wait();
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn a_locked_sqlite_database_gives_503_then_recovers() {
    let app = crate::helpers::spawn_app(crate::helpers::Backend::Sqlite).await;
    // Another process holds the write lock longer than the busy timeout.
    let locker = tornetic::db::connect(&app.db_url).await.unwrap();
    let conn = locker.get_sqlite_connection_pool().acquire().await.unwrap();
    let mut conn = conn;
    sqlx::query("BEGIN EXCLUSIVE")
        .execute(&mut *conn)
        .await
        .unwrap();
    let r = app
        .post(
            "/signup",
            &[
                ("email", "a@club.test"),
                ("password", "correct horse battery"),
                ("display_name", "A"),
            ],
        )
        .await;
    assert_eq!(
        r.status().as_u16(),
        503,
        "locked database is a 503, not a 500"
    );
    assert!(r.headers().get("retry-after").is_some());
    sqlx::query("ROLLBACK").execute(&mut *conn).await.unwrap();
    drop(conn);
    let r = app
        .post(
            "/signup",
            &[
                ("email", "a@club.test"),
                ("password", "correct horse battery"),
                ("display_name", "A"),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303, "service resumes by itself");
    let _ = locker.execute_unprepared("SELECT 1").await;
}

/// A TCP proxy in front of PostgreSQL that the test can cut and restore.
struct Proxy {
    port: u16,
    up: Arc<AtomicBool>,
    conns: Arc<std::sync::Mutex<Vec<tokio::task::JoinHandle<()>>>>,
}

impl Proxy {
    async fn start(target: String) -> Proxy {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let up = Arc::new(AtomicBool::new(true));
        let conns: Arc<std::sync::Mutex<Vec<tokio::task::JoinHandle<()>>>> = Arc::default();
        let (up2, conns2) = (up.clone(), conns.clone());
        tokio::spawn(async move {
            while let Ok((mut inbound, _)) = listener.accept().await {
                if !up2.load(Ordering::SeqCst) {
                    drop(inbound);
                    continue;
                }
                let target = target.clone();
                let h = tokio::spawn(async move {
                    if let Ok(mut out) = TcpStream::connect(target).await {
                        let _ = copy_bidirectional(&mut inbound, &mut out).await;
                    }
                });
                conns2.lock().unwrap().push(h);
            }
        });
        Proxy { port, up, conns }
    }

    fn cut(&self) {
        self.up.store(false, Ordering::SeqCst);
        for h in self.conns.lock().unwrap().drain(..) {
            h.abort();
        }
    }

    fn restore(&self) {
        self.up.store(true, Ordering::SeqCst);
    }
}

#[tokio::test]
async fn postgres_going_away_gives_503_and_service_resumes() {
    let Some(base) = postgres_url() else {
        eprintln!("TEST_POSTGRES_URL not set: PostgreSQL fault test skipped");
        return;
    };
    // A fresh database, reached through the proxy.
    let name = format!("tornetic_test_{}", uuid::Uuid::new_v4().simple());
    let admin = sea_orm::Database::connect(&base).await.unwrap();
    admin
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await
        .unwrap();
    let proxy = Proxy::start("127.0.0.1:5432".into()).await;
    let url = format!("postgres://postgres@127.0.0.1:{}/{name}", proxy.port);
    let mut settings = settings_for(&url, &[]);
    settings.bind = "127.0.0.1:0".into();
    let app = tornetic::startup::Application::build(settings)
        .await
        .unwrap();
    let addr = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped());
    let c = client();
    assert_eq!(
        c.get(format!("{addr}/health"))
            .send()
            .await
            .unwrap()
            .status()
            .as_u16(),
        200
    );

    proxy.cut();
    let r = c.get(format!("{addr}/health")).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 503);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["database"], "unavailable");
    let page = c.get(format!("{addr}/tournaments")).send().await.unwrap();
    assert_eq!(
        page.status().as_u16(),
        503,
        "pages answer 503 while the database is away"
    );
    assert!(page
        .text()
        .await
        .unwrap()
        .contains("database is not answering"));

    proxy.restore();
    let mut ok = false;
    for _ in 0..50 {
        if c.get(format!("{addr}/tournaments"))
            .send()
            .await
            .unwrap()
            .status()
            .as_u16()
            == 200
        {
            ok = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert!(ok, "service resumed by itself");
}
