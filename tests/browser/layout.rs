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
