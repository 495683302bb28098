//! Everything the site can do is JSON too: bringing in a waitlisted player,
//! Mixed Americano groups, co-organizers, reopening, round timers, "my
//! tournaments"; each with its permission rule (403 for someone else).
use super::*;

/// Scores every match of a live tournament (sides 16–8).
async fn score_all(app: &TestApp, tok: &str, tid: i64) {
    let (_, rounds) = call(
        app,
        Method::GET,
        &format!("/api/v1/tournaments/{tid}/rounds"),
        None,
        None,
    )
    .await;
    for m in all_matches(&rounds) {
        let (s, b) = call(
            app,
            Method::PATCH,
            &format!("/api/v1/matches/{}/score", m["id"]),
            Some(tok),
            Some(json!({"score_a": 16, "score_b": 8, "version": m["version"]})),
        )
        .await;
        assert_eq!(s, 200, "{b}");
    }
}

both!(
    waitlist_timer_reopen_through_the_api,
    |app: TestApp| async move {
        let (tok, tid, ids) = organizer_with_draft(&app).await;
        register(&app, "mal@club.test", "Mallory").await;
        let mal = token(&app, "mal@club.test").await;
        let players = format!("/api/v1/tournaments/{tid}/players");
        // The ninth player waits; a late one stays on the waitlist too.
        let (s, ninth) = call(
            &app,
            Method::POST,
            &players,
            Some(&tok),
            Some(json!({"name": "Player 9"})),
        )
        .await;
        assert_eq!(s, 201, "{ninth}");
        assert_eq!(ninth["status"], "waitlist");
        // One leaves; the waitlist moves up by itself before the start.
        let (s, _) = call(
            &app,
            Method::DELETE,
            &format!("{players}/{}", ids[0]),
            Some(&tok),
            None,
        )
        .await;
        assert_eq!(s, 204);
        let (s, t) = call(
            &app,
            Method::POST,
            &format!("/api/v1/tournaments/{tid}/start"),
            Some(&tok),
            None,
        )
        .await;
        assert_eq!(s, 200, "{t}");
        // A late arrival waits until an organizer brings them in.
        let (s, late) = call(
            &app,
            Method::POST,
            &players,
            Some(&tok),
            Some(json!({"name": "Late Larry"})),
        )
        .await;
        assert_eq!(s, 201, "{late}");
        assert_eq!(late["status"], "waitlist");
        assert_eq!(late["late"], true);
        let activate = format!("{players}/{}/activate", late["id"]);
        let (s, b) = call(&app, Method::POST, &activate, Some(&mal), None).await;
        error_of(s, &b, 403, "forbidden");
        let (s, b) = call(&app, Method::POST, &activate, None, None).await;
        error_of(s, &b, 401, "unauthorized");
        let (_, regs) = call(&app, Method::GET, &players, None, None).await;
        let larry = regs
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == late["id"])
            .unwrap()
            .clone();
        assert_eq!(larry["status"], "waitlist", "nothing changed: {larry}");
        let (s, reg) = call(&app, Method::POST, &activate, Some(&tok), None).await;
        assert_eq!(s, 200, "{reg}");
        assert_eq!(reg["status"], "active");
        let (_, rounds) = call(
            &app,
            Method::GET,
            &format!("/api/v1/tournaments/{tid}/rounds"),
            None,
            None,
        )
        .await;
        let lid = late["id"].as_i64().unwrap();
        assert!(
            all_matches(&rounds).iter().any(|m| m["team_a"]
                .as_array()
                .unwrap()
                .iter()
                .chain(m["team_b"].as_array().unwrap())
                .any(|p| p.as_i64() == Some(lid))),
            "the unplayed rounds were re-planned with the newcomer"
        );
        let (s, b) = call(
            &app,
            Method::POST,
            &format!("{players}/987654/activate"),
            Some(&tok),
            None,
        )
        .await;
        error_of(s, &b, 404, "not_found");

        // Round timers.
        let timer = format!("/api/v1/tournaments/{tid}/rounds/1/timer");
        let (s, b) = call(&app, Method::POST, &timer, Some(&mal), None).await;
        error_of(s, &b, 403, "forbidden");
        let (_, rounds) = call(
            &app,
            Method::GET,
            &format!("/api/v1/tournaments/{tid}/rounds"),
            None,
            None,
        )
        .await;
        assert!(rounds["rounds"][0]["started_at"].is_null(), "not started");
        let (s, round) = call(&app, Method::POST, &timer, Some(&tok), None).await;
        assert_eq!(s, 200, "{round}");
        assert_eq!(round["number"], 1);
        assert!(
            round["started_at"]
                .as_str()
                .is_some_and(|d| d.ends_with('Z')),
            "{round}"
        );
        let (s, b) = call(
            &app,
            Method::POST,
            &format!("/api/v1/tournaments/{tid}/rounds/99/timer"),
            Some(&tok),
            None,
        )
        .await;
        error_of(s, &b, 404, "not_found");

        // Finish, then reopen.
        score_all(&app, &tok, tid).await;
        let (s, t) = call(
            &app,
            Method::POST,
            &format!("/api/v1/tournaments/{tid}/finish"),
            Some(&tok),
            None,
        )
        .await;
        assert_eq!(s, 200, "{t}");
        let reopen = format!("/api/v1/tournaments/{tid}/reopen");
        let (s, b) = call(&app, Method::POST, &reopen, Some(&mal), None).await;
        error_of(s, &b, 403, "forbidden");
        let (_, t) = call(
            &app,
            Method::GET,
            &format!("/api/v1/tournaments/{tid}"),
            None,
            None,
        )
        .await;
        assert_eq!(t["status"], "finished", "nothing changed");
        let (s, t) = call(&app, Method::POST, &reopen, Some(&tok), None).await;
        assert_eq!(s, 200, "{t}");
        assert_eq!(t["status"], "live");
        assert!(t["finished_at"].is_null());
        let stored = tournament_results::Entity::find()
            .filter(tournament_results::Column::TournamentId.eq(tid))
            .all(&app.db)
            .await
            .unwrap();
        assert!(
            stored.is_empty(),
            "final standings dropped until finished again"
        );
        let (s, b) = call(&app, Method::POST, &reopen, Some(&tok), None).await;
        error_of(s, &b, 409, "conflict");
    }
);

