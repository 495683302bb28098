//! The JSON API v1 end to end: a whole tournament through the API alone
//! (here), every error shape, rate limits and CORS (`errors`), tokens, ETags
//! and live events (`sessions`), and the OpenAPI document against the routes
//! actually served (`openapi`).
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

mod claims;
mod errors;
mod gaps;
mod openapi;
mod sessions;

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

both!(mexicano_rounds_one_at_a_time, |app: TestApp| async move {
    register(&app, "org@club.test", "Olga Organizer").await;
    let tok = token(&app, "org@club.test").await;
    let (s, t) = call(
        &app,
        Method::POST,
        "/api/v1/tournaments",
        Some(&tok),
        Some(
            json!({"name": "Mexicano night", "format": "mexicano", "rounds": 2,
                    "courts": 2, "max_players": 8, "sit_out_comp": "none"}),
        ),
    )
    .await;
    assert_eq!(s, 201, "{t}");
    let tid = t["id"].as_i64().unwrap();
    for i in 1..=8 {
        let (s, _) = call(
            &app,
            Method::POST,
            &format!("/api/v1/tournaments/{tid}/players"),
            Some(&tok),
            Some(json!({"name": format!("Player {i}")})),
        )
        .await;
        assert_eq!(s, 201);
    }
    let next = format!("/api/v1/tournaments/{tid}/rounds");
    let (s, b) = call(&app, Method::POST, &next, Some(&tok), None).await;
    error_of(s, &b, 409, "conflict");
    let (s, _) = call(
        &app,
        Method::POST,
        &format!("/api/v1/tournaments/{tid}/start"),
        Some(&tok),
        None,
    )
    .await;
    assert_eq!(s, 200);
    let (_, rounds) = call(&app, Method::GET, &next, None, None).await;
    assert_eq!(
        rounds["rounds"].as_array().unwrap().len(),
        1,
        "Mexicano draws one round"
    );
    let (s, b) = call(&app, Method::POST, &next, Some(&tok), None).await;
    error_of(s, &b, 409, "conflict");
    for m in all_matches(&rounds) {
        let (s, _) = call(
            &app,
            Method::PATCH,
            &format!("/api/v1/matches/{}/score", m["id"]),
            Some(&tok),
            Some(json!({"score_a": 16, "score_b": 8, "version": m["version"]})),
        )
        .await;
        assert_eq!(s, 200);
    }
    let (s, round) = call(&app, Method::POST, &next, Some(&tok), None).await;
    assert_eq!(s, 201, "{round}");
    assert_eq!(round["number"], 2);
    assert_eq!(round["matches"].as_array().unwrap().len(), 2);
    let (_, rounds) = call(&app, Method::GET, &next, None, None).await;
    assert_eq!(rounds["rounds"].as_array().unwrap().len(), 2);
});
