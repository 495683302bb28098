//! The JSON API v1 end to end: a whole tournament through the API alone,
//! every error shape, token revocation, ETags, CORS, rate limits, and the
//! OpenAPI document against the routes actually served.
use crate::both;
use crate::helpers::{spawn_app_with, Backend, TestApp};
use reqwest::{Method, Response};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{json, Value};
use std::collections::HashSet;
use tornetic::entities::{tournament_results, tournaments};

const PASSWORD: &str = "correct horse battery";

/// One API call: (status, JSON body or Null).
async fn call(
    app: &TestApp,
    method: Method,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> (u16, Value) {
    let r = request(app, method, path, token, body, &[]).await;
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

async fn request(
    app: &TestApp,
    method: Method,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
    headers: &[(&str, &str)],
) -> Response {
    let mut rb = app.client.request(method, app.url(path));
    if let Some(t) = token {
        rb = rb.bearer_auth(t);
    }
    if let Some(b) = body {
        rb = rb.json(&b);
    }
    for (k, v) in headers {
        rb = rb.header(*k, *v);
    }
    rb.send().await.expect("request")
}

/// Asserts the one error shape and returns its `error` object.
fn error_of(status: u16, body: &Value, expected_status: u16, code: &str) -> Value {
    assert_eq!(status, expected_status, "{body}");
    let e = &body["error"];
    assert_eq!(e["code"], code, "{body}");
    assert!(
        e["message"].as_str().is_some_and(|m| !m.is_empty()),
        "{body}"
    );
    e.clone()
}

async fn register(app: &TestApp, email: &str, name: &str) -> Value {
    let (s, user) = call(
        app,
        Method::POST,
        "/api/v1/auth/register",
        None,
        Some(json!({"email": email, "password": PASSWORD, "display_name": name})),
    )
    .await;
    assert_eq!(s, 201, "{user}");
    user
}

async fn login(app: &TestApp, email: &str, password: &str) -> Response {
    app.client
        .post(app.url("/api/v1/auth/jwt/login"))
        .form(&[("username", email), ("password", password)])
        .send()
        .await
        .expect("login")
}

async fn token(app: &TestApp, email: &str) -> String {
    let r = login(app, email, PASSWORD).await;
    assert_eq!(r.status().as_u16(), 200);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["token_type"], "bearer");
    body["access_token"].as_str().unwrap().to_string()
}

/// A signed-up organizer with a token and a public 8-player draft.
async fn organizer_with_draft(app: &TestApp) -> (String, i64, Vec<i64>) {
    register(app, "org@club.test", "Olga Organizer").await;
    let tok = token(app, "org@club.test").await;
    let (s, t) = call(
        app,
        Method::POST,
        "/api/v1/tournaments",
        Some(&tok),
        Some(json!({
            "name": "API Americano", "format": "americano", "scoring_mode": "points",
            "scoring_target": 24, "courts": "2", "max_players": 8,
            "sit_out_comp": "none", "is_public": true,
            "starts_at": "2026-12-05T18:30:00Z",
            "tiebreak": ["points", "wins", "difference"]
        })),
    )
    .await;
    assert_eq!(s, 201, "{t}");
    assert_eq!(t["status"], "draft");
    assert_eq!(t["starts_at"], "2026-12-05T18:30:00Z");
    assert_eq!(t["tiebreak"], json!(["points", "wins", "difference"]));
    let tid = t["id"].as_i64().unwrap();
    let mut ids = vec![];
    for i in 1..=8 {
        let (s, reg) = call(
            app,
            Method::POST,
            &format!("/api/v1/tournaments/{tid}/players"),
            Some(&tok),
            Some(json!({"name": format!("Player {i}")})),
        )
        .await;
        assert_eq!(s, 201, "{reg}");
        assert_eq!(reg["status"], "active");
        ids.push(reg["id"].as_i64().unwrap());
    }
    (tok, tid, ids)
}

fn all_matches(rounds: &Value) -> Vec<Value> {
    rounds["rounds"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["matches"].as_array().unwrap().clone())
        .collect()
}

both!(
    a_whole_tournament_through_the_api,
    |app: TestApp| async move {
        register(&app, "org@club.test", "Olga Organizer").await;
        let tok = token(&app, "org@club.test").await;
        let player = register(&app, "pia@club.test", "Pia Player").await;
        let pia = token(&app, "pia@club.test").await;
        let (s, t) = call(
            &app,
            Method::POST,
            "/api/v1/tournaments",
            Some(&tok),
            Some(
                json!({"name": "Sunday Americano", "courts": 2, "max_players": "8",
                    "scoring_target": "24", "sit_out_comp": "none", "is_public": true}),
            ),
        )
        .await;
        assert_eq!(s, 201, "{t}");
        let tid = t["id"].as_i64().unwrap();
        // One real account joins itself, seven guests are added by the organizer.
        let (s, me) = call(
            &app,
            Method::POST,
            &format!("/api/v1/tournaments/{tid}/players"),
            Some(&pia),
            Some(json!({})),
        )
        .await;
        assert_eq!(s, 201, "{me}");
        assert_eq!(me["user_id"], player["id"]);
        for i in 1..=7 {
            let (s, _) = call(
                &app,
                Method::POST,
                &format!("/api/v1/tournaments/{tid}/players"),
                Some(&tok),
                Some(json!({"name": format!("Guest {i}")})),
            )
            .await;
            assert_eq!(s, 201);
        }
        let (s, regs) = call(
            &app,
            Method::GET,
            &format!("/api/v1/tournaments/{tid}/players"),
            None,
            None,
        )
        .await;
        assert_eq!(s, 200);
        let reg_ids: HashSet<i64> = regs
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].as_i64().unwrap())
            .collect();
        assert_eq!(reg_ids.len(), 8);

        let (s, t) = call(
            &app,
            Method::POST,
            &format!("/api/v1/tournaments/{tid}/start"),
            Some(&tok),
            None,
        )
        .await;
        assert_eq!(s, 200, "{t}");
        assert_eq!(t["status"], "live");
        assert!(
            t["started_at"].as_str().is_some_and(|d| d.ends_with('Z')),
            "{t}"
        );

        let (s, rounds) = call(
            &app,
            Method::GET,
            &format!("/api/v1/tournaments/{tid}/rounds"),
            None,
            None,
        )
        .await;
        assert_eq!(s, 200);
        let ms = all_matches(&rounds);
        assert!(!ms.is_empty());
        for r in rounds["rounds"].as_array().unwrap() {
            let mut seen: Vec<i64> = r["sitting_out"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_i64().unwrap())
                .collect();
            for m in r["matches"].as_array().unwrap() {
                assert!(m["score_a"].is_null() && m["score_b"].is_null());
                for side in ["team_a", "team_b"] {
                    seen.extend(
                        m[side]
                            .as_array()
                            .unwrap()
                            .iter()
                            .map(|v| v.as_i64().unwrap()),
                    );
                }
            }
            let set: HashSet<i64> = seen.iter().copied().collect();
            assert_eq!(set.len(), seen.len(), "nobody twice in a round");
            assert_eq!(set, reg_ids, "everyone plays or sits out");
        }
        // Finishing before every score is in is refused.
        let (s, b) = call(
            &app,
            Method::POST,
            &format!("/api/v1/tournaments/{tid}/finish"),
            Some(&tok),
            None,
        )
        .await;
        error_of(s, &b, 409, "conflict");

        for (i, m) in ms.iter().enumerate() {
            let a = (i as i64 * 7) % 25;
            let (s, saved) = call(
                &app,
                Method::PATCH,
                &format!("/api/v1/matches/{}/score", m["id"]),
                Some(&tok),
                Some(json!({"score_a": a, "score_b": 24 - a, "version": m["version"]})),
            )
            .await;
            assert_eq!(s, 200, "{saved}");
            assert_eq!(saved["score_a"], a);
            assert_eq!(saved["version"], m["version"].as_i64().unwrap() + 1);
            assert_eq!(saved["team_a"], m["team_a"]);
        }

        let (s, board) = call(
            &app,
            Method::GET,
            &format!("/api/v1/tournaments/{tid}/leaderboard"),
            None,
            None,
        )
        .await;
        assert_eq!(s, 200);
        let rows = board.as_array().unwrap();
        assert_eq!(rows.len(), 8);
        let n = ms.len() as i64;
        let sum = |k: &str| rows.iter().map(|r| r[k].as_f64().unwrap()).sum::<f64>();
        assert_eq!(
            sum("points"),
            (n * 24 * 2) as f64,
            "both partners get their side's points"
        );
        assert_eq!(sum("points_for"), sum("points_against"));
        assert_eq!(sum("played"), (n * 4) as f64);
        assert_eq!(sum("won"), sum("lost"));
        for (i, r) in rows.iter().enumerate() {
            // Competition ranking: ties share a rank, the next rank skips.
            let rank = r["rank"].as_u64().unwrap();
            if i == 0 {
                assert_eq!(rank, 1);
            } else if rank == rows[i - 1]["rank"].as_u64().unwrap() {
                assert_eq!(r["points"], rows[i - 1]["points"], "a shared rank is a tie");
            } else {
                assert_eq!(rank, i as u64 + 1);
            }
            assert!(reg_ids.contains(&r["player_id"].as_i64().unwrap()));
            assert_eq!(
                r["difference"].as_i64().unwrap(),
                r["points_for"].as_i64().unwrap() - r["points_against"].as_i64().unwrap()
            );
            for k in ["name", "points", "played", "won", "drawn", "lost"] {
                assert!(!r[k].is_null(), "{k} in {r}");
            }
            if i > 0 {
                assert!(
                    rows[i - 1]["points"].as_f64() >= r["points"].as_f64(),
                    "rank order"
                );
            }
        }

        let (s, t) = call(
            &app,
            Method::POST,
            &format!("/api/v1/tournaments/{tid}/finish"),
            Some(&tok),
            None,
        )
        .await;
        assert_eq!(s, 200, "{t}");
        assert_eq!(t["status"], "finished");
        let stored = tournament_results::Entity::find()
            .filter(tournament_results::Column::TournamentId.eq(tid))
            .all(&app.db)
            .await
            .unwrap();
        assert_eq!(stored.len(), 8);

        // Ratings, statistics and history of the one real account agree.
        let uid = player["id"].as_i64().unwrap();
        let (s, profile) = call(
            &app,
            Method::GET,
            &format!("/api/v1/players/{uid}"),
            None,
            None,
        )
        .await;
        assert_eq!(s, 200, "{profile}");
        assert!(
            profile.get("email").is_none(),
            "no email on public profiles"
        );
        let st = &profile["statistics"];
        let played = st["matches"].as_u64().unwrap();
        assert!(played > 0);
        assert_eq!(
            st["wins"].as_u64().unwrap()
                + st["draws"].as_u64().unwrap()
                + st["losses"].as_u64().unwrap(),
            played
        );
        let (s, hist) = call(
            &app,
            Method::GET,
            &format!("/api/v1/players/{uid}/rating-history"),
            None,
            None,
        )
        .await;
        assert_eq!(s, 200);
        assert_eq!(hist["changes"].as_array().unwrap().len() as u64, played);
        assert_eq!(profile["rating"]["matches"].as_u64().unwrap(), played);

        // The rating list: 8 rated players, best first, paged without overlap.
        let mut seen = vec![];
        let mut cursor: Option<String> = None;
        loop {
            let path = match &cursor {
                Some(c) => format!("/api/v1/players?limit=3&cursor={c}"),
                None => "/api/v1/players?limit=3".into(),
            };
            let (s, page) = call(&app, Method::GET, &path, None, None).await;
            assert_eq!(s, 200, "{page}");
            for p in page["items"].as_array().unwrap() {
                let level = p["level"].as_f64().unwrap();
                assert!((0.0..=7.0).contains(&level));
                seen.push((p["rank"].as_u64().unwrap(), p["mu"].as_f64().unwrap()));
            }
            match page["next_cursor"].as_str() {
                Some(c) => cursor = Some(c.to_string()),
                None => break,
            }
        }
        assert_eq!(seen.len(), 8);
        for (i, w) in seen.windows(2).enumerate() {
            assert!(w[0].1 >= w[1].1, "mu descending");
            assert_eq!(w[0].0, i as u64 + 1, "ranks continue across pages");
        }
    }
);