both!(
    groups_organizers_and_my_tournaments,
    |app: TestApp| async move {
        register(&app, "org@club.test", "Olga Organizer").await;
        let tok = token(&app, "org@club.test").await;
        register(&app, "eve@club.test", "Eve Helper").await;
        let eve = token(&app, "eve@club.test").await;
        register(&app, "mal@club.test", "Mallory").await;
        let mal = token(&app, "mal@club.test").await;
        let (s, t) = call(
            &app,
            Method::POST,
            "/api/v1/tournaments",
            Some(&tok),
            Some(json!({"name": "Mixed night", "format": "mixed_americano",
                "courts": 1, "max_players": 8, "is_public": true})),
        )
        .await;
        assert_eq!(s, 201, "{t}");
        let tid = t["id"].as_i64().unwrap();
        let (s, reg) = call(
            &app,
            Method::POST,
            &format!("/api/v1/tournaments/{tid}/players"),
            Some(&tok),
            Some(json!({"name": "Gina"})),
        )
        .await;
        assert_eq!(s, 201);
        let group = format!("/api/v1/tournaments/{tid}/players/{}/group", reg["id"]);

        // Groups: organizers only, A or B.
        let (s, b) = call(
            &app,
            Method::PUT,
            &group,
            Some(&mal),
            Some(json!({"group": "B"})),
        )
        .await;
        error_of(s, &b, 403, "forbidden");
        let (s, b) = call(
            &app,
            Method::PUT,
            &group,
            Some(&tok),
            Some(json!({"group": "C"})),
        )
        .await;
        assert!(error_of(s, &b, 422, "validation_failed")["fields"]["group"].is_string());
        let (s, b) = call(&app, Method::PUT, &group, Some(&tok), Some(json!({}))).await;
        error_of(s, &b, 400, "bad_request");
        let (s, r) = call(
            &app,
            Method::PUT,
            &group,
            Some(&tok),
            Some(json!({"group": "B"})),
        )
        .await;
        assert_eq!(s, 200, "{r}");
        assert_eq!(r["group"], "B");
        assert_eq!(r["id"], reg["id"]);

        // Co-organizers: the owner adds them; organizers see the list.
        let orgs = format!("/api/v1/tournaments/{tid}/organizers");
        let (s, b) = call(&app, Method::GET, &orgs, Some(&eve), None).await;
        error_of(s, &b, 403, "forbidden");
        let (s, b) = call(&app, Method::GET, &orgs, None, None).await;
        error_of(s, &b, 401, "unauthorized");
        let (s, b) = call(
            &app,
            Method::POST,
            &orgs,
            Some(&mal),
            Some(json!({"email": "mal@club.test"})),
        )
        .await;
        error_of(s, &b, 403, "forbidden");
        let (s, b) = call(
            &app,
            Method::POST,
            &orgs,
            Some(&tok),
            Some(json!({"email": "nobody@club.test"})),
        )
        .await;
        assert!(error_of(s, &b, 422, "validation_failed")["fields"]["email"].is_string());
        let (s, o) = call(
            &app,
            Method::POST,
            &orgs,
            Some(&tok),
            Some(json!({"email": "eve@club.test"})),
        )
        .await;
        assert_eq!(s, 201, "{o}");
        assert_eq!(o["display_name"], "Eve Helper");
        assert_eq!(o["role"], "co_organizer");
        assert!(o.get("email").is_none(), "no emails in lists");
        let (s, list) = call(&app, Method::GET, &orgs, Some(&eve), None).await;
        assert_eq!(s, 200, "{list}");
        let roles: Vec<(String, String)> = list
            .as_array()
            .unwrap()
            .iter()
            .map(|o| {
                (
                    o["display_name"].as_str().unwrap().to_string(),
                    o["role"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        assert_eq!(
            roles,
            vec![
                ("Olga Organizer".to_string(), "organizer".to_string()),
                ("Eve Helper".to_string(), "co_organizer".to_string())
            ]
        );
        // A co-organizer may set groups, not add more organizers.
        let (s, _) = call(
            &app,
            Method::PUT,
            &group,
            Some(&eve),
            Some(json!({"group": "A"})),
        )
        .await;
        assert_eq!(s, 200);
        let (s, b) = call(
            &app,
            Method::POST,
            &orgs,
            Some(&eve),
            Some(json!({"email": "mal@club.test"})),
        )
        .await;
        error_of(s, &b, 403, "forbidden");

        // My tournaments: organized, co-organized or played; nobody else's.
        let mine = "/api/v1/users/me/tournaments";
        let ids_of = |v: &Value| -> Vec<i64> {
            v.as_array()
                .unwrap()
                .iter()
                .map(|t| t["id"].as_i64().unwrap())
                .collect()
        };
        let (s, list) = call(&app, Method::GET, mine, Some(&tok), None).await;
        assert_eq!(s, 200, "{list}");
        assert_eq!(ids_of(&list), vec![tid]);
        let (_, list) = call(&app, Method::GET, mine, Some(&eve), None).await;
        assert_eq!(ids_of(&list), vec![tid], "co-organized");
        let (_, list) = call(&app, Method::GET, mine, Some(&mal), None).await;
        assert!(ids_of(&list).is_empty(), "{list}");
        let (s, _) = call(
            &app,
            Method::POST,
            &format!("/api/v1/tournaments/{tid}/players"),
            Some(&mal),
            Some(json!({"self": true})),
        )
        .await;
        assert_eq!(s, 201);
        let (_, list) = call(&app, Method::GET, mine, Some(&mal), None).await;
        assert_eq!(ids_of(&list), vec![tid], "played");
        assert_eq!(list[0]["name"], "Mixed night");
        let (s, b) = call(&app, Method::GET, mine, None, None).await;
        error_of(s, &b, 401, "unauthorized");
    }
);
