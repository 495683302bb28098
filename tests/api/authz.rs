//! The authorization matrix: every state-changing tournament route, for
//! anonymous, player, other organizer, co-organizer, organizer and admin.
use crate::both;
use crate::helpers::TestApp;
use crate::tournaments::stored_matches;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use tornetic::entities::{tournament_player, tournaments};

#[derive(Clone, Copy, Debug, PartialEq)]
enum Who {
    Anonymous,
    Player,
    OtherOrganizer,
    CoOrganizer,
    Organizer,
    Admin,
}

/// A tournament in the given state, with an organizer, a co-organizer, a
/// registered player (an account) and 7 guests; returns the browsers by role.
async fn setup(app: &TestApp, start: bool) -> (i64, Vec<(Who, TestApp)>) {
    let org = app.new_browser();
    org.sign_up("org@club.test", "Olga").await;
    let co = app.new_browser();
    co.sign_up("co@club.test", "Cora").await;
    let player = app.new_browser();
    player.sign_up("player@club.test", "Pia").await;
    let other = app.new_browser();
    other.sign_up("other@club.test", "Otto").await;
    other.create_tournament(&[("name", "Otto's")]).await;
    let admin = app.new_browser();
    admin.sign_up("admin@club.test", "Ada").await;
    let tid = org.create_tournament(&[]).await;
    org.post(
        &format!("/tournaments/{tid}/organizers"),
        &[("email", "co@club.test")],
    )
    .await;
    org.post(
        &format!("/tournaments/{tid}/players"),
        &[("names", "G1\nG2\nG3\nG4\nG5\nG6\nG7")],
    )
    .await;
    let t = tournaments::Entity::find_by_id(tid)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    player.post(&format!("/t/{}/join", t.share_code), &[]).await;
    if start {
        assert_eq!(
            org.post(&format!("/tournaments/{tid}/start"), &[])
                .await
                .status()
                .as_u16(),
            303
        );
    }
    let anon = app.new_browser();
    (
        tid,
        vec![
            (Who::Anonymous, anon),
            (Who::Player, player),
            (Who::OtherOrganizer, other),
            (Who::CoOrganizer, co),
            (Who::Organizer, org),
            (Who::Admin, admin),
        ],
    )
}

fn expect_denied(who: Who, status: u16, what: &str) {
    let expected = if who == Who::Anonymous { 401 } else { 403 };
    assert_eq!(status, expected, "{who:?} {what}");
}

both!(matrix_before_the_start, |app: TestApp| async move {
    let (tid, people) = setup(&app, false).await;
    let guest = tournament_player::Entity::find()
        .filter(tournament_player::Column::TournamentId.eq(tid))
        .all(&app.db)
        .await
        .unwrap()[0]
        .id;
    for (who, b) in &people {
        let allowed = matches!(who, Who::CoOrganizer | Who::Organizer | Who::Admin);
        let r = b
            .post(
                &format!("/tournaments/{tid}/players"),
                &[("names", &format!("Added by {who:?}"))],
            )
            .await
            .status()
            .as_u16();
        if allowed {
            assert_eq!(r, 303, "{who:?} add players")
        } else {
            expect_denied(*who, r, "add players")
        }
        let r = b
            .post(
                &format!("/tournaments/{tid}/edit"),
                &[
                    ("name", "Renamed"),
                    ("format", "americano"),
                    ("scoring_mode", "points"),
                    ("scoring_target", "24"),
                    ("courts", "2"),
                    ("sit_out_comp", "none"),
                    ("tiebreak", "points"),
                    ("max_players", "16"),
                ],
            )
            .await
            .status()
            .as_u16();
        if allowed {
            assert_eq!(r, 303, "{who:?} edit")
        } else {
            expect_denied(*who, r, "edit")
        }
        // Owner-only: co-organizers.
        let r = b
            .post(
                &format!("/tournaments/{tid}/organizers"),
                &[("email", "player@club.test")],
            )
            .await
            .status()
            .as_u16();
        if matches!(who, Who::Organizer | Who::Admin) {
            assert_eq!(r, 303, "{who:?} add co-organizer")
        } else {
            expect_denied(*who, r, "add co-organizer")
        }
        let r = b
            .post(
                &format!("/tournaments/{tid}/players/{guest}"),
                &[("action", "group"), ("group", "B")],
            )
            .await
            .status()
            .as_u16();
        if allowed {
            assert_eq!(r, 303, "{who:?} group")
        } else {
            expect_denied(*who, r, "group")
        }
    }
    // Deleting a draft: organizer or admin only; the others change nothing.
    for (who, b) in &people {
        if matches!(who, Who::Organizer | Who::Admin) {
            continue;
        }
        let r = b
            .post(&format!("/tournaments/{tid}/delete"), &[])
            .await
            .status()
            .as_u16();
        expect_denied(*who, r, "delete");
    }
    assert!(tournaments::Entity::find_by_id(tid)
        .one(&app.db)
        .await
        .unwrap()
        .is_some());
    let admin = &people.iter().find(|(w, _)| *w == Who::Admin).unwrap().1;
    assert_eq!(
        admin
            .post(&format!("/tournaments/{tid}/delete"), &[])
            .await
            .status()
            .as_u16(),
        303
    );
    assert!(tournaments::Entity::find_by_id(tid)
        .one(&app.db)
        .await
        .unwrap()
        .is_none());
});

both!(matrix_while_live, |app: TestApp| async move {
    let (tid, people) = setup(&app, true).await;
    let ms = stored_matches(&app, tid).await;
    for (i, (who, b)) in people.iter().enumerate() {
        let allowed = matches!(who, Who::CoOrganizer | Who::Organizer | Who::Admin);
        let m = &ms[i];
        let r = b
            .post(
                &format!("/matches/{}/score", m.id),
                &[("score_a", "14"), ("score_b", "10"), ("version", "0")],
            )
            .await
            .status()
            .as_u16();
        if allowed {
            assert_eq!(r, 303, "{who:?} score")
        } else {
            expect_denied(*who, r, "score")
        }
        let stored = stored_matches(&app, tid)
            .await
            .into_iter()
            .find(|x| x.id == m.id)
            .unwrap();
        assert_eq!(
            stored.score_a.is_some(),
            allowed,
            "{who:?}: nothing changed when refused"
        );
        for action in ["finish", "next-round"] {
            let r = b
                .post(&format!("/tournaments/{tid}/{action}"), &[])
                .await
                .status()
                .as_u16();
            // Allowed people get a conflict (the rounds are not complete / not Mexicano).
            if allowed {
                assert_eq!(r, 409, "{who:?} {action}")
            } else {
                expect_denied(*who, r, action)
            }
        }
        let r = b
            .post(&format!("/tournaments/{tid}/rounds/1/timer"), &[])
            .await
            .status()
            .as_u16();
        if allowed {
            assert_eq!(r, 303, "{who:?} timer")
        } else {
            expect_denied(*who, r, "timer")
        }
    }
    let t = tournaments::Entity::find_by_id(tid)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(t.status, "live");
});