both!(every_error_has_the_one_shape, |app: TestApp| async move {
    let (tok, tid, _) = organizer_with_draft(&app).await;
    // 400: malformed JSON, wrong types, bad query.
    let r = app
        .client
        .post(app.url("/api/v1/tournaments"))
        .bearer_auth(&tok)
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    let s = r.status().as_u16();
    error_of(s, &r.json().await.unwrap(), 400, "bad_request");
    let (s, b) = call(
        &app,
        Method::POST,
        "/api/v1/tournaments",
        Some(&tok),
        Some(json!({"is_public": "yes"})),
    )
    .await;
    error_of(s, &b, 400, "bad_request");
    let (s, b) = call(
        &app,
        Method::POST,
        "/api/v1/tournaments",
        Some(&tok),
        Some(json!({"colour": "red"})),
    )
    .await;
    error_of(s, &b, 400, "bad_request");
    let (s, b) = call(
        &app,
        Method::GET,
        "/api/v1/tournaments?limit=abc",
        None,
        None,
    )
    .await;
    error_of(s, &b, 400, "bad_request");
    let (s, b) = call(
        &app,
        Method::GET,
        "/api/v1/tournaments?limit=1000",
        None,
        None,
    )
    .await;
    error_of(s, &b, 400, "bad_request");
    let (s, b) = call(
        &app,
        Method::GET,
        "/api/v1/tournaments?status=paused",
        None,
        None,
    )
    .await;
    error_of(s, &b, 400, "bad_request");
    let (s, b) = call(
        &app,
        Method::GET,
        "/api/v1/players?cursor=%25%25",
        None,
        None,
    )
    .await;
    error_of(s, &b, 400, "bad_request");
    // 401: no token, a bad token.
    let (s, b) = call(
        &app,
        Method::POST,
        "/api/v1/tournaments",
        None,
        Some(json!({"name": "X"})),
    )
    .await;
    error_of(s, &b, 401, "unauthorized");
    let (s, b) = call(
        &app,
        Method::GET,
        "/api/v1/users/me",
        Some("1.0.99999999999.deadbeef"),
        None,
    )
    .await;
    error_of(s, &b, 401, "unauthorized");
    // 422: invalid settings, with fields.
    let (s, b) = call(
        &app,
        Method::POST,
        "/api/v1/tournaments",
        Some(&tok),
        Some(json!({"name": "", "courts": 99, "format": "bridge"})),
    )
    .await;
    let e = error_of(s, &b, 422, "validation_failed");
    for f in ["name", "courts", "format"] {
        assert!(e["fields"][f].is_string(), "{f}: {e}");
    }
    // 403: another user's tournament, and nothing changes.
    register(&app, "bob@club.test", "Bob").await;
    let bob = token(&app, "bob@club.test").await;
    let (s, b) = call(
        &app,
        Method::PATCH,
        &format!("/api/v1/tournaments/{tid}"),
        Some(&bob),
        Some(json!({"name": "Bob's now"})),
    )
    .await;
    error_of(s, &b, 403, "forbidden");
    let (s, b) = call(
        &app,
        Method::POST,
        &format!("/api/v1/tournaments/{tid}/players"),
        Some(&bob),
        Some(json!({"name": "Intruder"})),
    )
    .await;
    error_of(s, &b, 403, "forbidden");
    let (s, b) = call(
        &app,
        Method::DELETE,
        &format!("/api/v1/tournaments/{tid}"),
        Some(&bob),
        None,
    )
    .await;
    error_of(s, &b, 403, "forbidden");
    let (s, b) = call(
        &app,
        Method::POST,
        &format!("/api/v1/tournaments/{tid}/start"),
        Some(&bob),
        None,
    )
    .await;
    error_of(s, &b, 403, "forbidden");
    let t = tournaments::Entity::find_by_id(tid)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (t.name.as_str(), t.status.as_str()),
        ("API Americano", "draft")
    );
    let (_, regs) = call(
        &app,
        Method::GET,
        &format!("/api/v1/tournaments/{tid}/players"),
        None,
        None,
    )
    .await;
    assert_eq!(regs.as_array().unwrap().len(), 8, "no intruder");
    // 404: unknown ids, unknown routes, unparsable ids; 405: wrong method.
    for path in [
        "/api/v1/tournaments/987654",
        "/api/v1/nope",
        "/api/v1/tournaments/abc",
        "/api/v1/players/987654",
    ] {
        let (s, b) = call(&app, Method::GET, path, None, None).await;
        error_of(s, &b, 404, "not_found");
    }
    let (s, b) = call(&app, Method::DELETE, "/api/v1/users/me", Some(&tok), None).await;
    error_of(s, &b, 405, "method_not_allowed");
    // A private tournament is invisible to strangers.
    let (s, _) = call(
        &app,
        Method::PATCH,
        &format!("/api/v1/tournaments/{tid}"),
        Some(&tok),
        Some(json!({"is_public": false})),
    )
    .await;
    assert_eq!(s, 200);
    let (s, b) = call(
        &app,
        Method::GET,
        &format!("/api/v1/tournaments/{tid}/leaderboard"),
        Some(&bob),
        None,
    )
    .await;
    error_of(s, &b, 404, "not_found");
    let (s, b) = call(
        &app,
        Method::POST,
        &format!("/api/v1/tournaments/{tid}/players"),
        Some(&bob),
        Some(json!({"self": true})),
    )
    .await;
    error_of(s, &b, 404, "not_found");

    // Scores: 409 on a stale version, 422 with fields on a bad score, 403 for Bob.
    let (s, _) = call(
        &app,
        Method::POST,
        &format!("/api/v1/tournaments/{tid}/start"),
        Some(&tok),
        None,
    )
    .await;
    assert_eq!(s, 200);
    let (s, b) = call(
        &app,
        Method::DELETE,
        &format!("/api/v1/tournaments/{tid}"),
        Some(&tok),
        None,
    )
    .await;
    error_of(s, &b, 409, "conflict");
    let (_, rounds) = call(
        &app,
        Method::GET,
        &format!("/api/v1/tournaments/{tid}/rounds"),
        Some(&tok),
        None,
    )
    .await;
    let m = all_matches(&rounds).remove(0);
    let path = format!("/api/v1/matches/{}/score", m["id"]);
    let (s, b) = call(
        &app,
        Method::PATCH,
        &path,
        Some(&tok),
        Some(json!({"score_a": 30, "score_b": -6, "version": 0})),
    )
    .await;
    let e = error_of(s, &b, 422, "validation_failed");
    assert!(
        e["fields"]["score_b"].is_string() || e["fields"]["score_a"].is_string(),
        "{e}"
    );
    let (s, b) = call(
        &app,
        Method::PATCH,
        &path,
        Some(&tok),
        Some(json!({"score_a": 14, "score_b": 11, "version": 0})),
    )
    .await;
    let e = error_of(s, &b, 422, "validation_failed");
    assert!(
        e["fields"]["score_b"]
            .as_str()
            .unwrap()
            .contains("add up to 24"),
        "{e}"
    );
    let (s, b) = call(
        &app,
        Method::PATCH,
        &path,
        Some(&tok),
        Some(json!({"score_a": "x", "version": 0})),
    )
    .await;
    error_of(s, &b, 400, "bad_request");
    let (s, b) = call(
        &app,
        Method::PATCH,
        &path,
        Some(&bob),
        Some(json!({"score_a": 14, "score_b": 10, "version": 0})),
    )
    .await;
    error_of(s, &b, 403, "forbidden");
    let (s, saved) = call(
        &app,
        Method::PATCH,
        &path,
        Some(&tok),
        Some(json!({"score_a": 14, "score_b": 10, "version": 0})),
    )
    .await;
    assert_eq!(s, 200, "{saved}");
    let (s, b) = call(
        &app,
        Method::PATCH,
        &path,
        Some(&tok),
        Some(json!({"score_a": 10, "score_b": 14, "version": 0})),
    )
    .await;
    let e = error_of(s, &b, 409, "conflict");
    assert!(e["message"].as_str().unwrap().contains("14–10"), "{e}");
    // null/null clears with the current version.
    let (s, cleared) = call(
        &app,
        Method::PATCH,
        &path,
        Some(&tok),
        Some(json!({"score_a": null, "score_b": null, "version": 1})),
    )
    .await;
    assert_eq!(s, 200, "{cleared}");
    assert!(cleared["score_a"].is_null());
    assert_eq!(cleared["version"], 2);
    let (s, b) = call(
        &app,
        Method::PATCH,
        "/api/v1/matches/987654/score",
        Some(&tok),
        Some(json!({"score_a": 1, "score_b": 23, "version": 0})),
    )
    .await;
    error_of(s, &b, 404, "not_found");
});

