//! Browser journeys: headless Chromium through chromedriver against the real
//! application (in-process, fresh SQLite database per journey).
//!
//! `cargo test --test browser`. Without chromium/chromedriver the journeys
//! print a loud SKIPPED and pass, unless CI is set: then they fail.
//! Screenshots land in `target/screenshots/<journey>-<step>.png`.
mod a11y;
mod courtside;
#[path = "../api/form.rs"]
mod form;
mod harness;
mod layout;
mod nojs;
mod organizer;
mod player;
mod screen;
