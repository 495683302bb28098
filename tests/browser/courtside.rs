//! Journey: courtside safety and claims on a tablet. Withdrawing a player
//! during play takes a second tap (no script dialog); a guest says "that was
//! me" on a phone and the organizer confirms it.
use crate::harness::*;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use tornetic::entities::tournament_player;

async fn registration(h: &Harness, tid: i64, name: &str) -> tournament_player::Model {
    tournament_player::Entity::find()
        .filter(tournament_player::Column::TournamentId.eq(tid))
        .filter(tournament_player::Column::Name.eq(name))
        .one(&h.db)
        .await
        .expect("query")
        .expect("registration")
}

#[tokio::test]
async fn withdraw_takes_two_taps_and_a_guest_claims_their_name() {
    let Some(h) = Harness::start().await else {
        return;
    };
    let live = live_tournament(&h, "olga@club.test").await;
    let tid = live.tid;
    let b = h.browser("courtside", TABLET, true).await;
    b.sign_in(&live.email).await;
    b.goto(&format!("/tournaments/{tid}")).await;
    b.wait_text("Players (8").await;

    // First tap: only the confirming button appears; nothing changes yet.
    let name = EIGHT[7];
    b.click("#players li:last-child details.confirm > summary")
        .await;
    b.wait_text(&format!("Tap again to withdraw {name}")).await;
    b.js("document.querySelector('#players li:last-child').scrollIntoView({block: 'center'});")
        .await;
    b.screenshot("1-confirm-withdraw").await;
    assert_eq!(registration(&h, tid, name).await.status, "active");
    // Second tap: withdrawn (htmx swaps the player list).
    b.press(&format!("Tap again to withdraw {name}")).await;
    b.wait_text("Players (7").await;
    assert_eq!(registration(&h, tid, name).await.status, "withdrawn");

    // A signed-in player says a guest was them.
    let phone = h.browser("courtside-phone", PHONE, true).await;
    phone.sign_up("Ana Account", "ana@club.test").await;
    phone.goto(&format!("/tournaments/{tid}")).await;
    let guest = EIGHT[0];
    phone
        .click(&format!("button[aria-label='That was me: {guest}']"))
        .await;
    phone.wait_text("Claim sent").await;
    phone.screenshot("2-claim-sent").await;
    phone.close().await;

    b.goto(&format!("/tournaments/{tid}")).await;
    b.wait_text("Claims to confirm").await;
    b.js("document.getElementById('claims').scrollIntoView({block: 'center'});")
        .await;
    b.screenshot("3-claims-to-confirm").await;
    b.press("Confirm").await;
    if !b
        .wait_js(
            "!document.body.textContent.includes('Claims to confirm')",
            WAIT,
        )
        .await
    {
        b.fail("the claim is still listed after Confirm").await;
    }
    assert!(registration(&h, tid, guest).await.user_id.is_some());
    b.close().await;
}
