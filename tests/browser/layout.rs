//! Journey 6: no horizontal scrolling on a phone, a tablet or a big screen,
//! on every main page. Screenshots of each for a look.
use crate::harness::*;

const MEASURE: &str = r##"
const w = window.innerWidth;
const wide = [...document.querySelectorAll("body *")]
  .filter(e => e.getClientRects().length > 0 && e.getBoundingClientRect().right > w + 0.5)
  .slice(0, 5)
  .map(e => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + (e.className && typeof e.className === "string" ? "." + e.className.trim().replace(/\s+/g, ".") : "")
    + " right=" + Math.round(e.getBoundingClientRect().right));
return [document.documentElement.scrollWidth, w, wide];
"##;

#[tokio::test]
async fn main_pages_fit_phone_tablet_and_screen_widths() {
    let Some(h) = Harness::start().await else {
        return;
    };
    let live = live_tournament(&h, "olga@club.test").await;
    let tid = live.tid;
    let anonymous = [
        ("home", "/".to_string()),
        ("signin", "/signin".into()),
        ("signup", "/signup".into()),
        ("share", format!("/t/{}", live.code)),
        ("screen", format!("/tournaments/{tid}/screen")),
        ("list", "/tournaments".into()),
    ];
    let signed_in = [
        ("tournament", format!("/tournaments/{tid}")),
        ("round", format!("/tournaments/{tid}/rounds/1")),
        ("new", "/tournaments/new".into()),
        ("mine", "/tournaments/mine".into()),
    ];
    let mut failures = vec![];
    for (size_name, size) in [("phone", PHONE), ("tablet", TABLET), ("screen", SCREEN)] {
        let b = h.browser(&format!("layout-{size_name}"), size, true).await;
        for (signed, pages) in [(false, &anonymous[..]), (true, &signed_in[..])] {
            if signed {
                b.sign_in(&live.email).await;
            }
            for (name, path) in pages {
                b.goto(path).await;
                b.wait_js("document.readyState === 'complete'", WAIT).await;
                let v = b.js(MEASURE).await;
                let (scroll, inner) = (v[0].as_i64().unwrap_or(0), v[1].as_i64().unwrap_or(0));
                assert_eq!(inner, i64::from(size.0), "viewport width");
                if scroll > inner {
                    failures.push(format!(
                        "{size_name} {name} ({path}): scrollWidth {scroll} > innerWidth {inner}; wide: {}",
                        v[2]
                    ));
                }
                b.screenshot(name).await;
            }
        }
        b.close().await;
    }
    assert!(
        failures.is_empty(),
        "horizontal scrolling:\n{}",
        failures.join("\n")
    );
}

/// A Mexicano played on until the draw avoids a repeat partnership: the round page
/// says so, and the notice fits a phone.
#[tokio::test]
async fn mexicano_smart_draw_notice_fits_a_phone() {
    let Some(h) = Harness::start().await else {
        return;
    };
    let http = h.http();
    let email = "olga@club.test";
    http.sign_up("Olga Organizer", email).await;
    let tid = http
        .create_tournament("Sunday Mexicano", "mexicano", &[("rounds", "7")])
        .await;
    http.add_players(tid, &EIGHT).await;
    http.start(tid).await;
    let mut n = 1;
    let avoided = loop {
        for (k, m) in h.round_matches(tid, n).await.iter().enumerate() {
            http.score(m, 13 + k as i32 * 4, 11 - k as i32 * 4).await;
        }
        let (s, _) = http
            .post(&format!("/tournaments/{tid}/next-round"), &[])
            .await;
        assert_eq!(s, 303, "round {} drawn", n + 1);
        n += 1;
        let round = h.round(tid, n).await;
        if round.repeats_avoided.unwrap_or(0) > 0 || n == 7 {
            break round.repeats_avoided.unwrap_or(0);
        }
    };
    assert!(avoided > 0, "no draw avoided a repeat in 7 rounds");
    let b = h.browser("mexicano-phone", PHONE, true).await;
    b.sign_in(email).await;
    b.goto(&format!("/tournaments/{tid}/rounds/{n}")).await;
    b.wait_js("document.readyState === 'complete'", WAIT).await;
    let text = b.body_text().await;
    assert!(
        text.contains(&format!("Smart draw: {avoided} repeat partnership")),
        "{text}"
    );
    let v = b.js(MEASURE).await;
    b.screenshot(&format!("round-{n}")).await;
    assert!(v[0].as_i64() <= v[1].as_i64(), "horizontal scrolling: {v}");
    b.close().await;
}
