//! Tokens and profiles, ETags for polling phones, the JSON event stream.
use super::*;

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

both!(
    players_join_and_withdraw_themselves_before_the_start,
    |app: TestApp| async move {
        let (tok, tid, ids) = organizer_with_draft(&app).await;
        register(&app, "pia@club.test", "Pia").await;
        let pia = token(&app, "pia@club.test").await;
        let players = format!("/api/v1/tournaments/{tid}/players");
        let (s, reg) = call(
            &app,
            Method::POST,
            &players,
            Some(&pia),
            Some(json!({"self": true})),
        )
        .await;
        assert_eq!(s, 201, "{reg}");
        assert_eq!(reg["status"], "waitlist", "the draft is full at 8");
        let (s, b) = call(
            &app,
            Method::POST,
            &players,
            Some(&pia),
            Some(json!({"name": "X", "self": true})),
        )
        .await;
        error_of(s, &b, 400, "bad_request");
        // Pia may not remove someone else, only herself.
        let (s, b) = call(
            &app,
            Method::DELETE,
            &format!("{players}/{}", ids[0]),
            Some(&pia),
            None,
        )
        .await;
        error_of(s, &b, 403, "forbidden");
        let (s, _) = call(
            &app,
            Method::DELETE,
            &format!("{players}/{}", reg["id"]),
            Some(&pia),
            None,
        )
        .await;
        assert_eq!(s, 204);
        let (_, regs) = call(&app, Method::GET, &players, Some(&tok), None).await;
        assert_eq!(regs.as_array().unwrap().len(), 8);
        let (s, b) = call(
            &app,
            Method::DELETE,
            &format!("{players}/987654"),
            Some(&tok),
            None,
        )
        .await;
        error_of(s, &b, 404, "not_found");
    }
);