/// The same body on SQLite, and on PostgreSQL when configured, with settings.
macro_rules! both_with {
    ($name:ident, $extra:expr, $body:expr) => {
        mod $name {
            use super::*;
            #[tokio::test]
            async fn sqlite() {
                ($body)(spawn_app_with(Backend::Sqlite, $extra).await).await;
            }
            #[tokio::test]
            async fn postgres() {
                if crate::helpers::postgres_url().is_none() {
                    eprintln!("TEST_POSTGRES_URL not set: PostgreSQL run skipped");
                    return;
                }
                ($body)(spawn_app_with(Backend::Postgres, $extra).await).await;
            }
        }
    };
}

both_with!(
    login_is_rate_limited,
    &[("TORNETIC_AUTH_RATE_PER_MINUTE", "3")],
    |app: TestApp| async move {
        register(&app, "ana@club.test", "Ana").await;
        for _ in 0..2 {
            let r = login(&app, "ana@club.test", "wrong password!").await;
            let s = r.status().as_u16();
            error_of(s, &r.json().await.unwrap(), 422, "validation_failed");
        }
        let r = login(&app, "ana@club.test", "wrong password!").await;
        let s = r.status().as_u16();
        let body: Value = r.json().await.unwrap();
        error_of(s, &body, 429, "rate_limited");
        // Even the right password waits now.
        let r = login(&app, "ana@club.test", PASSWORD).await;
        assert_eq!(r.status().as_u16(), 429);
        assert!(r.headers().get("retry-after").is_some());
    }
);

