//! Every error shape, the rate limits, CORS.
use super::*;

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

both_with!(
    login_is_rate_limited,
    &[("TORNETIC_AUTH_RATE_PER_MINUTE", "3")],
    |app: TestApp| async move {
        crate::helpers::away_from_a_minute_boundary().await;
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
