//! The `tornetic schedule` command, run as a user would (the built binary).
use std::process::Command;

fn schedule(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_tornetic"))
        .arg("schedule")
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run the binary: {e}"));
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn json_is_one_object_with_the_documented_key_order() {
    let (ok, out, err) = schedule(&["--players", "8", "--courts", "2", "--json"]);
    assert!(ok, "{err}");
    let line = out.trim_end();
    assert_eq!(line.lines().count(), 1, "{out}");
    assert!(
        line.starts_with(r#"{"N":8,"C":2,"R":7,"rounds":[{"matches":[[["#),
        "{line}"
    );
    let v: serde_json::Value = serde_json::from_str(line).unwrap_or_default();
    let rounds = v["rounds"].as_array().map(Vec::len);
    assert_eq!(rounds, Some(7), "{line}");
}

#[test]
fn text_shows_the_quality_figures_and_bad_input_is_refused() {
    let (ok, out, err) = schedule(&["--players", "22", "--courts", "5"]);
    assert!(ok, "{err}");
    for figure in [
        "partner repeats",
        "opponents per pair",
        "court spread",
        "games apart",
    ] {
        assert!(out.contains(figure), "{figure}: {out}");
    }
    let (ok, _, err) = schedule(&["--players", "9", "--courts", "3"]);
    assert!(!ok);
    assert!(err.starts_with("error:"), "{err}");
}

#[test]
fn a_reader_that_stops_early_is_not_a_crash() {
    use std::process::Stdio;
    // `tornetic schedule … | head -1`: the pipe closes while the table is being written.
    let mut child = Command::new(env!("CARGO_BIN_EXE_tornetic"))
        .args([
            "schedule",
            "--players",
            "64",
            "--courts",
            "4",
            "--rounds",
            "120",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run the binary: {e}"));
    drop(child.stdout.take());
    let out = child
        .wait_with_output()
        .unwrap_or_else(|e| panic!("cannot wait for the binary: {e}"));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}
