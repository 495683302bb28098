//! Journey 2: a player on a 390×844 phone joins from the share link and sees
//! their next match once the organizer (another device, over HTTP) starts.
use crate::harness::*;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use tornetic::entities::tournament_player;

#[tokio::test]
async fn player_joins_on_a_phone_and_sees_the_next_match() {
    let Some(h) = Harness::start().await else {
        return;
    };
    let org = h.http();
    org.sign_up("Olga Organizer", "olga@club.test").await;
    let tid = org.create_americano("Sunday Social").await;
    org.add_players(tid, &EIGHT[..7]).await;
    let code = h.tournament(tid).await.share_code;

    let b = h.browser("player", PHONE, true).await;
    b.goto(&format!("/t/{code}")).await;
    b.wait_text("Join this tournament").await;
    b.fill("#name", "Paula Phone").await;
    b.screenshot("1-join").await;
    b.press("Join").await;
    b.wait_text("Hi Paula Phone!").await;
    b.wait_text("The schedule appears here when the organizer starts")
        .await;

    // No reload: the next-match card re-fetches itself when the live stream
    // announces the start.
    org.start(tid).await;
    b.wait_text("Your next match").await;

    // The court and the names the page shows are the schedule's.
    let me = tournament_player::Entity::find()
        .filter(tournament_player::Column::TournamentId.eq(tid))
        .filter(tournament_player::Column::Name.eq("Paula Phone"))
        .one(&h.db)
        .await
        .expect("query")
        .expect("Paula registered");
    let ms = h.round_matches(tid, 1).await;
    let m = ms
        .iter()
        .find(|m| [m.a1, m.a2, m.b1, m.b2].contains(&me.id))
        .expect("8 players, 2 courts: everyone plays round 1");
    let text = b.body_text().await;
    assert!(
        text.contains(&format!("Court {}", m.court)),
        "next match names court {}: {text}",
        m.court
    );
    let others: Vec<i64> = [m.a1, m.a2, m.b1, m.b2]
        .into_iter()
        .filter(|p| *p != me.id)
        .collect();
    for pid in others {
        let p = tournament_player::Entity::find_by_id(pid)
            .one(&h.db)
            .await
            .expect("query")
            .expect("player");
        assert!(
            text.contains(&p.name),
            "next match names {}: {text}",
            p.name
        );
    }
    // Live standings replace the table; the player's own row stays marked.
    let marked = "[...document.querySelectorAll('tr.me')].map(t => t.textContent).join() .includes('Paula Phone')";
    if !b.wait_js(marked, WAIT).await {
        b.fail("the player's own row is not marked in the standings")
            .await;
    }
    b.screenshot("2-next-match").await;
    b.close().await;
}