both_with!(
    api_requests_are_rate_limited_per_token,
    &[("TORNETIC_API_RATE_PER_MINUTE", "5")],
    |app: TestApp| async move {
        for _ in 0..5 {
            let (s, _) = call(&app, Method::GET, "/api/v1/tournaments", None, None).await;
            assert_eq!(s, 200);
        }
        let (s, b) = call(&app, Method::GET, "/api/v1/tournaments", None, None).await;
        error_of(s, &b, 429, "rate_limited");
        // A token has its own budget (the request still fails auth: the
        // limiter runs first and does not care).
        let (s, b) = call(
            &app,
            Method::GET,
            "/api/v1/users/me",
            Some("some-token"),
            None,
        )
        .await;
        error_of(s, &b, 401, "unauthorized");
    }
);

both_with!(
    cors_only_for_configured_origins,
    &[("TORNETIC_CORS_ORIGINS", "https://app.example")],
    |app: TestApp| async move {
        let allowed = request(
            &app,
            Method::GET,
            "/api/v1/tournaments",
            None,
            None,
            &[("Origin", "https://app.example")],
        )
        .await;
        assert_eq!(allowed.status().as_u16(), 200);
        assert_eq!(
            allowed
                .headers()
                .get("access-control-allow-origin")
                .and_then(|v| v.to_str().ok()),
            Some("https://app.example")
        );
        let other = request(
            &app,
            Method::GET,
            "/api/v1/tournaments",
            None,
            None,
            &[("Origin", "https://evil.example")],
        )
        .await;
        assert!(other.headers().get("access-control-allow-origin").is_none());
        let preflight = request(
            &app,
            Method::OPTIONS,
            "/api/v1/tournaments",
            None,
            None,
            &[
                ("Origin", "https://app.example"),
                ("Access-Control-Request-Method", "POST"),
                (
                    "Access-Control-Request-Headers",
                    "authorization, content-type",
                ),
            ],
        )
        .await;
        assert!(preflight.status().is_success(), "{}", preflight.status());
        assert!(preflight
            .headers()
            .get("access-control-allow-methods")
            .is_some());
    }
);

