use crate::both;
use crate::helpers::{postgres_url, spawn_app, spawn_second, Backend, TestApp};
use crate::tournaments::{organizer_with_players, stored_matches};
use std::time::Duration;

/// The `id:` of every event in an event-stream text.
fn event_ids(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|l| l.strip_prefix("id: "))
        .map(str::to_owned)
        .collect()
}

/// Reads an SSE response until `pred` matches the accumulated text.
async fn read_until(
    resp: &mut reqwest::Response,
    seen: &mut String,
    pred: impl Fn(&str) -> bool,
) -> bool {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    while !pred(seen) {
        let left = deadline.saturating_duration_since(tokio::time::Instant::now());
        match tokio::time::timeout(left, resp.chunk()).await {
            Ok(Ok(Some(bytes))) => seen.push_str(&String::from_utf8_lossy(&bytes)),
            _ => return false,
        }
    }
    true
}

async fn started(app: &TestApp) -> i64 {
    let tid = organizer_with_players(app, 8, &[]).await;
    assert_eq!(
        app.post(&format!("/tournaments/{tid}/start"), &[])
            .await
            .status()
            .as_u16(),
        303
    );
    tid
}

both!(
    sse_pushes_standings_after_a_score,
    |app: TestApp| async move {
        let tid = started(&app).await;
        let viewer = app.new_browser();
        let mut resp = viewer.get(&format!("/tournaments/{tid}/events")).await;
        assert_eq!(resp.status().as_u16(), 200);
        assert_eq!(
            resp.headers().get("content-type").unwrap(),
            "text/event-stream"
        );
        let mut seen = String::new();
        assert!(
            read_until(&mut resp, &mut seen, |s| s.contains("event: standings")).await,
            "current state at once"
        );
        assert!(seen.contains("event: courts"));
        let m = stored_matches(&app, tid).await.remove(0);
        let r = app
            .post_hx(
                &format!("/matches/{}/score", m.id),
                &[("score_a", "17"), ("score_b", "7"), ("version", "0")],
            )
            .await;
        assert_eq!(r.status().as_u16(), 200);
        seen.clear();
        assert!(
            read_until(&mut resp, &mut seen, |s| s.contains("<strong>17</strong>")).await,
            "update pushed: {seen}"
        );
    }
);

both!(
    reconnecting_client_gets_current_state,
    |app: TestApp| async move {
        let tid = started(&app).await;
        let m = stored_matches(&app, tid).await.remove(0);
        app.post_hx(
            &format!("/matches/{}/score", m.id),
            &[("score_a", "19"), ("score_b", "5"), ("version", "0")],
        )
        .await;
        // A phone that was asleep connects now: the first events carry the score.
        let phone = app.new_browser();
        let mut resp = phone.get(&format!("/tournaments/{tid}/events")).await;
        let mut seen = String::new();
        assert!(read_until(&mut resp, &mut seen, |s| s.contains("<strong>19</strong>")).await);
    }
);

