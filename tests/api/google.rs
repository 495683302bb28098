//! Google sign-in end to end against a fake provider on loopback: our code
//! does the redirect, the code exchange (with PKCE) and the userinfo call.
use crate::helpers::{postgres_url, spawn_app_with, Backend, TestApp};
use actix_web::{web, App, HttpResponse, HttpServer};
use base64::Engine;
use sea_orm::EntityTrait;
use sha2::{Digest, Sha256};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use tornetic::entities::users;

#[derive(Default)]
struct Fake {
    challenge: Mutex<Option<String>>,
    email: Mutex<String>,
}

async fn token(fake: web::Data<Arc<Fake>>, form: web::Form<Vec<(String, String)>>) -> HttpResponse {
    let get = |k: &str| {
        form.iter()
            .find(|(fk, _)| fk == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let verifier = get("code_verifier");
    let computed = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(Sha256::digest(verifier.as_bytes()));
    let expected = fake.challenge.lock().unwrap().clone().unwrap_or_default();
    if get("code") != "good-code" || computed != expected {
        return HttpResponse::BadRequest().json(serde_json::json!({"error": "invalid_grant"}));
    }
    HttpResponse::Ok().json(serde_json::json!({"access_token": "fake-access", "token_type": "Bearer", "expires_in": 3600}))
}

async fn userinfo(fake: web::Data<Arc<Fake>>, req: actix_web::HttpRequest) -> HttpResponse {
    if req
        .headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        != Some("Bearer fake-access")
    {
        return HttpResponse::Unauthorized().finish();
    }
    let email = fake.email.lock().unwrap().clone();
    HttpResponse::Ok().json(serde_json::json!({"sub": "google-123", "email": email, "email_verified": true, "name": "Gina Google"}))
}

async fn start_fake() -> (String, Arc<Fake>) {
    let fake = Arc::new(Fake::default());
    let data = web::Data::new(fake.clone());
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = HttpServer::new(move || {
        App::new()
            .app_data(data.clone())
            .route("/token", web::post().to(token))
            .route("/userinfo", web::get().to(userinfo))
    })
    .workers(1)
    .listen(listener)
    .unwrap()
    .run();
    tokio::spawn(server);
    (format!("http://127.0.0.1:{port}"), fake)
}

async fn app_with_google(backend: Backend) -> (TestApp, Arc<Fake>) {
    let (base, fake) = start_fake().await;
    let (auth, tok, info) = (
        format!("{base}/auth"),
        format!("{base}/token"),
        format!("{base}/userinfo"),
    );
    let app = spawn_app_with(
        backend,
        &[
            ("TORNETIC_GOOGLE_CLIENT_ID", "client-1"),
            ("TORNETIC_GOOGLE_CLIENT_SECRET", "secret-1"),
            ("TORNETIC_GOOGLE_AUTH_URL", &auth),
            ("TORNETIC_GOOGLE_TOKEN_URL", &tok),
            ("TORNETIC_GOOGLE_USERINFO_URL", &info),
        ],
    )
    .await;
    (app, fake)
}

/// Starts the flow; returns the `state` our server put in the redirect.
async fn begin(app: &TestApp, fake: &Fake) -> String {
    let r = app.get("/auth/google").await;
    assert_eq!(r.status().as_u16(), 303);
    let loc = url::Url::parse(r.headers().get("location").unwrap().to_str().unwrap()).unwrap();
    let q: std::collections::HashMap<String, String> = loc.query_pairs().into_owned().collect();
    assert_eq!(q["client_id"], "client-1");
    assert_eq!(q["code_challenge_method"], "S256");
    assert!(q["scope"].contains("email"));
    *fake.challenge.lock().unwrap() = Some(q["code_challenge"].clone());
    q["state"].clone()
}

async fn run(backend: Backend) {
    let (app, fake) = app_with_google(backend).await;
    *fake.email.lock().unwrap() = "gina@gmail.test".into();
    assert!(app
        .get_text("/signin")
        .await
        .1
        .contains("Sign in with Google"));

    // A forged state is refused and signs nobody in.
    let _ = begin(&app, &fake).await;
    let r = app
        .get("/auth/google/callback?code=good-code&state=forged")
        .await;
    assert_eq!(r.status().as_u16(), 403);
    assert_eq!(app.get("/profile").await.status().as_u16(), 401);

    // The real flow.
    let state = begin(&app, &fake).await;
    let r = app
        .get(&format!(
            "/auth/google/callback?code=good-code&state={state}"
        ))
        .await;
    assert_eq!(
        r.status().as_u16(),
        303,
        "{}",
        r.text().await.unwrap_or_default()
    );
    let (status, html) = app.get_text("/profile").await;
    assert_eq!(status, 200);
    assert!(html.contains("gina@gmail.test"));
    // The state is single-use.
    assert_eq!(
        app.get(&format!(
            "/auth/google/callback?code=good-code&state={state}"
        ))
        .await
        .status()
        .as_u16(),
        403
    );

    // Linking: an existing email account gets the Google id.
    let other = app.new_browser();
    other.sign_up("link@club.test", "Linda").await;
    let phone = app.new_browser();
    *fake.email.lock().unwrap() = "link@club.test".into();
    let state = begin(&phone, &fake).await;
    // Same sub as before would find Gina; use the email path by clearing her sub first.
    let users_before = users::Entity::find().all(&app.db).await.unwrap();
    assert_eq!(users_before.len(), 2);
    let gina = users_before
        .iter()
        .find(|u| u.email == "gina@gmail.test")
        .unwrap()
        .clone();
    let mut am: users::ActiveModel = gina.into();
    am.google_sub = sea_orm::Set(None);
    sea_orm::ActiveModelTrait::update(am, &app.db)
        .await
        .unwrap();
    let r = phone
        .get(&format!(
            "/auth/google/callback?code=good-code&state={state}"
        ))
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let linda = users::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .find(|u| u.email == "link@club.test")
        .unwrap();
    assert_eq!(linda.google_sub.as_deref(), Some("google-123"));
    assert!(phone
        .get_text("/profile")
        .await
        .1
        .contains("link@club.test"));
}

#[tokio::test]
async fn google_sign_in_sqlite() {
    run(Backend::Sqlite).await;
}

#[tokio::test]
async fn google_sign_in_postgres() {
    if postgres_url().is_none() {
        eprintln!("TEST_POSTGRES_URL not set: PostgreSQL run skipped");
        return;
    }
    run(Backend::Postgres).await;
}

#[tokio::test]
async fn no_google_button_without_a_client_id() {
    let app = crate::helpers::spawn_app(Backend::Sqlite).await;
    assert!(!app
        .get_text("/signin")
        .await
        .1
        .contains("Sign in with Google"));
    assert_eq!(app.get("/auth/google").await.status().as_u16(), 404);
}