both!(
    logout_everywhere_revokes_tokens,
    |app: TestApp| async move {
        register(&app, "ana@club.test", "Ana").await;
        let first = token(&app, "ana@club.test").await;
        let second = token(&app, "ana@club.test").await;
        let (s, me) = call(&app, Method::GET, "/api/v1/users/me", Some(&first), None).await;
        assert_eq!(s, 200);
        assert_eq!(me["email"], "ana@club.test");
        let (s, me) = call(
            &app,
            Method::PATCH,
            "/api/v1/users/me",
            Some(&first),
            Some(json!({"preferred_side": "left", "self_level": 3.5})),
        )
        .await;
        assert_eq!(s, 200, "{me}");
        assert_eq!(
            (me["preferred_side"].as_str(), me["self_level"].as_f64()),
            (Some("left"), Some(3.5))
        );
        assert_eq!(me["display_name"], "Ana", "unsent fields keep their value");
        let (s, b) = call(
            &app,
            Method::PATCH,
            "/api/v1/users/me",
            Some(&first),
            Some(json!({"self_level": 9})),
        )
        .await;
        assert!(error_of(s, &b, 422, "validation_failed")["fields"]["self_level"].is_string());
        let (s, _) = call(
            &app,
            Method::POST,
            "/api/v1/auth/logout-everywhere",
            Some(&first),
            None,
        )
        .await;
        assert_eq!(s, 204);
        for old in [&first, &second] {
            let (s, b) = call(&app, Method::GET, "/api/v1/users/me", Some(old), None).await;
            error_of(s, &b, 401, "unauthorized");
        }
        let fresh = token(&app, "ana@club.test").await;
        let (s, _) = call(&app, Method::GET, "/api/v1/users/me", Some(&fresh), None).await;
        assert_eq!(s, 200);
    }
);

