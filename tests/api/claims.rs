//! On the site: "That was me" next to guests, the organizer's "Claims to
//! confirm" list; the phone's next-match card that re-fetches itself; the
//! two-tap withdrawal during play.
use crate::both;
use crate::helpers::TestApp;
use crate::tournaments::{organizer_with_players, play_all, stored_matches};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use tornetic::entities::{claims, tournament_player, tournaments, users};
use tornetic::services::{player_ratings as pr, players};

async fn registration(app: &TestApp, tid: i64, name: &str) -> tournament_player::Model {
    tournament_player::Entity::find()
        .filter(tournament_player::Column::TournamentId.eq(tid))
        .filter(tournament_player::Column::Name.eq(name))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
}

async fn user_id(app: &TestApp, email: &str) -> i64 {
    users::Entity::find()
        .filter(users::Column::Email.eq(email))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .id
}

both!(
    a_guest_claims_their_history_on_the_site,
    |app: TestApp| async move {
        let tid = organizer_with_players(&app, 8, &[]).await;
        app.post(&format!("/tournaments/{tid}/start"), &[]).await;
        play_all(&app, tid, 24).await;
        let r = app.post(&format!("/tournaments/{tid}/finish"), &[]).await;
        assert_eq!(r.status().as_u16(), 303);
        let guest = registration(&app, tid, "Player 2").await;
        let played = stored_matches(&app, tid)
            .await
            .iter()
            .filter(|m| [m.a1, m.a2, m.b1, m.b2].contains(&guest.id))
            .count() as u32;
        assert!(played > 0);

        // Anonymous visitors see no button; signed-in ones do.
        let (_, html) = app
            .new_browser()
            .get_text(&format!("/tournaments/{tid}"))
            .await;
        assert!(!html.contains("That was me"));
        let gus = app.new_browser();
        gus.sign_up("gus@club.test", "Gus").await;
        let gus_id = user_id(&app, "gus@club.test").await;
        let (_, html) = gus.get_text(&format!("/tournaments/{tid}")).await;
        assert!(
            html.contains("aria-label=\"That was me: Player 2\""),
            "{html}"
        );
        let claim = format!("/tournaments/{tid}/players/{}/claim", guest.id);
        // Without the CSRF token nothing happens.
        let r = gus.post_raw(&claim, &[]).await;
        assert_eq!(r.status().as_u16(), 403);
        let r = gus.post(&claim, &[]).await;
        assert_eq!(r.status().as_u16(), 303);
        assert_eq!(
            r.headers().get("location").unwrap(),
            &format!("/tournaments/{tid}#players")
        );
        let (_, html) = gus.get_text(&format!("/tournaments/{tid}")).await;
        assert!(html.contains("Claim sent"), "{html}");
        let c = claims::Entity::find()
            .filter(claims::Column::RegistrationId.eq(guest.id))
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!((c.user_id, c.status.as_str()), (gus_id, "pending"));

        // Someone else cannot decide it, and the claimant cannot either.
        let mal = app.new_browser();
        mal.sign_up("mal@club.test", "Mallory").await;
        for who in [&mal, &gus] {
            for d in ["confirm", "reject"] {
                let r = who.post(&format!("/claims/{}/{d}", c.id), &[]).await;
                assert_eq!(r.status().as_u16(), 403, "{d}");
            }
            let (_, html) = who.get_text(&format!("/tournaments/{tid}")).await;
            assert!(!html.contains("Claims to confirm"));
        }
        let unchanged = registration(&app, tid, "Player 2").await;
        assert_eq!(unchanged.user_id, None);

        // The organizer sees the claim and confirms it.
        let (_, html) = app.get_text(&format!("/tournaments/{tid}")).await;
        assert!(html.contains("Claims to confirm"), "{html}");
        assert!(html.contains("<strong>Gus</strong> says they played as <strong>Player 2</strong>"));
        assert!(html.contains(&format!("action=\"/claims/{}/confirm\"", c.id)));
        let r = app.post(&format!("/claims/{}/confirm", c.id), &[]).await;
        assert_eq!(r.status().as_u16(), 303);
        assert_eq!(
            r.headers().get("location").unwrap(),
            &format!("/tournaments/{tid}#claims")
        );
        let owned = registration(&app, tid, "Player 2").await;
        assert_eq!(owned.user_id, Some(gus_id));
        let report = pr::rebuild(&app.db, false).await.unwrap();
        assert!(report.differences.is_empty(), "{report}");
        let profile = players::profile(&app.db, gus_id).await.unwrap();
        assert_eq!(profile.stats.matches, played);
        assert_eq!(profile.rated_matches as u32, played);
        assert!(profile.rating.is_some());
        let (_, html) = app.get_text(&format!("/tournaments/{tid}")).await;
        assert!(!html.contains("Claims to confirm"));
        // Gus plays here now: no more buttons for him.
        let (_, html) = gus.get_text(&format!("/tournaments/{tid}")).await;
        assert!(!html.contains("That was me"), "{html}");
        let (s, html) = gus.get_text(&format!("/players/{gus_id}")).await;
        assert_eq!(s, 200);
        assert!(html.contains("Gus"));
    }
);

