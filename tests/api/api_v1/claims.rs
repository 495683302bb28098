//! Guests claim their history: "that guest was me", confirmed by an
//! organizer; the registration, the rating and the statistics move to the
//! account in one transaction.
use super::*;
use tornetic::entities::{claims, player_ratings, tournament_player};
use tornetic::services::player_ratings as pr;

/// Starts a tournament and scores all its matches (16–8); returns the matches.
async fn play_through(app: &TestApp, tok: &str, tid: i64) -> Vec<Value> {
    let (s, _) = call(
        app,
        Method::POST,
        &format!("/api/v1/tournaments/{tid}/start"),
        Some(tok),
        None,
    )
    .await;
    assert_eq!(s, 200);
    let (_, rounds) = call(
        app,
        Method::GET,
        &format!("/api/v1/tournaments/{tid}/rounds"),
        None,
        None,
    )
    .await;
    let ms = all_matches(&rounds);
    for m in &ms {
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
    ms
}

fn plays(m: &Value, reg: i64) -> bool {
    ["team_a", "team_b"].iter().any(|side| {
        m[side]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p.as_i64() == Some(reg))
    })
}

both!(
    a_confirmed_claim_moves_the_guests_history_to_the_account,
    |app: TestApp| async move {
        // Tournament 1: eight guests, all matches played.
        let (tok, t1, ids) = organizer_with_draft(&app).await;
        let ms1 = play_through(&app, &tok, t1).await;
        let guest = ids[2];
        let guest_matches = ms1.iter().filter(|m| plays(m, guest)).count() as u64;
        assert!(guest_matches > 0);

        // Tournament 2: Gus plays signed in, with seven guests.
        let gus_user = register(&app, "gus@club.test", "Gus").await;
        let gus_id = gus_user["id"].as_i64().unwrap();
        let gus = token(&app, "gus@club.test").await;
        register(&app, "mal@club.test", "Mallory").await;
        let mal = token(&app, "mal@club.test").await;
        let (_, t) = call(
            &app,
            Method::POST,
            "/api/v1/tournaments",
            Some(&tok),
            Some(json!({"name": "Second", "courts": 2, "max_players": 8, "is_public": true})),
        )
        .await;
        let t2 = t["id"].as_i64().unwrap();
        let (s, own) = call(
            &app,
            Method::POST,
            &format!("/api/v1/tournaments/{t2}/players"),
            Some(&gus),
            Some(json!({})),
        )
        .await;
        assert_eq!(s, 201);
        let mut t2_guest = 0;
        for i in 1..=7 {
            let (_, r) = call(
                &app,
                Method::POST,
                &format!("/api/v1/tournaments/{t2}/players"),
                Some(&tok),
                Some(json!({"name": format!("Other {i}")})),
            )
            .await;
            t2_guest = r["id"].as_i64().unwrap();
        }
        let ms2 = play_through(&app, &tok, t2).await;
        let own_id = own["id"].as_i64().unwrap();
        let own_matches = ms2.iter().filter(|m| plays(m, own_id)).count() as u64;
        let profile = |app: &TestApp| {
            let app = app.new_browser();
            async move {
                let (s, p) = call(
                    &app,
                    Method::GET,
                    &format!("/api/v1/players/{gus_id}"),
                    None,
                    None,
                )
                .await;
                assert_eq!(s, 200, "{p}");
                p
            }
        };
        let before = profile(&app).await;
        assert_eq!(before["statistics"]["matches"], own_matches);
        assert_eq!(before["statistics"]["tournaments"], 1);

        // Refusals: an account's registration, a tournament Gus plays in.
        let (s, b) = call(
            &app,
            Method::POST,
            &format!("/api/v1/tournaments/{t2}/players/{own_id}/claim"),
            Some(&gus),
            None,
        )
        .await;
        error_of(s, &b, 409, "conflict");
        let (s, b) = call(
            &app,
            Method::POST,
            &format!("/api/v1/tournaments/{t2}/players/{t2_guest}/claim"),
            Some(&gus),
            None,
        )
        .await;
        error_of(s, &b, 409, "conflict");
        let claim_path = format!("/api/v1/tournaments/{t1}/players/{guest}/claim");
        let (s, b) = call(&app, Method::POST, &claim_path, None, None).await;
        error_of(s, &b, 401, "unauthorized");

        // Gus asks (twice: the same claim); Mallory asks for the same guest.
        let (s, claim) = call(&app, Method::POST, &claim_path, Some(&gus), None).await;
        assert_eq!(s, 201, "{claim}");
        assert_eq!(claim["status"], "pending");
        assert_eq!(claim["registration_id"], guest);
        assert_eq!(claim["registration_name"], "Player 3");
        assert_eq!(claim["user_id"], gus_id);
        assert_eq!(claim["user_display_name"], "Gus");
        assert_eq!(claim["tournament_id"], t1);
        let (s, again) = call(&app, Method::POST, &claim_path, Some(&gus), Some(json!({}))).await;
        assert_eq!(s, 201);
        assert_eq!(again["id"], claim["id"]);
        let (s, rival) = call(&app, Method::POST, &claim_path, Some(&mal), None).await;
        assert_eq!(s, 201, "{rival}");

        // Only organizers see and decide claims.
        let list = format!("/api/v1/tournaments/{t1}/claims");
        let (s, b) = call(&app, Method::GET, &list, Some(&mal), None).await;
        error_of(s, &b, 403, "forbidden");
        let (s, pending) = call(&app, Method::GET, &list, Some(&tok), None).await;
        assert_eq!(s, 200, "{pending}");
        assert_eq!(pending.as_array().unwrap().len(), 2);
        let confirm = format!("/api/v1/claims/{}/confirm", claim["id"]);
        let ratings_before = player_ratings::Entity::find().all(&app.db).await.unwrap();
        for who in [&mal, &gus] {
            let (s, b) = call(&app, Method::POST, &confirm, Some(who), None).await;
            error_of(s, &b, 403, "forbidden");
            let (s, b) = call(
                &app,
                Method::POST,
                &format!("/api/v1/claims/{}/reject", claim["id"]),
                Some(who),
                None,
            )
            .await;
            error_of(s, &b, 403, "forbidden");
        }
        // … and nothing changed.
        let reg = tournament_player::Entity::find_by_id(guest)
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(reg.user_id, None);
        let c = claims::Entity::find_by_id(claim["id"].as_i64().unwrap())
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(c.status, "pending");
        assert_eq!(
            player_ratings::Entity::find().all(&app.db).await.unwrap(),
            ratings_before
        );
        assert_eq!(profile(&app).await, before);

        // The organizer confirms Gus's claim.
        let (s, done) = call(&app, Method::POST, &confirm, Some(&tok), None).await;
        assert_eq!(s, 200, "{done}");
        assert_eq!(done["status"], "confirmed");
        let reg = tournament_player::Entity::find_by_id(guest)
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(reg.user_id, Some(gus_id));
        // Stored ratings are exactly a replay with the guest's matches as Gus's.
        let report = pr::rebuild(&app.db, false).await.unwrap();
        assert!(report.differences.is_empty(), "{report}");
        let guest_rows = player_ratings::Entity::find()
            .filter(player_ratings::Column::RegistrationId.eq(guest))
            .all(&app.db)
            .await
            .unwrap();
        assert!(
            guest_rows.is_empty(),
            "the guest's own rating is merged away"
        );
        let after = profile(&app).await;
        assert_eq!(
            after["statistics"]["matches"],
            own_matches + guest_matches,
            "{after}"
        );
        assert_eq!(after["statistics"]["tournaments"], 2);
        assert_eq!(
            after["rating"]["matches"].as_u64(),
            Some(own_matches + guest_matches)
        );
        let (_, hist) = call(
            &app,
            Method::GET,
            &format!("/api/v1/players/{gus_id}/rating-history"),
            None,
            None,
        )
        .await;
        assert_eq!(
            hist["changes"].as_array().unwrap().len() as u64,
            own_matches + guest_matches
        );
        assert_ne!(after["rating"]["mu"], before["rating"]["mu"]);
        // Mallory's rival claim was turned down with it; no second decision.
        let (_, pending) = call(&app, Method::GET, &list, Some(&tok), None).await;
        assert!(pending.as_array().unwrap().is_empty(), "{pending}");
        let rival_row = claims::Entity::find_by_id(rival["id"].as_i64().unwrap())
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(rival_row.status, "rejected");
        let (s, b) = call(&app, Method::POST, &confirm, Some(&tok), None).await;
        error_of(s, &b, 409, "conflict");
        let (s, b) = call(&app, Method::POST, &claim_path, Some(&mal), None).await;
        error_of(s, &b, 409, "conflict");
        let (_, regs) = call(
            &app,
            Method::GET,
            &format!("/api/v1/tournaments/{t1}/players"),
            None,
            None,
        )
        .await;
        let row = regs
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == guest)
            .unwrap()
            .clone();
        assert_eq!(row["user_id"], gus_id);

        // A rejected claim stays rejected.
        let other = ids[3];
        let (s, c) = call(
            &app,
            Method::POST,
            &format!("/api/v1/tournaments/{t1}/players/{other}/claim"),
            Some(&mal),
            None,
        )
        .await;
        assert_eq!(s, 201);
        let (s, r) = call(
            &app,
            Method::POST,
            &format!("/api/v1/claims/{}/reject", c["id"]),
            Some(&tok),
            None,
        )
        .await;
        assert_eq!(s, 200, "{r}");
        assert_eq!(r["status"], "rejected");
        let (s, b) = call(
            &app,
            Method::POST,
            &format!("/api/v1/tournaments/{t1}/players/{other}/claim"),
            Some(&mal),
            None,
        )
        .await;
        error_of(s, &b, 409, "conflict");
        let (s, b) = call(
            &app,
            Method::POST,
            "/api/v1/claims/987654/confirm",
            Some(&tok),
            None,
        )
        .await;
        error_of(s, &b, 404, "not_found");
    }
);
