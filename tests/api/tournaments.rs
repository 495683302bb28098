use crate::both;
use crate::helpers::TestApp;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use std::collections::HashSet;
use tornetic::entities::{matches, rounds, tournament_player, tournament_results, tournaments};

pub async fn stored_matches(app: &TestApp, tid: i64) -> Vec<matches::Model> {
    matches::Entity::find()
        .filter(matches::Column::TournamentId.eq(tid))
        .order_by_asc(matches::Column::Id)
        .all(&app.db)
        .await
        .unwrap()
}

pub async fn organizer_with_players(app: &TestApp, n: usize, fields: &[(&str, &str)]) -> i64 {
    app.sign_up("org@club.test", "Olga Organizer").await;
    let tid = app.create_tournament(fields).await;
    let names: Vec<String> = (1..=n).map(|i| format!("Player {i}")).collect();
    let r = app
        .post(
            &format!("/tournaments/{tid}/players"),
            &[("names", &names.join("\n"))],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    tid
}

/// Saves a valid score for every unplayed match of the tournament.
pub async fn play_all(app: &TestApp, tid: i64, total: i32) {
    for (i, m) in stored_matches(app, tid).await.into_iter().enumerate() {
        if m.score_a.is_some() {
            continue;
        }
        let a = (i as i32 * 7) % (total + 1);
        let r = app
            .post(
                &format!("/matches/{}/score", m.id),
                &[
                    ("score_a", &a.to_string()),
                    ("score_b", &(total - a).to_string()),
                    ("version", &m.version.to_string()),
                ],
            )
            .await;
        assert_eq!(
            r.status().as_u16(),
            303,
            "{}",
            r.text().await.unwrap_or_default()
        );
    }
}

both!(
    create_requires_sign_in_and_valid_fields,
    |app: TestApp| async move {
        let anon = app.new_browser();
        assert_eq!(
            anon.post("/tournaments", &[("name", "X")])
                .await
                .status()
                .as_u16(),
            401
        );
        app.sign_up("org@club.test", "Olga").await;
        let r = app
            .post(
                "/tournaments",
                &[
                    ("name", ""),
                    ("format", "bridge"),
                    ("scoring_mode", "points"),
                    ("scoring_target", "-3"),
                    ("courts", "99"),
                    ("max_players", "4"),
                    ("sit_out_comp", "none"),
                    ("tiebreak", "points"),
                ],
            )
            .await;
        assert_eq!(r.status().as_u16(), 422);
        let html = r.text().await.unwrap();
        for msg in [
            "Give the tournament a name",
            "Choose a format",
            "Points per match must be",
            "Courts must be",
        ] {
            assert!(html.contains(msg), "{msg}");
        }
        assert_eq!(tournaments::Entity::find().count(&app.db).await.unwrap(), 0);
    }
);

both!(
    americano_8_players_2_courts_runs_to_the_end,
    |app: TestApp| async move {
        let tid = organizer_with_players(&app, 8, &[]).await;
        let r = app.post(&format!("/tournaments/{tid}/start"), &[]).await;
        assert_eq!(r.status().as_u16(), 303);
        let ms = stored_matches(&app, tid).await;
        let rs = rounds::Entity::find()
            .filter(rounds::Column::TournamentId.eq(tid))
            .all(&app.db)
            .await
            .unwrap();
        assert_eq!(rs.len(), 7, "full schedule: N-1 rounds");
        assert_eq!(ms.len(), 14);
        for r in &rs {
            let in_round: Vec<_> = ms.iter().filter(|m| m.round_id == r.id).collect();
            let players: HashSet<i64> = in_round
                .iter()
                .flat_map(|m| [m.a1, m.a2, m.b1, m.b2])
                .collect();
            assert_eq!(players.len(), 8, "everyone plays once per round");
        }
        // Starting twice changes nothing.
        let again = app.post(&format!("/tournaments/{tid}/start"), &[]).await;
        assert_eq!(again.status().as_u16(), 409);
        assert_eq!(stored_matches(&app, tid).await.len(), 14);
        // Finishing early is refused.
        assert_eq!(
            app.post(&format!("/tournaments/{tid}/finish"), &[])
                .await
                .status()
                .as_u16(),
            409
        );
        play_all(&app, tid, 24).await;
        let r = app.post(&format!("/tournaments/{tid}/finish"), &[]).await;
        assert_eq!(r.status().as_u16(), 303);
        let results = tournament_results::Entity::find()
            .filter(tournament_results::Column::TournamentId.eq(tid))
            .all(&app.db)
            .await
            .unwrap();
        assert_eq!(results.len(), 8);
        let total: f64 = results.iter().map(|r| r.points).sum();
        assert_eq!(
            total,
            14.0 * 24.0 * 2.0,
            "every point counted for both partners"
        );
        let (_, html) = app.get_text(&format!("/tournaments/{tid}")).await;
        assert!(html.contains("Podium"));
    }
);

both!(too_few_players_cannot_start, |app: TestApp| async move {
    let tid = organizer_with_players(&app, 3, &[]).await;
    let r = app.post(&format!("/tournaments/{tid}/start"), &[]).await;
    assert_eq!(r.status().as_u16(), 409);
    assert!(r.text().await.unwrap().contains("At least 4 players"));
    let t = tournaments::Entity::find_by_id(tid)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(t.status, "draft");
    assert_eq!(stored_matches(&app, tid).await.len(), 0);
});

both!(
    invalid_scores_are_refused_on_the_card,
    |app: TestApp| async move {
        let tid = organizer_with_players(&app, 8, &[]).await;
        app.post(&format!("/tournaments/{tid}/start"), &[]).await;
        let m = stored_matches(&app, tid).await.remove(0);
        let path = format!("/matches/{}/score", m.id);
        for (a, b, msg) in [
            ("-1", "25", "cannot be negative"),
            ("14", "11", "must add up to 24"),
            ("30", "-6", "cannot be negative"),
            ("abc", "3", "whole numbers"),
            ("14", "", "Enter both scores"),
        ] {
            let r = app
                .post_hx(&path, &[("score_a", a), ("score_b", b), ("version", "0")])
                .await;
            assert_eq!(r.status().as_u16(), 422, "{a}-{b}");
            let html = r.text().await.unwrap();
            assert!(html.contains(msg), "{msg}: {html}");
            assert!(
                html.contains(&format!("id=\"match-{}\"", m.id)),
                "the card comes back"
            );
        }
        let stored = matches::Entity::find_by_id(m.id)
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!((stored.score_a, stored.version), (None, 0), "nothing saved");
        let ok = app
            .post_hx(
                &path,
                &[("score_a", "14"), ("score_b", "10"), ("version", "0")],
            )
            .await;
        assert_eq!(ok.status().as_u16(), 200);
        assert!(ok.text().await.unwrap().contains("Saved"));
    }
);

both!(
    stale_version_is_refused_with_the_stored_score,
    |app: TestApp| async move {
        let tid = organizer_with_players(&app, 8, &[]).await;
        app.post(&format!("/tournaments/{tid}/start"), &[]).await;
        let m = stored_matches(&app, tid).await.remove(0);
        let path = format!("/matches/{}/score", m.id);
        assert_eq!(
            app.post_hx(
                &path,
                &[("score_a", "14"), ("score_b", "10"), ("version", "0")]
            )
            .await
            .status()
            .as_u16(),
            200
        );
        let r = app
            .post_hx(
                &path,
                &[("score_a", "20"), ("score_b", "4"), ("version", "0")],
            )
            .await;
        assert_eq!(r.status().as_u16(), 409);
        assert!(r.text().await.unwrap().contains("14–10"));
        let stored = matches::Entity::find_by_id(m.id)
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            (stored.score_a, stored.score_b, stored.version),
            (Some(14), Some(10), 1)
        );
    }
);