both!(
    a_guest_claims_from_the_share_page,
    |app: TestApp| async move {
        let tid = organizer_with_players(&app, 8, &[]).await;
        let t = tournaments::Entity::find_by_id(tid)
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        let guest = registration(&app, tid, "Player 5").await;
        let phone = app.new_browser();
        phone.sign_up("pia@club.test", "Pia").await;
        let code = &t.share_code;
        let (_, html) = phone.get_text(&format!("/t/{code}?me={}", guest.id)).await;
        assert!(html.contains("Hi Player 5!"), "{html}");
        assert!(html.contains("That was me: add Player 5"), "{html}");
        let r = phone
            .post(
                &format!("/tournaments/{tid}/players/{}/claim", guest.id),
                &[("share_code", code)],
            )
            .await;
        assert_eq!(r.status().as_u16(), 303);
        assert_eq!(r.headers().get("location").unwrap(), &format!("/t/{code}"));
        let (_, html) = phone.get_text(&format!("/t/{code}")).await;
        assert!(html.contains("Claim sent"), "{html}");
    }
);

/// The `v` of the phone card's `hx-get`.
fn card_url(html: &str) -> String {
    let start = html
        .find("hx-get=\"/t/")
        .expect("the card re-fetches itself")
        + 8;
    html[start..]
        .split('"')
        .next()
        .unwrap()
        .replace("&#38;", "&")
}

both!(
    the_phone_card_refetches_itself_on_changes,
    |app: TestApp| async move {
        let tid = organizer_with_players(&app, 7, &[]).await;
        let t = tournaments::Entity::find_by_id(tid)
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        let code = t.share_code.clone();
        let phone = app.new_browser();
        let r = phone
            .post(&format!("/t/{code}/join"), &[("name", "Paula")])
            .await;
        assert_eq!(r.status().as_u16(), 303);
        let (_, html) = phone.get_text(&format!("/t/{code}")).await;
        assert!(html.contains("hx-trigger=\"sse:standings\""), "{html}");
        // The card sits inside the live stream's element.
        let sse = html.find("sse-connect=").unwrap();
        let card = html.find("id=\"next-match\"").unwrap();
        assert!(sse < card);
        let url = card_url(&html);
        assert!(url.starts_with(&format!("/t/{code}/next?v=")), "{url}");
        // Nothing changed: nothing to swap.
        let r = phone.get(&url).await;
        assert_eq!(r.status().as_u16(), 204);
        // The organizer starts: the card (alone, not a page) names the match.
        app.post(&format!("/tournaments/{tid}/start"), &[]).await;
        let r = phone.get(&url).await;
        assert_eq!(r.status().as_u16(), 200);
        let headers = format!("{:?}", r.headers());
        let card = r.text().await.unwrap();
        assert!(card.contains("Your next match"), "{headers} {card}");
        assert!(
            card.trim_start().starts_with("<div id=\"next-match\""),
            "{card}"
        );
        assert!(!card.contains("<html"));
        let next = card_url(&card);
        assert_ne!(next, url);
        assert_eq!(phone.get(&next).await.status().as_u16(), 204);
        // A score for the phone's match moves the card on.
        let me = registration(&app, tid, "Paula").await;
        let m = stored_matches(&app, tid)
            .await
            .into_iter()
            .find(|m| [m.a1, m.a2, m.b1, m.b2].contains(&me.id))
            .unwrap();
        let r = app
            .post(
                &format!("/matches/{}/score", m.id),
                &[("score_a", "14"), ("score_b", "10"), ("version", "0")],
            )
            .await;
        assert_eq!(r.status().as_u16(), 303);
        let r = phone.get(&next).await;
        assert_eq!(r.status().as_u16(), 200);
        let card = r.text().await.unwrap();
        assert_ne!(card_url(&card), next);
        // Without a session there is no card to show.
        let (s, body) = app.new_browser().get_text(&next).await;
        assert_eq!(s, 200);
        assert!(!body.contains("Your next match"));
    }
);

both!(
    withdrawing_during_play_takes_a_second_tap,
    |app: TestApp| async move {
        let tid = organizer_with_players(&app, 9, &[]).await;
        let (_, html) = app.get_text(&format!("/tournaments/{tid}")).await;
        assert!(html.contains("aria-label=\"Remove Player 1\""));
        assert!(!html.contains("Tap again"));
        app.post(&format!("/tournaments/{tid}/start"), &[]).await;
        let (_, html) = app.get_text(&format!("/tournaments/{tid}")).await;
        assert!(html.contains("<details class=\"confirm\">"), "{html}");
        assert!(html.contains("Tap again to withdraw Player 1"));
        assert!(!html.contains("aria-label=\"Remove Player 1\""));
        assert!(!html.contains("onclick") && !html.contains("confirm("));
        // The confirming button is the same form post as before.
        let p1 = registration(&app, tid, "Player 1").await;
        let r = app
            .post(
                &format!("/tournaments/{tid}/players/{}", p1.id),
                &[("action", "remove")],
            )
            .await;
        assert_eq!(r.status().as_u16(), 303);
        assert_eq!(
            registration(&app, tid, "Player 1").await.status,
            "withdrawn"
        );
    }
);
