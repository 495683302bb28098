//! Whole tournaments through the HTML routes, for every format.
use crate::both;
use crate::helpers::TestApp;
use crate::tournaments::{organizer_with_players, play_all, stored_matches};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use std::collections::{HashMap, HashSet};
use tornetic::entities::{rounds, tournament_player, tournaments};
use tornetic::services::tournaments as tsvc;

async fn stored_rounds(app: &TestApp, tid: i64) -> Vec<rounds::Model> {
    rounds::Entity::find()
        .filter(rounds::Column::TournamentId.eq(tid))
        .order_by_asc(rounds::Column::Number)
        .all(&app.db)
        .await
        .unwrap()
}

async fn standings(app: &TestApp, tid: i64) -> Vec<tornetic::services::standings::Row> {
    let t = tournaments::Entity::find_by_id(tid)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    tsvc::load_full(&app.db, t).await.unwrap().standings()
}

/// Each round: 4 distinct players a match, nobody twice, sit-outs are the rest.
async fn check_rounds(app: &TestApp, tid: i64, n_players: usize) {
    check_rounds_from(app, tid, n_players, 1).await
}

/// As `check_rounds`, from round `from` on (earlier rounds had other players).
async fn check_rounds_from(app: &TestApp, tid: i64, n_players: usize, from: i32) {
    let regs: HashSet<i64> = tournament_player::Entity::find()
        .filter(tournament_player::Column::TournamentId.eq(tid))
        .all(&app.db)
        .await
        .unwrap()
        .iter()
        .map(|r| r.id)
        .collect();
    assert!(regs.len() >= n_players);
    let ms = stored_matches(app, tid).await;
    for r in stored_rounds(app, tid)
        .await
        .into_iter()
        .filter(|r| r.number >= from)
    {
        let playing: Vec<i64> = ms
            .iter()
            .filter(|m| m.round_id == r.id)
            .flat_map(|m| [m.a1, m.a2, m.b1, m.b2])
            .collect();
        let set: HashSet<i64> = playing.iter().copied().collect();
        assert_eq!(
            set.len(),
            playing.len(),
            "round {}: nobody plays twice",
            r.number
        );
        let sitting: HashSet<i64> = serde_json::from_str::<Vec<i64>>(&r.sitting_out)
            .unwrap()
            .into_iter()
            .collect();
        assert!(set.is_disjoint(&sitting));
        assert_eq!(
            set.len() + sitting.len(),
            n_players,
            "round {}: sit-outs are exactly the rest",
            r.number
        );
    }
}

both!(
    americano_13_players_3_courts_with_sit_outs,
    |app: TestApp| async move {
        let tid =
            organizer_with_players(&app, 13, &[("courts", "3"), ("sit_out_comp", "half_match")])
                .await;
        assert_eq!(
            app.post(&format!("/tournaments/{tid}/start"), &[])
                .await
                .status()
                .as_u16(),
            303
        );
        let rs = stored_rounds(&app, tid).await;
        assert_eq!(rs.len(), 13, "4n+1 players: N rounds");
        check_rounds(&app, tid, 13).await;
        let mut sat: HashMap<i64, usize> = HashMap::new();
        for r in &rs {
            for id in serde_json::from_str::<Vec<i64>>(&r.sitting_out).unwrap() {
                *sat.entry(id).or_default() += 1;
            }
        }
        assert_eq!(sat.len(), 13, "everyone sits out");
        assert!(sat.values().all(|n| *n == 1), "exactly once each: {sat:?}");
        // Standings after round 1: three matches counted, the sitter gets half the match points.
        let r1: Vec<_> = stored_matches(&app, tid)
            .await
            .into_iter()
            .filter(|m| m.round_id == rs[0].id)
            .collect();
        for m in &r1 {
            app.post(
                &format!("/matches/{}/score", m.id),
                &[("score_a", "15"), ("score_b", "9"), ("version", "0")],
            )
            .await;
        }
        let st = standings(&app, tid).await;
        let sitter = serde_json::from_str::<Vec<i64>>(&rs[0].sitting_out).unwrap()[0];
        let row = st.iter().find(|r| r.player_id == sitter).unwrap();
        assert_eq!((row.points, row.played), (12.0, 0));
        assert_eq!(st[0].points, 15.0);
        assert_eq!(st.iter().filter(|r| r.points == 15.0).count(), 6);
        play_all(&app, tid, 24).await;
        assert_eq!(
            app.post(&format!("/tournaments/{tid}/finish"), &[])
                .await
                .status()
                .as_u16(),
            303
        );
        let st = standings(&app, tid).await;
        assert!(
            st.iter().all(|r| r.played == 12),
            "everyone played 12 of 13 rounds"
        );
    }
);

