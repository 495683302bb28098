//! Journey 5: JavaScript off. The round page still reads, and a score is
//! saved by a plain form post.
use crate::harness::*;
use fantoccini::Locator;

#[tokio::test]
async fn score_entry_works_without_javascript() {
    let Some(h) = Harness::start().await else {
        return;
    };
    let live = live_tournament(&h, "olga@club.test").await;
    let b = h.browser("nojs", TABLET, false).await;
    b.sign_in(&live.email).await;
    b.goto(&format!("/tournaments/{}/rounds/1", live.tid)).await;
    b.wait_text("Round 1").await;
    let ms = h.round_matches(live.tid, 1).await;
    b.wait_text(&format!("Court {}", ms[0].court)).await;
    let card = format!("#match-{}", ms[0].id);

    b.fill(&format!("{card} input[name=score_a]"), "15").await;
    // Proof that scripts are off: app.js would have filled the other side.
    let other = b.find(&format!("{card} input[name=score_b]")).await;
    assert_eq!(
        other
            .prop("value")
            .await
            .expect("value")
            .unwrap_or_default(),
        "",
        "JavaScript ran: score_b was filled"
    );
    fill_element(&other, "9").await;
    b.screenshot("1-typed").await;
    b.click(&format!("{card} button[type=submit]:not([name=clear])"))
        .await;

    // A full page load: the card comes back marked saved, with the score.
    let saved = b.find(&format!("{card}.saved")).await;
    let a = saved
        .find(Locator::Css("input[name=score_a]"))
        .await
        .expect("score_a");
    let bb = saved
        .find(Locator::Css("input[name=score_b]"))
        .await
        .expect("score_b");
    assert!(saved.text().await.expect("card text").contains("Saved"));
    assert_eq!(a.prop("value").await.expect("a").as_deref(), Some("15"));
    assert_eq!(bb.prop("value").await.expect("b").as_deref(), Some("9"));
    assert_eq!(
        b.path().await,
        format!("/tournaments/{}/rounds/1", live.tid)
    );
    let m = h.round_matches(live.tid, 1).await.remove(0);
    assert_eq!((m.score_a, m.score_b), (Some(15), Some(9)));
    b.screenshot("2-saved").await;
    b.close().await;
}
