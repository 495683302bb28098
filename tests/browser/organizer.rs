//! Journey 1: an organizer on a 1024×768 tablet runs a whole Americano.
use crate::harness::*;
use std::time::Duration;

/// Scores that are never a draw and vary from court to court.
fn score_for(round: usize, court: usize) -> i32 {
    [14, 17, 9, 20, 11, 16, 7, 15][(round * 3 + court) % 8]
}

#[tokio::test]
async fn organizer_runs_an_americano_on_a_tablet() {
    let Some(h) = Harness::start().await else {
        return;
    };
    let b = h.browser("organizer", TABLET, true).await;
    b.sign_up("Olga Organizer", "olga@club.test").await;

    b.goto("/tournaments/new").await;
    b.fill("#name", "Friday Night Americano").await;
    b.fill("#courts", "2").await;
    b.fill("#scoring_target", "24").await;
    b.screenshot("1-create-form").await;
    b.press("Create tournament").await;
    if !b
        .wait_js(r"/^\/tournaments\/\d+$/.test(location.pathname)", WAIT)
        .await
    {
        b.fail("no tournament page after Create").await;
    }
    let id: i64 = b
        .path()
        .await
        .trim_start_matches("/tournaments/")
        .parse()
        .expect("tournament id");
    let t = h.tournament(id).await;
    assert_eq!((t.courts, t.scoring_target), (2, 24));

    b.fill("#names", &EIGHT.join("\n")).await;
    b.press("Add players").await;
    b.wait_text("Players (8").await;
    for name in EIGHT {
        b.wait_text(name).await;
    }
    b.screenshot("2-players").await;

    b.press("Start with 8 players").await;
    b.wait_path(&format!("/tournaments/{id}/rounds/1")).await;
    let rounds = b.find_all("nav.tabs a").await.len();
    assert_eq!(rounds, 7, "8 players on 2 courts: 7 rounds");

    for n in 1..=rounds {
        if n > 1 {
            b.goto(&format!("/tournaments/{id}/rounds/{n}")).await;
        }
        b.wait_text(&format!("Round {n}")).await;
        let cards = b
            .js("return [...document.querySelectorAll('.court[id^=match-]')].map(e => e.id);")
            .await;
        let cards: Vec<String> = serde_json::from_value(cards).expect("card ids");
        assert_eq!(cards.len(), 2, "two courts in round {n}");
        for (court, card) in cards.iter().enumerate() {
            let a = score_for(n, court);
            b.fill(&format!("#{card} input[name=score_a]"), &a.to_string())
                .await;
            // app.js fills the other side: 24 − a.
            let filled = format!(
                "document.querySelector('#{card} input[name=score_b]').value === '{}'",
                24 - a
            );
            if !b.wait_js(&filled, Duration::from_secs(2)).await {
                b.fail(&format!("score_b was not filled with {}", 24 - a))
                    .await;
            }
            b.click(&format!("#{card} button[type=submit]:not([name=clear])"))
                .await;
            let saved = format!(
                "(document.querySelector('#{card} [role=status]') || {{}}).textContent?.includes('Saved')"
            );
            if !b.wait_js(&saved, WAIT).await {
                b.fail(&format!("{card} in round {n} did not show Saved"))
                    .await;
            }
        }
        if n == 1 {
            b.screenshot("3-round-scores").await;
        }
    }

    b.goto(&format!("/tournaments/{id}")).await;
    b.press("Finish tournament").await;
    b.wait_text("Podium").await;
    let podium = b.find_all(".podium > div").await;
    assert_eq!(podium.len(), 3, "three places on the podium");
    assert_eq!(h.tournament(id).await.status, "finished");
    b.screenshot("4-finished").await;
    b.close().await;
}