both!(
    edits_and_clears_move_the_standings,
    |app: TestApp| async move {
        let tid = organizer_with_players(&app, 8, &[]).await;
        app.post(&format!("/tournaments/{tid}/start"), &[]).await;
        let m = stored_matches(&app, tid).await.remove(0);
        app.post(
            &format!("/matches/{}/score", m.id),
            &[("score_a", "20"), ("score_b", "4"), ("version", "0")],
        )
        .await;
        let p = |st: &Vec<tornetic::services::standings::Row>, id: i64| {
            st.iter().find(|r| r.player_id == id).unwrap().points
        };
        assert_eq!(p(&standings(&app, tid).await, m.a1), 20.0);
        app.post(
            &format!("/matches/{}/score", m.id),
            &[("score_a", "10"), ("score_b", "14"), ("version", "1")],
        )
        .await;
        let st = standings(&app, tid).await;
        assert_eq!((p(&st, m.a1), p(&st, m.b1)), (10.0, 14.0));
        assert!(st[0].player_id == m.b1 || st[0].player_id == m.b2);
        app.post(
            &format!("/matches/{}/score", m.id),
            &[("clear", "1"), ("version", "2")],
        )
        .await;
        let st = standings(&app, tid).await;
        assert!(
            st.iter().all(|r| r.points == 0.0 && r.played == 0),
            "cleared"
        );
        assert!(st.iter().all(|r| r.rank == 1), "all tied");
    }
);

both!(
    mexicano_rounds_record_and_show_the_repeats_avoided,
    |app: TestApp| async move {
        let tid = organizer_with_players(
            &app,
            8,
            &[("format", "mexicano"), ("courts", "2"), ("rounds", "7")],
        )
        .await;
        app.post(&format!("/tournaments/{tid}/start"), &[]).await;
        loop {
            play_all(&app, tid, 24).await;
            let r = app
                .post(&format!("/tournaments/{tid}/next-round"), &[])
                .await;
            if r.status().as_u16() != 303 {
                assert_eq!(r.status().as_u16(), 409, "all planned rounds played");
                break;
            }
        }
        let rs = stored_rounds(&app, tid).await;
        assert_eq!(rs.len(), 7);
        assert_eq!(rs[0].repeats_avoided, Some(0), "round 1 has no history");
        // Eight players partner 7 others each: by round 7 the ranking rule repeats.
        let avoided: Vec<i32> = rs.iter().map(|r| r.repeats_avoided.unwrap_or(-1)).collect();
        assert!(avoided.iter().all(|&k| k >= 0), "{avoided:?}");
        assert!(avoided.iter().sum::<i32>() > 0, "{avoided:?}");
        for r in &rs {
            let (status, page) = app
                .get_text(&format!("/tournaments/{tid}/rounds/{}", r.number))
                .await;
            assert_eq!(status, 200);
            let k = r.repeats_avoided.unwrap_or(0);
            assert_eq!(
                page.contains(&format!("Smart draw: {k} repeat partnership")),
                k > 0,
                "round {}",
                r.number
            );
        }
    }
);

both!(
    mexicano_12_players_round_by_round,
    |app: TestApp| async move {
        let tid = organizer_with_players(
            &app,
            12,
            &[("format", "mexicano"), ("courts", "3"), ("rounds", "4")],
        )
        .await;
        app.post(&format!("/tournaments/{tid}/start"), &[]).await;
        assert_eq!(
            stored_rounds(&app, tid).await.len(),
            1,
            "Mexicano starts with one round"
        );
        assert_eq!(
            app.post(&format!("/tournaments/{tid}/next-round"), &[])
                .await
                .status()
                .as_u16(),
            409,
            "round 1 not complete"
        );
        for round in 1..=4 {
            check_rounds(&app, tid, 12).await;
            play_all(&app, tid, 24).await;
            let st = standings(&app, tid).await;
            assert!(
                st.iter().all(|r| r.played == round as u32),
                "after round {round}"
            );
            let r = app
                .post(&format!("/tournaments/{tid}/next-round"), &[])
                .await
                .status()
                .as_u16();
            if round < 4 {
                assert_eq!(r, 303);
                // The new round groups players by rank: the top four share court 1.
                let rs = stored_rounds(&app, tid).await;
                let last = rs.last().unwrap();
                let court1 = stored_matches(&app, tid)
                    .await
                    .into_iter()
                    .find(|m| m.round_id == last.id && m.court == 1)
                    .unwrap();
                let top: HashSet<i64> = st.iter().take(4).map(|r| r.player_id).collect();
                let c1: HashSet<i64> = [court1.a1, court1.a2, court1.b1, court1.b2]
                    .into_iter()
                    .collect();
                assert!(
                    top.intersection(&c1).count() >= 3,
                    "court 1 is (nearly) the top four"
                );
            } else {
                assert_eq!(r, 409, "all planned rounds played");
            }
        }
        assert_eq!(
            app.post(&format!("/tournaments/{tid}/finish"), &[])
                .await
                .status()
                .as_u16(),
            303
        );
    }
);