both!(
    twenty_simultaneous_saves_one_wins,
    |app: TestApp| async move {
        let tid = organizer_with_players(&app, 8, &[]).await;
        app.post(&format!("/tournaments/{tid}/start"), &[]).await;
        let m = stored_matches(&app, tid).await.remove(0);
        let token = app.csrf().await;
        let path = app.url(&format!("/matches/{}/score", m.id));
        let mut handles = vec![];
        for i in 0..20 {
            let c = app.client.clone();
            let (path, token) = (path.clone(), token.clone());
            handles.push(tokio::spawn(async move {
                let a = (i % 25).to_string();
                let b = (24 - (i % 25)).to_string();
                let r = c
                    .post(&path)
                    .header("HX-Request", "true")
                    .header("X-CSRF-Token", token)
                    .form(&[
                        ("score_a", a.as_str()),
                        ("score_b", b.as_str()),
                        ("version", "0"),
                    ])
                    .send()
                    .await
                    .unwrap();
                (r.status().as_u16(), i)
            }));
        }
        let mut ok = vec![];
        let mut conflicts = 0;
        for h in handles {
            let (s, i) = h.await.unwrap();
            match s {
                200 => ok.push(i),
                409 => conflicts += 1,
                other => panic!("unexpected status {other}"),
            }
        }
        assert_eq!(ok.len(), 1, "exactly one save wins");
        assert_eq!(conflicts, 19);
        let stored = matches::Entity::find_by_id(m.id)
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        let i = ok[0];
        assert_eq!(
            (stored.score_a, stored.score_b, stored.version),
            (Some(i % 25), Some(24 - i % 25), 1)
        );
    }
);