both!(standings_fragment_uses_etags, |app: TestApp| async move {
    let tid = started(&app).await;
    let r = app.get(&format!("/tournaments/{tid}/standings")).await;
    assert_eq!(r.status().as_u16(), 200);
    let etag = r
        .headers()
        .get("etag")
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    let again = app
        .client
        .get(app.url(&format!("/tournaments/{tid}/standings")))
        .header("If-None-Match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status().as_u16(), 304);
    let m = stored_matches(&app, tid).await.remove(0);
    app.post_hx(
        &format!("/matches/{}/score", m.id),
        &[("score_a", "13"), ("score_b", "11"), ("version", "0")],
    )
    .await;
    let after = app
        .client
        .get(app.url(&format!("/tournaments/{tid}/standings")))
        .header("If-None-Match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(
        after.status().as_u16(),
        200,
        "a new score version invalidates"
    );
    assert!(after.text().await.unwrap().contains("<strong>13</strong>"));
});

#[tokio::test]
async fn a_score_saved_on_instance_a_reaches_a_subscriber_of_instance_b() {
    if postgres_url().is_none() {
        eprintln!("TEST_POSTGRES_URL not set: cross-instance LISTEN/NOTIFY test skipped");
        return;
    }
    let a = spawn_app(Backend::Postgres).await;
    let b = spawn_second(&a).await;
    let tid = started(&a).await;
    let mut resp = b.get(&format!("/tournaments/{tid}/events")).await;
    let mut seen = String::new();
    assert!(read_until(&mut resp, &mut seen, |s| s.contains("event: standings")).await);
    // Give instance B's listener a moment to be subscribed before the NOTIFY.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let m = stored_matches(&a, tid).await.remove(0);
    let r = a
        .post_hx(
            &format!("/matches/{}/score", m.id),
            &[("score_a", "21"), ("score_b", "3"), ("version", "0")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 200);
    seen.clear();
    assert!(
        read_until(&mut resp, &mut seen, |s| s.contains("<strong>21</strong>")).await,
        "instance B pushed A's score: {seen}"
    );
}

#[tokio::test]
async fn sqlite_instances_use_the_in_process_broadcast() {
    let app = spawn_app(Backend::Sqlite).await;
    let tid = started(&app).await;
    assert!(!app.settings.is_postgres());
    let mut resp = app
        .new_browser()
        .get(&format!("/tournaments/{tid}/events"))
        .await;
    let mut seen = String::new();
    assert!(read_until(&mut resp, &mut seen, |s| s.contains("event: standings")).await);
}

both!(
    new_subscribers_share_the_kept_message_and_see_every_change,
    |app: TestApp| async move {
        let tid = started(&app).await;
        // The first subscriber's render is kept for the ones after it.
        let first = app.new_browser();
        let mut a = first.get(&format!("/tournaments/{tid}/events")).await;
        let mut seen = String::new();
        assert!(read_until(&mut a, &mut seen, |s| s.contains("event: standings")).await);
        let m = stored_matches(&app, tid).await.remove(0);
        app.post_hx(
            &format!("/matches/{}/score", m.id),
            &[("score_a", "21"), ("score_b", "3"), ("version", "0")],
        )
        .await;
        seen.clear();
        assert!(read_until(&mut a, &mut seen, |s| s.contains("<strong>21</strong>")).await);
        // Later phones get the kept message of the new version, not the old one.
        for _ in 0..3 {
            let phone = app.new_browser();
            let mut b = phone.get(&format!("/tournaments/{tid}/events")).await;
            let mut seen = String::new();
            assert!(
                read_until(&mut b, &mut seen, |s| s.contains("<strong>21</strong>")).await,
                "{seen}"
            );
        }
        // Making the tournament private drops the kept state at once: a visitor's
        // new stream is refused even within the half-second freshness window.
        let private = crate::helpers::tournament_form(&[("is_public", "")]);
        let r = app
            .post(&format!("/tournaments/{tid}/edit"), &private)
            .await;
        assert_eq!(
            r.status().as_u16(),
            303,
            "{}",
            r.text().await.unwrap_or_default()
        );
        let visitor = app.new_browser();
        let r = visitor.get(&format!("/tournaments/{tid}/events")).await;
        assert_eq!(r.status().as_u16(), 404);
        let r = visitor.get(&format!("/tournaments/{tid}/standings")).await;
        assert_eq!(r.status().as_u16(), 404);
    }
);

both!(
    a_visitor_stream_ends_when_the_tournament_goes_private,
    |app: TestApp| async move {
        let tid = started(&app).await;
        let visitor = app.new_browser();
        let mut v = visitor.get(&format!("/tournaments/{tid}/events")).await;
        let mut seen = String::new();
        assert!(read_until(&mut v, &mut seen, |s| s.contains("event: standings")).await);
        let public_ids = event_ids(&seen);
        // The organizer watches too, on a stream opened while the tournament was public.
        let mut o = app.get(&format!("/tournaments/{tid}/events")).await;
        let mut org_seen = String::new();
        assert!(read_until(&mut o, &mut org_seen, |s| s.contains("event: standings")).await);
        let private = crate::helpers::tournament_form(&[("is_public", "")]);
        let r = app
            .post(&format!("/tournaments/{tid}/edit"), &private)
            .await;
        assert_eq!(r.status().as_u16(), 303);
        let m = stored_matches(&app, tid).await.remove(0);
        app.post_hx(
            &format!("/matches/{}/score", m.id),
            &[("score_a", "23"), ("score_b", "1"), ("version", "0")],
        )
        .await;
        // The visitor's stream ends without another event: nothing private leaks.
        seen.clear();
        let ended = tokio::time::timeout(Duration::from_secs(5), async {
            loop {
                match v.chunk().await {
                    Ok(Some(bytes)) => seen.push_str(&String::from_utf8_lossy(&bytes)),
                    _ => return true,
                }
            }
        })
        .await
        .unwrap_or(false);
        assert!(ended, "the visitor's stream stays open: {seen}");
        // Only the state the visitor already saw while it was public may come again (a
        // NOTIFY from starting it can arrive late, rendered before the change).
        let late = event_ids(&seen);
        assert!(late.iter().all(|id| public_ids.contains(id)), "{seen}");
        assert!(!seen.contains("<strong>23</strong>"), "{seen}");
        // The visitor's reconnect is refused; the organizer's reconnect goes on.
        let r = visitor.get(&format!("/tournaments/{tid}/events")).await;
        assert_eq!(r.status().as_u16(), 404);
        let mut o = app.get(&format!("/tournaments/{tid}/events")).await;
        assert_eq!(o.status().as_u16(), 200);
        org_seen.clear();
        assert!(
            read_until(&mut o, &mut org_seen, |s| s.contains("<strong>23</strong>")).await,
            "{org_seen}"
        );
    }
);

both!(
    share_link_holders_get_live_updates_of_a_private_tournament,
    |app: TestApp| async move {
        use sea_orm::EntityTrait;
        let tid = started(&app).await;
        let private = crate::helpers::tournament_form(&[("is_public", "")]);
        let r = app
            .post(&format!("/tournaments/{tid}/edit"), &private)
            .await;
        assert_eq!(r.status().as_u16(), 303);
        let code = tornetic::entities::tournaments::Entity::find_by_id(tid)
            .one(&app.db)
            .await
            .unwrap()
            .unwrap()
            .share_code;
        let phone = app.new_browser();
        // The phone page (open to link holders) streams from the share link.
        let (status, page) = phone.get_text(&format!("/t/{code}")).await;
        assert_eq!(status, 200);
        assert!(
            page.contains(&format!("sse-connect=\"/t/{code}/events\"")),
            "{page}"
        );
        let mut resp = phone.get(&format!("/t/{code}/events")).await;
        assert_eq!(resp.status().as_u16(), 200);
        let mut seen = String::new();
        assert!(read_until(&mut resp, &mut seen, |s| s.contains("event: standings")).await);
        let m = stored_matches(&app, tid).await.remove(0);
        app.post_hx(
            &format!("/matches/{}/score", m.id),
            &[("score_a", "18"), ("score_b", "6"), ("version", "0")],
        )
        .await;
        seen.clear();
        assert!(
            read_until(&mut resp, &mut seen, |s| s.contains("<strong>18</strong>")).await,
            "{seen}"
        );
        // Without the link, or with a wrong one, nothing.
        let r = phone.get(&format!("/tournaments/{tid}/events")).await;
        assert_eq!(r.status().as_u16(), 404);
        let r = phone.get("/t/not-the-code/events").await;
        assert_eq!(r.status().as_u16(), 404);
    }
);