both!(
    team_americano_keeps_fixed_pairs,
    |app: TestApp| async move {
        let tid = organizer_with_players(&app, 8, &[("format", "team_americano")]).await;
        assert_eq!(
            app.post(&format!("/tournaments/{tid}/start"), &[])
                .await
                .status()
                .as_u16(),
            303
        );
        let regs: Vec<i64> = tournament_player::Entity::find()
            .filter(tournament_player::Column::TournamentId.eq(tid))
            .order_by_asc(tournament_player::Column::Position)
            .all(&app.db)
            .await
            .unwrap()
            .iter()
            .map(|r| r.id)
            .collect();
        let pairs: HashSet<(i64, i64)> = regs
            .chunks(2)
            .map(|c| (c[0].min(c[1]), c[0].max(c[1])))
            .collect();
        let ms = stored_matches(&app, tid).await;
        assert!(!ms.is_empty());
        for m in &ms {
            assert!(
                pairs.contains(&(m.a1.min(m.a2), m.a1.max(m.a2))),
                "team A is a fixed pair"
            );
            assert!(
                pairs.contains(&(m.b1.min(m.b2), m.b1.max(m.b2))),
                "team B is a fixed pair"
            );
        }
        // Round robin: every pair of teams meets once.
        type Pair = (i64, i64);
        let mut meetings: HashMap<(Pair, Pair), u32> = HashMap::new();
        for m in &ms {
            let a = (m.a1.min(m.a2), m.a1.max(m.a2));
            let b = (m.b1.min(m.b2), m.b1.max(m.b2));
            *meetings.entry((a.min(b), a.max(b))).or_default() += 1;
        }
        assert_eq!(meetings.len(), 6);
        assert!(meetings.values().all(|n| *n == 1));
        play_all(&app, tid, 24).await;
        assert_eq!(
            app.post(&format!("/tournaments/{tid}/finish"), &[])
                .await
                .status()
                .as_u16(),
            303
        );
    }
);

both!(
    mixed_americano_pairs_across_groups,
    |app: TestApp| async move {
        let tid = organizer_with_players(&app, 8, &[("format", "mixed_americano")]).await;
        let regs: Vec<i64> = tournament_player::Entity::find()
            .filter(tournament_player::Column::TournamentId.eq(tid))
            .order_by_asc(tournament_player::Column::Position)
            .all(&app.db)
            .await
            .unwrap()
            .iter()
            .map(|r| r.id)
            .collect();
        // Without a second group the start is refused with a clear message.
        let r = app.post(&format!("/tournaments/{tid}/start"), &[]).await;
        assert_eq!(r.status().as_u16(), 409);
        for id in &regs[4..] {
            app.post(
                &format!("/tournaments/{tid}/players/{id}"),
                &[("action", "group"), ("group", "B")],
            )
            .await;
        }
        assert_eq!(
            app.post(&format!("/tournaments/{tid}/start"), &[])
                .await
                .status()
                .as_u16(),
            303
        );
        let group_b: HashSet<i64> = regs[4..].iter().copied().collect();
        let ms = stored_matches(&app, tid).await;
        assert!(!ms.is_empty());
        for m in &ms {
            assert_ne!(
                group_b.contains(&m.a1),
                group_b.contains(&m.a2),
                "team A mixes the groups"
            );
            assert_ne!(
                group_b.contains(&m.b1),
                group_b.contains(&m.b2),
                "team B mixes the groups"
            );
        }
        check_rounds(&app, tid, 8).await;
    }
);