both!(guests_join_from_the_share_link, |app: TestApp| async move {
    let tid = organizer_with_players(&app, 7, &[]).await;
    let t = tournaments::Entity::find_by_id(tid)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let phone = app.new_browser();
    let (s, html) = phone.get_text(&format!("/t/{}", t.share_code)).await;
    assert_eq!(s, 200);
    assert!(html.contains("Join this tournament"));
    let r = phone
        .post(
            &format!("/t/{}/join", t.share_code),
            &[("name", "Player 1")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 422, "duplicate name gets a prompt");
    let r = phone
        .post(
            &format!("/t/{}/join", t.share_code),
            &[("name", "Zoe <script>alert(1)</script>")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let (_, html) = phone.get_text(&format!("/t/{}", t.share_code)).await;
    assert!(
        html.contains("Hi Zoe &#60;script&#62;"),
        "escaped name: {html}"
    );
    assert!(!html.contains("<script>alert(1)"));
    let n = tournament_player::Entity::find()
        .filter(tournament_player::Column::TournamentId.eq(tid))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(n, 8);
    // Organizer starts; the phone sees its next match.
    app.post(&format!("/tournaments/{tid}/start"), &[]).await;
    let (_, html) = phone.get_text(&format!("/t/{}", t.share_code)).await;
    assert!(html.contains("Your next match"), "{html}");
});

both!(
    other_players_cannot_manage_someone_elses_tournament,
    |app: TestApp| async move {
        let tid = organizer_with_players(&app, 8, &[]).await;
        let intruder = app.new_browser();
        intruder.sign_up("eve@club.test", "Eve").await;
        for path in ["start", "finish", "reopen", "next-round", "delete"] {
            let r = intruder
                .post(&format!("/tournaments/{tid}/{path}"), &[])
                .await;
            assert_eq!(r.status().as_u16(), 403, "{path}");
        }
        let r = intruder
            .post(
                &format!("/tournaments/{tid}/players"),
                &[("names", "Mallory")],
            )
            .await;
        assert_eq!(r.status().as_u16(), 403);
        let t = tournaments::Entity::find_by_id(tid)
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(t.status, "draft");
        assert_eq!(stored_matches(&app, tid).await.len(), 0);
    }
);

both!(
    the_preview_says_how_many_players_miss_the_court_bound,
    |app: TestApp| async move {
        // The whole Wh(24) on six courts: its stored court order leaves 7 players with
        // counts two apart; 20 players on five courts have a design with none.
        let (status, html) = app
            .get_text("/tournaments/preview?players=24&format=americano&courts=6&max_players=24")
            .await;
        assert_eq!(status, 200, "{html}");
        assert!(
            html.contains("2 (ideal ≤ 1; 7 of 24 players over)"),
            "{html}"
        );
        let (_, html) = app
            .get_text("/tournaments/preview?players=20&format=americano&courts=5&max_players=20")
            .await;
        assert!(html.contains("1 (ideal ≤ 1)"), "{html}");
    }
);
