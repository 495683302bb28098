//! Journey 3: the club's 1920×1080 screen follows the scores live, without
//! reloading.
use crate::harness::*;
use serde_json::json;
use std::time::{Duration, Instant};

#[tokio::test]
async fn screen_updates_standings_live_without_reload() {
    let Some(h) = Harness::start().await else {
        return;
    };
    let live = live_tournament(&h, "olga@club.test").await;
    let b = h.browser("screen", SCREEN, true).await;
    b.goto(&format!("/tournaments/{}/screen", live.tid)).await;
    b.wait_text("Friday Americano").await;

    // Wait until the screen's event stream is open (the server counts it).
    let started = Instant::now();
    loop {
        let (_, metrics) = live.http.get_text("/metrics").await;
        if metrics
            .lines()
            .filter_map(|l| l.split_once(' '))
            .any(|(k, v)| k.ends_with("sse_streams_open") && v != "0")
        {
            break;
        }
        if started.elapsed() > WAIT {
            let sse: Vec<&str> = metrics.lines().filter(|l| l.contains("sse")).collect();
            let js = b
                .js("return [typeof htmx, typeof htmx !== 'undefined' && htmx.version, document.querySelector('[sse-connect]') && JSON.stringify(Object.keys(document.querySelector('[sse-connect]')))];")
                .await;
            b.fail(&format!(
                "the screen never opened its event stream: {sse:?} {js}"
            ))
            .await;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    b.js("window.__marker = 1; return true;").await;

    let standings = "document.getElementById('standings').textContent";
    let mut latencies = vec![];
    for (i, m) in h.round_matches(live.tid, 1).await.iter().enumerate() {
        let before = b.js(&format!("return {standings};")).await;
        let a = 18 - 3 * i as i32;
        live.http.score(m, a, 24 - a).await;
        let saved = Instant::now();
        let changed = format!("window.__marker === 1 && {standings} !== {before}");
        let ok = b.wait_js(&changed, Duration::from_millis(1000)).await;
        let took = saved.elapsed();
        if !ok {
            b.fail(&format!(
                "standings did not change within 1000 ms after score {} (or the page reloaded)",
                i + 1
            ))
            .await;
        }
        latencies.push(took.as_millis());
    }
    assert_eq!(
        b.js("return window.__marker;").await,
        json!(1),
        "the screen reloaded"
    );
    let text = b.js(&format!("return {standings};")).await;
    assert!(
        text.as_str().is_some_and(|t| t.contains("Ana Torres")),
        "standings list the players: {text}"
    );
    eprintln!("screen: standings updated {latencies:?} ms after each save");
    b.screenshot("standings").await;
    b.close().await;
}