both!(
    late_player_and_withdrawal_replan_only_unplayed_rounds,
    |app: TestApp| async move {
        let tid = organizer_with_players(&app, 8, &[]).await;
        app.post(&format!("/tournaments/{tid}/start"), &[]).await;
        let rs = stored_rounds(&app, tid).await;
        let r1: Vec<_> = stored_matches(&app, tid)
            .await
            .into_iter()
            .filter(|m| m.round_id == rs[0].id)
            .collect();
        for m in &r1 {
            app.post(
                &format!("/matches/{}/score", m.id),
                &[("score_a", "13"), ("score_b", "11"), ("version", "0")],
            )
            .await;
        }
        let played_before: Vec<_> = stored_matches(&app, tid)
            .await
            .into_iter()
            .filter(|m| m.round_id == rs[0].id)
            .collect();
        // A late arrival joins the waitlist, then the organizer brings them in.
        app.post(
            &format!("/tournaments/{tid}/players"),
            &[("names", "Late Larry")],
        )
        .await;
        let larry = tournament_player::Entity::find()
            .filter(tournament_player::Column::Name.eq("Late Larry"))
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!((larry.status.as_str(), larry.late), ("waitlist", true));
        assert_eq!(
            app.post(
                &format!("/tournaments/{tid}/players/{}", larry.id),
                &[("action", "activate")]
            )
            .await
            .status()
            .as_u16(),
            303
        );
        let after = stored_matches(&app, tid).await;
        let rs2 = stored_rounds(&app, tid).await;
        assert_eq!(rs2.len(), rs.len(), "same number of rounds");
        assert_eq!(rs2[0].id, rs[0].id, "played round kept");
        let kept: Vec<_> = after
            .iter()
            .filter(|m| m.round_id == rs[0].id)
            .cloned()
            .collect();
        assert_eq!(kept, played_before, "played results untouched");
        check_rounds_from(&app, tid, 9, 2).await;
        let later: HashSet<i64> = after
            .iter()
            .filter(|m| m.round_id != rs[0].id)
            .flat_map(|m| [m.a1, m.a2, m.b1, m.b2])
            .collect();
        assert!(later.contains(&larry.id), "the late player is scheduled");
        // A withdrawal: they vanish from unplayed rounds but keep their result.
        let gone = played_before[0].a1;
        assert_eq!(
            app.post(
                &format!("/tournaments/{tid}/players/{gone}"),
                &[("action", "remove")]
            )
            .await
            .status()
            .as_u16(),
            303
        );
        let after = stored_matches(&app, tid).await;
        assert!(after
            .iter()
            .filter(|m| m.round_id != rs[0].id)
            .all(|m| ![m.a1, m.a2, m.b1, m.b2].contains(&gone)));
        assert!(
            standings(&app, tid)
                .await
                .iter()
                .any(|r| r.player_id == gone && r.played == 1),
            "their played result stays"
        );
    }
);

both!(
    balance_by_rating_pairs_strongest_with_weakest,
    |app: TestApp| async move {
        app.sign_up("org@club.test", "Olga").await;
        let tid = app
            .create_tournament(&[
                ("format", "team_americano"),
                ("courts", "1"),
                ("balance_by_rating", "on"),
            ])
            .await;
        let t = tournaments::Entity::find_by_id(tid)
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        assert!(t.balance_by_rating);
        // Four players with self-assessed levels 2, 5, 3, 6 join from the share link.
        let mut ids = HashMap::new();
        for (name, level) in [("Two", "2"), ("Five", "5"), ("Three", "3"), ("Six", "6")] {
            let b = app.new_browser();
            b.sign_up(&format!("{}@club.test", name.to_lowercase()), name)
                .await;
            b.post(
                "/profile",
                &[
                    ("display_name", name),
                    ("preferred_side", "both"),
                    ("self_level", level),
                ],
            )
            .await;
            b.post(&format!("/t/{}/join", t.share_code), &[]).await;
            let reg = tournament_player::Entity::find()
                .filter(tournament_player::Column::Name.eq(name))
                .one(&app.db)
                .await
                .unwrap()
                .unwrap();
            ids.insert(name, reg.id);
        }
        assert_eq!(
            app.post(&format!("/tournaments/{tid}/start"), &[])
                .await
                .status()
                .as_u16(),
            303
        );
        let m = stored_matches(&app, tid).await.remove(0);
        let pair = |a: i64, b: i64| (a.min(b), a.max(b));
        let teams: HashSet<(i64, i64)> = [pair(m.a1, m.a2), pair(m.b1, m.b2)].into_iter().collect();
        assert!(
            teams.contains(&pair(ids["Six"], ids["Two"])),
            "strongest with weakest"
        );
        assert!(teams.contains(&pair(ids["Five"], ids["Three"])));
    }
);
