//! Journey 4: accessibility. axe-core (vendored, tests only) on every main
//! page: no serious or critical violations. And the keyboard: Tab reaches
//! every visible interactive control.
use crate::harness::*;
use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::key::Key;
use serde_json::Value;
use std::collections::BTreeSet;

const AXE: &str = include_str!("vendor/axe.min.js");

const RUN_AXE: &str = r#"
const done = arguments[arguments.length - 1];
axe.run(document, { resultTypes: ["violations"] })
  .then(r => done(r.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({ target: n.target.join(" "), html: n.html, summary: n.failureSummary }))
  }))))
  .catch(e => done({ error: String(e) }));
"#;

/// Marks the visible, enabled interactive controls; returns how many.
const MARK_CONTROLS: &str = r#"
const els = [...document.querySelectorAll("a[href], button, input, select, textarea, summary")]
  .filter(e => !e.disabled && e.type !== "hidden"
    && e.checkVisibility({ visibilityProperty: true, contentVisibilityAuto: true }));
els.forEach((e, i) => e.setAttribute("data-kb", String(i)));
return els.length;
"#;

async fn run_axe(b: &Browser) -> Vec<Value> {
    if b.js("return typeof window.axe;").await != "object" {
        b.js(&format!("{AXE}\n;return true;")).await;
    }
    let out = b.c.execute_async(RUN_AXE, vec![]).await.expect("axe.run");
    match out {
        Value::Array(v) => v,
        other => panic!("axe failed: {other}"),
    }
}

/// Presses Tab through the page; returns the controls never focused.
async fn unreachable_by_keyboard(b: &Browser) -> (usize, Vec<String>) {
    let count = b.js(MARK_CONTROLS).await.as_u64().unwrap_or(0) as usize;
    let mut seen = BTreeSet::new();
    // Some controls take several stops (a date-time input has five).
    for _ in 0..count * 4 + 8 {
        if seen.len() == count {
            break;
        }
        let tab = KeyActions::new("keyboard".into())
            .then(KeyAction::Down {
                value: Key::Tab.into(),
            })
            .then(KeyAction::Up {
                value: Key::Tab.into(),
            });
        b.c.perform_actions(tab).await.expect("press Tab");
        let focused = b
            .js("const a = document.activeElement; return a && a.getAttribute('data-kb');")
            .await;
        if let Some(i) = focused.as_str().and_then(|s| s.parse::<usize>().ok()) {
            seen.insert(i);
        }
    }
    let missed: Vec<usize> = (0..count).filter(|i| !seen.contains(i)).collect();
    let mut described = vec![];
    for i in missed {
        let html = b
            .js(&format!(
                "return document.querySelector('[data-kb=\"{i}\"]').outerHTML.slice(0, 160);"
            ))
            .await;
        described.push(html.as_str().unwrap_or_default().to_string());
    }
    (count, described)
}

#[tokio::test]
async fn main_pages_pass_axe_and_work_by_keyboard() {
    let Some(h) = Harness::start().await else {
        return;
    };
    let live = live_tournament(&h, "olga@club.test").await;
    let tid = live.tid;
    // A second one, played out: the podium.
    let done = live.http.started_americano("Saturday Finals").await;
    live.http.play_out_and_finish(&h, done).await;
    // One saved score: the card's status.
    let first = h.round_matches(tid, 1).await.remove(0);
    live.http.score(&first, 14, 10).await;
    let anonymous = [
        ("home", "/".to_string()),
        ("sign-in", "/signin".into()),
        ("sign-up", "/signup".into()),
        ("share", format!("/t/{}", live.code)),
        ("share-me", format!("/t/{}?me={}", live.code, first.a1)),
        ("screen", format!("/tournaments/{tid}/screen")),
        ("finished", format!("/tournaments/{done}")),
    ];
    let signed_in = [
        ("tournament", format!("/tournaments/{tid}")),
        ("round", format!("/tournaments/{tid}/rounds/1")),
        ("new-tournament", "/tournaments/new".into()),
    ];
    let phone = h.browser("a11y-phone", PHONE, true).await;
    let tablet = h.browser("a11y", TABLET, true).await;

    let mut serious = vec![];
    let mut keyboard = vec![];
    let mut report = String::new();
    for (signed, pages) in [(false, &anonymous[..]), (true, &signed_in[..])] {
        if signed {
            tablet.sign_in(&live.email).await;
        }
        for (name, path) in pages {
            // The share page is the phone's; the rest are tablet pages.
            let b = if name.starts_with("share") {
                &phone
            } else {
                &tablet
            };
            b.goto(path).await;
            b.wait_js("document.readyState === 'complete'", WAIT).await;
            let (count, missed) = unreachable_by_keyboard(b).await;
            report.push_str(&format!(
                "{name} ({path}): {count} controls, {} not reachable by Tab\n",
                missed.len()
            ));
            for m in &missed {
                report.push_str(&format!("    not reachable: {m}\n"));
                keyboard.push(format!("{name}: {m}"));
            }
            for v in run_axe(b).await {
                let impact = v["impact"].as_str().unwrap_or("?").to_string();
                report.push_str(&format!(
                    "  axe {impact} {}: {}\n",
                    v["id"].as_str().unwrap_or("?"),
                    v["help"].as_str().unwrap_or("")
                ));
                for n in v["nodes"].as_array().into_iter().flatten() {
                    report.push_str(&format!(
                        "    {}\n      {}\n      {}\n",
                        n["target"].as_str().unwrap_or(""),
                        n["html"].as_str().unwrap_or(""),
                        n["summary"]
                            .as_str()
                            .unwrap_or("")
                            .replace('\n', "\n      ")
                    ));
                }
                if impact == "serious" || impact == "critical" {
                    serious.push(format!("{name}: {}", v["id"]));
                }
            }
        }
    }
    eprintln!("accessibility report:\n{report}");
    assert!(
        serious.is_empty(),
        "axe found serious/critical violations (report above): {serious:?}"
    );
    assert!(
        keyboard.is_empty(),
        "controls not reachable by keyboard: {keyboard:#?}"
    );
    phone.close().await;
    tablet.close().await;
}