both!(
    leaderboard_and_rounds_answer_304_until_something_changes,
    |app: TestApp| async move {
        let (tok, tid, ids) = organizer_with_draft(&app).await;
        let lb = format!("/api/v1/tournaments/{tid}/leaderboard");
        let etag_of = |r: &Response| {
            r.headers()
                .get("etag")
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
                .expect("ETag")
        };
        let first = request(&app, Method::GET, &lb, None, None, &[]).await;
        assert_eq!(first.status().as_u16(), 200);
        let tag = etag_of(&first);
        let again = request(
            &app,
            Method::GET,
            &lb,
            None,
            None,
            &[("If-None-Match", &tag)],
        )
        .await;
        assert_eq!(again.status().as_u16(), 304);
        assert_eq!(etag_of(&again), tag);
        // Removing a player changes the leaderboard, so the ETag.
        let (s, _) = call(
            &app,
            Method::DELETE,
            &format!("/api/v1/tournaments/{tid}/players/{}", ids[7]),
            Some(&tok),
            None,
        )
        .await;
        assert_eq!(s, 204);
        let changed = request(
            &app,
            Method::GET,
            &lb,
            None,
            None,
            &[("If-None-Match", &tag)],
        )
        .await;
        assert_eq!(changed.status().as_u16(), 200);
        let tag = etag_of(&changed);
        assert_eq!(
            changed
                .json::<Value>()
                .await
                .unwrap()
                .as_array()
                .unwrap()
                .len(),
            7
        );
        // So does adding one.
        call(
            &app,
            Method::POST,
            &format!("/api/v1/tournaments/{tid}/players"),
            Some(&tok),
            Some(json!({"name": "Late Larry"})),
        )
        .await;
        let changed = request(
            &app,
            Method::GET,
            &lb,
            None,
            None,
            &[("If-None-Match", &tag)],
        )
        .await;
        assert_eq!(changed.status().as_u16(), 200);
        // And a score.
        call(
            &app,
            Method::POST,
            &format!("/api/v1/tournaments/{tid}/start"),
            Some(&tok),
            None,
        )
        .await;
        let rounds_path = format!("/api/v1/tournaments/{tid}/rounds");
        let r = request(&app, Method::GET, &rounds_path, None, None, &[]).await;
        let rounds_tag = etag_of(&r);
        let rounds: Value = r.json().await.unwrap();
        let tag = etag_of(&request(&app, Method::GET, &lb, None, None, &[]).await);
        assert_eq!(
            request(
                &app,
                Method::GET,
                &rounds_path,
                None,
                None,
                &[("If-None-Match", &rounds_tag)]
            )
            .await
            .status()
            .as_u16(),
            304
        );
        let m = all_matches(&rounds).remove(0);
        let (s, _) = call(
            &app,
            Method::PATCH,
            &format!("/api/v1/matches/{}/score", m["id"]),
            Some(&tok),
            Some(json!({"score_a": 20, "score_b": 4, "version": m["version"]})),
        )
        .await;
        assert_eq!(s, 200);
        let after = request(
            &app,
            Method::GET,
            &lb,
            None,
            None,
            &[("If-None-Match", &tag)],
        )
        .await;
        assert_eq!(after.status().as_u16(), 200);
        assert_ne!(etag_of(&after), tag);
        let top: Value = after.json().await.unwrap();
        assert_eq!(top[0]["points"], 20.0);
        assert_eq!(
            request(
                &app,
                Method::GET,
                &rounds_path,
                None,
                None,
                &[("If-None-Match", &rounds_tag)]
            )
            .await
            .status()
            .as_u16(),
            200
        );
    }
);

/// Every `$ref` in the document, for resolution checks.
fn refs(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                if k == "$ref" {
                    if let Some(s) = x.as_str() {
                        out.push(s.to_string());
                    }
                }
                refs(x, out);
            }
        }
        Value::Array(a) => a.iter().for_each(|x| refs(x, out)),
        _ => {}
    }
}

both!(
    openapi_describes_exactly_the_routes_served,
    |app: TestApp| async move {
        let (s, doc) = call(&app, Method::GET, "/api/v1/openapi.json", None, None).await;
        assert_eq!(s, 200);
        assert!(
            doc["openapi"].as_str().unwrap().starts_with("3.1"),
            "{}",
            doc["openapi"]
        );
        assert!(doc["info"]["title"].is_string());
        let paths = doc["paths"].as_object().unwrap();
        let methods = ["get", "post", "put", "patch", "delete"];
        let mut ids = HashSet::new();
        let mut documented = vec![];
        for (path, item) in paths {
            assert!(path.starts_with("/api/v1/"), "{path}");
            for m in methods {
                let Some(op) = item.get(m) else { continue };
                let id = op["operationId"].as_str().unwrap();
                assert!(ids.insert(id.to_string()), "operationId {id} twice");
                let responses = op["responses"].as_object().unwrap();
                assert!(!responses.is_empty(), "{m} {path} has responses");
                for (code, r) in responses {
                    assert!(code.parse::<u16>().is_ok(), "{code}");
                    assert!(r["description"].is_string(), "{m} {path} {code}");
                }
                assert!(
                    op["tags"].as_array().is_some_and(|t| !t.is_empty()),
                    "{m} {path} tagged"
                );
                documented.push((m.to_uppercase(), path.clone()));
            }
        }
        let mut all = vec![];
        refs(&doc, &mut all);
        for r in &all {
            let name = r
                .strip_prefix("#/components/schemas/")
                .unwrap_or_else(|| panic!("{r}"));
            assert!(
                doc["components"]["schemas"][name].is_object(),
                "{r} resolves"
            );
        }
        assert!(doc["components"]["securitySchemes"]["bearer"].is_object());

        // The served routes are the documented ones: the server's own list
        // (routes are registered from the document) …
        let served: Vec<(String, String)> = tornetic::routes::api::operations()
            .into_iter()
            .map(|o| (o.method.to_string(), o.path))
            .collect();
        let mut a = served.clone();
        let mut b = documented.clone();
        a.sort();
        b.sort();
        assert_eq!(a, b);
        let required = [
            ("POST", "/api/v1/auth/register"),
            ("POST", "/api/v1/auth/jwt/login"),
            ("POST", "/api/v1/auth/logout-everywhere"),
            ("GET", "/api/v1/users/me"),
            ("PATCH", "/api/v1/users/me"),
            ("GET", "/api/v1/players"),
            ("GET", "/api/v1/players/{user_id}"),
            ("GET", "/api/v1/players/{user_id}/rating-history"),
            ("GET", "/api/v1/tournaments"),
            ("POST", "/api/v1/tournaments"),
            ("GET", "/api/v1/tournaments/{id}"),
            ("PATCH", "/api/v1/tournaments/{id}"),
            ("DELETE", "/api/v1/tournaments/{id}"),
            ("GET", "/api/v1/tournaments/{id}/players"),
            ("POST", "/api/v1/tournaments/{id}/players"),
            (
                "DELETE",
                "/api/v1/tournaments/{id}/players/{registration_id}",
            ),
            ("POST", "/api/v1/tournaments/{id}/start"),
            ("GET", "/api/v1/tournaments/{id}/rounds"),
            ("POST", "/api/v1/tournaments/{id}/rounds"),
            ("GET", "/api/v1/tournaments/{id}/leaderboard"),
            ("POST", "/api/v1/tournaments/{id}/finish"),
            ("GET", "/api/v1/tournaments/{id}/events"),
            ("PATCH", "/api/v1/matches/{id}/score"),
            ("GET", "/api/v1/openapi.json"),
        ];
        for (m, p) in required {
            assert!(
                b.contains(&(m.to_string(), p.to_string())),
                "{m} {p} documented"
            );
        }
        // … and over HTTP: each documented operation answers (not the catch-all
        // "no endpoint" 404, not 405), and each undocumented method on a
        // documented path is refused with 405.
        for (m, p) in &documented {
            let concrete = p
                .replace("{id}", "987654")
                .replace("{user_id}", "987654")
                .replace("{registration_id}", "987654");
            let r = request(
                &app,
                Method::from_bytes(m.as_bytes()).unwrap(),
                &concrete,
                None,
                None,
                &[],
            )
            .await;
            let status = r.status().as_u16();
            let body: Value = r.json().await.unwrap_or(Value::Null);
            assert_ne!(status, 405, "{m} {p}");
            assert!(
                !(status == 404
                    && body["error"]["message"]
                        .as_str()
                        .is_some_and(|s| s.contains("no API endpoint"))),
                "{m} {p} is routed"
            );
            for other in ["GET", "POST", "PATCH", "DELETE"] {
                if documented.contains(&(other.to_string(), p.clone())) {
                    continue;
                }
                let r = request(
                    &app,
                    Method::from_bytes(other.as_bytes()).unwrap(),
                    &concrete,
                    None,
                    None,
                    &[],
                )
                .await;
                assert_eq!(r.status().as_u16(), 405, "{other} {p} is not served");
            }
        }
        let (s, b) = call(
            &app,
            Method::GET,
            "/api/v1/tournaments/1/scores",
            None,
            None,
        )
        .await;
        error_of(s, &b, 404, "not_found");

        // The reference page lists every operation, from our own assets only.
        let r = app.get("/api/docs").await;
        assert_eq!(r.status().as_u16(), 200);
        let html = r.text().await.unwrap();
        for (m, p) in &documented {
            assert!(
                html.contains(&format!("{m}</span> <code>{p}</code>")),
                "{m} {p} on the page"
            );
        }
        assert!(
            !html.contains("cdn") && !html.contains("swagger"),
            "self-contained"
        );
    }
);

both!(the_event_stream_sends_json, |app: TestApp| async move {
    let (_, tid, _) = organizer_with_draft(&app).await;
    let mut r = request(
        &app,
        Method::GET,
        &format!("/api/v1/tournaments/{tid}/events"),
        None,
        None,
        &[],
    )
    .await;
    assert_eq!(r.status().as_u16(), 200);
    assert!(r.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/event-stream"));
    let mut text = String::new();
    // A retry hint may come first; read up to the end of the first update.
    while !text.contains("event: update")
        || !text
            .split("event: update")
            .nth(1)
            .is_some_and(|t| t.contains("\n\n"))
    {
        let chunk = tokio::time::timeout(std::time::Duration::from_secs(5), r.chunk())
            .await
            .expect("first event in time")
            .unwrap()
            .expect("stream open");
        text.push_str(&String::from_utf8_lossy(&chunk));
    }
    assert!(text.contains("event: update"), "{text}");
    let data = text
        .lines()
        .find_map(|l| l.strip_prefix("data: "))
        .expect("data line");
    let v: Value = serde_json::from_str(data).unwrap();
    assert_eq!(v["tournament_id"], tid);
    assert_eq!(v["leaderboard"].as_array().unwrap().len(), 8);
});
