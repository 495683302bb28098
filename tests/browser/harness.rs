//! The browser harness: a chromedriver child process (its process group is
//! killed on drop, Chromium included), the real application in-process on a
//! fresh SQLite database, Chromium sessions of a given window size, small
//! helpers to fill, click and wait, PNG screenshots under
//! `target/screenshots/`, and an HTTP client for "the other device".
#![allow(dead_code)]
use fantoccini::elements::Element;
use fantoccini::wd::Capabilities;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use tornetic::config::Settings;
use tornetic::entities::{matches, rounds, tournaments};
use tornetic::startup::Application;

pub const PASSWORD: &str = "correct horse battery";
pub const WAIT: Duration = Duration::from_secs(8);

pub const PHONE: (u32, u32) = (390, 844);
pub const TABLET: (u32, u32) = (1024, 768);
pub const SCREEN: (u32, u32) = (1920, 1080);

/// One journey at a time: the machine is small, and the live-update check
/// measures a 1 s deadline.
static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// The browser and its driver, or `None` (after a loud SKIPPED) when they are
/// missing and CI is not set. With CI set a missing browser fails the test.
fn tools() -> Option<(PathBuf, PathBuf)> {
    let chrome = find_exe(
        "CHROME_BIN",
        &[
            "chromium",
            "chromium-browser",
            "google-chrome",
            "google-chrome-stable",
        ],
    );
    let driver = find_exe("CHROMEDRIVER", &["chromedriver"]);
    match (chrome, driver) {
        (Some(c), Some(d)) => Some((c, d)),
        (c, d) => {
            let msg = format!(
                "chromium: {}, chromedriver: {} (Debian: apt-get install chromium chromium-driver; \
                 or set CHROME_BIN / CHROMEDRIVER)",
                c.map_or("missing".into(), |p| p.display().to_string()),
                d.map_or("missing".into(), |p| p.display().to_string()),
            );
            if std::env::var("CI").is_ok_and(|v| !v.is_empty()) {
                panic!("CI is set and the browser journeys cannot run: {msg}");
            }
            // Straight to the process's stderr: the test harness captures
            // eprintln! of passing tests, and this must be seen.
            use std::io::Write;
            let _ = writeln!(
                std::io::stderr(),
                "\n********************************************************\n\
                 *** SKIPPED: chromium/chromedriver not found\n\
                 *** {msg}\n\
                 ********************************************************\n"
            );
            None
        }
    }
}

fn find_exe(env: &str, names: &[&str]) -> Option<PathBuf> {
    if let Some(p) = std::env::var_os(env).filter(|p| !p.is_empty()) {
        let p = PathBuf::from(p);
        return p.is_file().then_some(p);
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| names.iter().map(move |n| dir.join(n)))
        .find(|c| c.is_file())
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// A temporary directory, removed on drop.
pub struct TempDir(pub PathBuf);

impl TempDir {
    fn new(tag: &str) -> Self {
        let p = std::env::temp_dir().join(format!("tornetic-{tag}-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&p).expect("temp dir");
        TempDir(p)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// chromedriver as a child in its own process group: dropping it kills the
/// group (the driver and every Chromium it started), even after a panic.
struct Driver {
    child: Child,
    url: String,
}

impl Driver {
    async fn start(exe: &Path, log: &Path) -> Driver {
        use std::os::unix::process::CommandExt;
        let port = free_port();
        let child = Command::new(exe)
            .arg(format!("--port={port}"))
            .arg(format!("--log-path={}", log.display()))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", exe.display()));
        let url = format!("http://127.0.0.1:{port}");
        let driver = Driver { child, url };
        let http = reqwest::Client::new();
        let started = Instant::now();
        loop {
            let ready = http
                .get(format!("{}/status", driver.url))
                .send()
                .await
                .ok()
                .map(|r| r.json::<Value>());
            if let Some(body) = ready {
                if body.await.is_ok_and(|v| v["value"]["ready"] == json!(true)) {
                    return driver;
                }
            }
            assert!(
                started.elapsed() < Duration::from_secs(15),
                "chromedriver did not become ready on port {port} (log: {})",
                log.display()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        if let Ok(pid) = i32::try_from(self.child.id()) {
            // SAFETY: kill(2) on the process group this harness created.
            unsafe {
                libc::kill(-pid, libc::SIGKILL);
            }
        }
        let _ = self.child.wait();
    }
}

/// The application under test, its driver and its temporary files. Fields
/// drop in order: the app's runtime ends with the test, then the driver's
/// process group is killed, then the files go, then the next journey runs.
pub struct Harness {
    pub base: String,
    pub db: DatabaseConnection,
    driver: Driver,
    chrome: PathBuf,
    sessions: AtomicUsize,
    dir: TempDir,
    _serial: tokio::sync::MutexGuard<'static, ()>,
}

pub fn settings_for(db_url: &str, bind: &str, base: &str) -> Settings {
    let mut vars: HashMap<String, String> = HashMap::new();
    vars.insert("DATABASE_URL".into(), db_url.into());
    vars.insert("TORNETIC_BIND".into(), bind.into());
    vars.insert("TORNETIC_BASE_URL".into(), base.into());
    vars.insert(
        "TORNETIC_SECRET_KEY".into(),
        "test-secret-key-that-is-long-enough-0123456789".into(),
    );
    vars.insert("TORNETIC_AUTH_RATE_PER_MINUTE".into(), "1000".into());
    Settings::from_map(&vars).expect("test settings")
}

impl Harness {
    /// `None` when the browser is missing and CI is not set (skip).
    pub async fn start() -> Option<Harness> {
        let (chrome, driver_exe) = tools()?;
        let serial = SERIAL.lock().await;
        let dir = TempDir::new("browser");
        // The share links and QR codes carry the base URL: bind a known port.
        let port = free_port();
        let base = format!("http://127.0.0.1:{port}");
        let db_url = format!("sqlite://{}/test.db", dir.0.display());
        let settings = settings_for(&db_url, &format!("127.0.0.1:{port}"), &base);
        let app = Application::build(settings).await.expect("build app");
        tokio::spawn(app.run_until_stopped());
        let db = tornetic::db::connect(&db_url).await.expect("test db");
        let driver = Driver::start(&driver_exe, &dir.0.join("chromedriver.log")).await;
        Some(Harness {
            base,
            db,
            driver,
            chrome,
            sessions: AtomicUsize::new(0),
            dir,
            _serial: serial,
        })
    }

    /// A new Chromium session: empty profile, the given viewport size,
    /// JavaScript on or off.
    pub async fn browser(&self, journey: &str, size: (u32, u32), javascript: bool) -> Browser {
        let n = self.sessions.fetch_add(1, Ordering::SeqCst);
        let profile = self.dir.0.join(format!("profile-{n}"));
        std::fs::create_dir_all(&profile).expect("profile dir");
        let (w, h) = size;
        let args = vec![
            "--headless".to_string(),
            "--no-sandbox".into(),
            "--disable-gpu".into(),
            "--disable-quic".into(),
            "--no-first-run".into(),
            "--disable-background-networking".into(),
            "--disable-component-update".into(),
            "--disable-sync".into(),
            "--disable-dev-shm-usage".into(),
            "--disable-extensions".into(),
            "--hide-scrollbars".into(),
            "--force-device-scale-factor=1".into(),
            "--lang=en-GB".into(),
            format!("--window-size={w},{h}"),
            format!("--user-data-dir={}", profile.display()),
        ];
        let mut options = json!({ "binary": self.chrome.display().to_string(), "args": args });
        if !javascript {
            options["prefs"] = json!({ "profile.managed_default_content_settings.javascript": 2 });
        }
        let mut caps = Capabilities::new();
        caps.insert("browserName".into(), json!("chrome"));
        caps.insert("goog:chromeOptions".into(), options);
        caps.insert("pageLoadStrategy".into(), json!("normal"));
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(caps)
            .connect(&self.driver.url)
            .await
            .unwrap_or_else(|e| panic!("new Chromium session: {e}"));
        let b = Browser {
            c: client,
            base: self.base.clone(),
            journey: journey.to_string(),
        };
        b.fit_viewport(w, h).await;
        b
    }

    pub fn http(&self) -> Http {
        Http::new(&self.base)
    }

    pub async fn tournament(&self, id: i64) -> tournaments::Model {
        tournaments::Entity::find_by_id(id)
            .one(&self.db)
            .await
            .expect("query tournament")
            .expect("tournament exists")
    }

    /// Round `n` of a tournament.
    pub async fn round(&self, tid: i64, n: i32) -> rounds::Model {
        rounds::Entity::find()
            .filter(rounds::Column::TournamentId.eq(tid))
            .filter(rounds::Column::Number.eq(n))
            .one(&self.db)
            .await
            .expect("query round")
            .expect("round exists")
    }

    /// The matches of round `n`, by court.
    pub async fn round_matches(&self, tid: i64, n: i32) -> Vec<matches::Model> {
        let round = self.round(tid, n).await;
        matches::Entity::find()
            .filter(matches::Column::RoundId.eq(round.id))
            .order_by_asc(matches::Column::Court)
            .all(&self.db)
            .await
            .expect("query matches")
    }
}

pub fn screenshot_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("target")
        .join("screenshots")
}

/// One Chromium session.
pub struct Browser {
    pub c: Client,
    pub base: String,
    pub journey: String,
}

impl Browser {
    /// Makes the viewport (window.innerWidth × innerHeight) the asked size.
    async fn fit_viewport(&self, w: u32, h: u32) {
        for _ in 0..3 {
            // (With JavaScript off the script may be refused: keep the size.)
            let Ok(v) = self
                .c
                .execute(
                    "return [window.innerWidth, window.innerHeight, window.outerWidth, window.outerHeight];",
                    vec![],
                )
                .await
            else {
                return;
            };
            let get = |i: usize| v[i].as_i64().unwrap_or(0);
            let (iw, ih, ow, oh) = (get(0), get(1), get(2), get(3));
            if iw == i64::from(w) && ih == i64::from(h) {
                return;
            }
            let nw = (i64::from(w) + (ow - iw).max(0)) as u32;
            let nh = (i64::from(h) + (oh - ih).max(0)) as u32;
            let _ = self.c.set_window_size(nw, nh).await;
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub async fn goto(&self, path: &str) {
        self.c
            .goto(&self.url(path))
            .await
            .unwrap_or_else(|e| panic!("goto {path}: {e}"));
    }

    pub async fn path(&self) -> String {
        self.c
            .current_url()
            .await
            .map(|u| u.path().to_string())
            .unwrap_or_default()
    }

    pub async fn js(&self, script: &str) -> Value {
        self.c
            .execute(script, vec![])
            .await
            .unwrap_or_else(|e| panic!("script failed: {e}\n{script:.200}"))
    }

    pub async fn js_with(&self, script: &str, args: Vec<Value>) -> Value {
        self.c
            .execute(script, args)
            .await
            .unwrap_or_else(|e| panic!("script failed: {e}\n{script:.200}"))
    }

    pub async fn body_text(&self) -> String {
        match self.c.find(Locator::Css("body")).await {
            Ok(b) => b.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        }
    }

    /// Saves `target/screenshots/<journey>-<step>.png`.
    pub async fn screenshot(&self, step: &str) -> PathBuf {
        let dir = screenshot_dir();
        std::fs::create_dir_all(&dir).expect("screenshot dir");
        let path = dir.join(format!("{}-{step}.png", self.journey));
        match self.c.screenshot().await {
            Ok(png) => std::fs::write(&path, png).expect("write screenshot"),
            Err(e) => eprintln!("screenshot {step} failed: {e}"),
        }
        path
    }

    /// Fails the journey with a screenshot and the page's text.
    pub async fn fail(&self, what: &str) -> ! {
        let shot = self.screenshot("FAILED").await;
        let path = self.path().await;
        let text = self.body_text().await;
        panic!(
            "{}: {what}\n  at {path}\n  screenshot: {}\n  page text:\n{text}",
            self.journey,
            shot.display()
        );
    }

    pub async fn find(&self, css: &str) -> Element {
        match self
            .c
            .wait()
            .at_most(WAIT)
            .every(Duration::from_millis(50))
            .for_element(Locator::Css(css))
            .await
        {
            Ok(e) => e,
            Err(e) => self.fail(&format!("no element {css}: {e}")).await,
        }
    }

    pub async fn find_all(&self, css: &str) -> Vec<Element> {
        self.c.find_all(Locator::Css(css)).await.unwrap_or_default()
    }

    /// Types into a field the way a person would (clears it first).
    pub async fn fill(&self, css: &str, text: &str) {
        let el = self.find(css).await;
        fill_element(&el, text).await;
    }

    pub async fn click(&self, css: &str) {
        let el = self.find(css).await;
        if let Err(e) = el.click().await {
            self.fail(&format!("click {css}: {e}")).await;
        }
    }

    /// Clicks the button whose visible text is `label`.
    pub async fn press(&self, label: &str) {
        let xpath = format!("//button[normalize-space()='{label}']");
        let el = match self
            .c
            .wait()
            .at_most(WAIT)
            .for_element(Locator::XPath(&xpath))
            .await
        {
            Ok(e) => e,
            Err(e) => self.fail(&format!("no button {label:?}: {e}")).await,
        };
        if let Err(e) = el.click().await {
            self.fail(&format!("press {label:?}: {e}")).await;
        }
    }

    /// Waits until a JavaScript expression is truthy.
    pub async fn wait_js(&self, expr: &str, timeout: Duration) -> bool {
        let script = format!("return !!({expr});");
        let started = Instant::now();
        loop {
            if self.c.execute(&script, vec![]).await.ok() == Some(json!(true)) {
                return true;
            }
            if started.elapsed() > timeout {
                return false;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits until the page shows `text` (JavaScript-free: reads the DOM
    /// through WebDriver, so it works with scripts off too).
    pub async fn wait_text(&self, text: &str) {
        let started = Instant::now();
        loop {
            if self.body_text().await.contains(text) {
                return;
            }
            if started.elapsed() > WAIT {
                self.fail(&format!("timed out waiting for text {text:?}"))
                    .await;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits for the browser to arrive at a path starting with `prefix`.
    pub async fn wait_path(&self, prefix: &str) -> String {
        let started = Instant::now();
        loop {
            let p = self.path().await;
            if p.starts_with(prefix) {
                return p;
            }
            if started.elapsed() > WAIT {
                self.fail(&format!("timed out waiting for {prefix}*")).await;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    pub async fn sign_up(&self, name: &str, email: &str) {
        self.goto("/signup").await;
        self.fill("#display_name", name).await;
        self.fill("#email", email).await;
        self.fill("#password", PASSWORD).await;
        self.press("Create account").await;
        self.wait_text("Sign out").await;
    }

    pub async fn sign_in(&self, email: &str) {
        self.goto("/signin").await;
        self.fill("#email", email).await;
        self.fill("#password", PASSWORD).await;
        self.press("Sign in").await;
        self.wait_text("Sign out").await;
    }

    pub async fn close(self) {
        let _ = self.c.close().await;
    }
}

pub async fn fill_element(el: &Element, text: &str) {
    el.clear().await.expect("clear field");
    el.send_keys(text).await.expect("type into field");
}

/// "Another device": an HTTP client with its own cookie jar.
pub struct Http {
    pub c: reqwest::Client,
    pub base: String,
}

pub fn extract_csrf(html: &str) -> Option<String> {
    let marker = "name=\"csrf_token\" value=\"";
    if let Some(i) = html.find(marker) {
        let rest = &html[i + marker.len()..];
        return rest.split('"').next().map(str::to_string);
    }
    let marker = "X-CSRF-Token&#34;:&#34;";
    html.find(marker).and_then(|i| {
        html[i + marker.len()..]
            .split('&')
            .next()
            .map(str::to_string)
    })
}

impl Http {
    pub fn new(base: &str) -> Http {
        Http {
            c: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .cookie_store(true)
                .build()
                .expect("http client"),
            base: base.to_string(),
        }
    }

    pub async fn get_text(&self, path: &str) -> (u16, String) {
        let r = self
            .c
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .expect("GET");
        let s = r.status().as_u16();
        (s, r.text().await.unwrap_or_default())
    }

    pub async fn csrf(&self) -> String {
        let (_, html) = self.get_text("/").await;
        extract_csrf(&html).expect("csrf token on the home page")
    }

    /// Posts a form (with the session's CSRF token); returns status and
    /// Location.
    pub async fn post(&self, path: &str, form: &[(&str, &str)]) -> (u16, String) {
        let token = self.csrf().await;
        let mut fields = form.to_vec();
        fields.push(("csrf_token", &token));
        let r = self
            .c
            .post(format!("{}{path}", self.base))
            .form(&fields)
            .send()
            .await
            .expect("POST");
        let status = r.status().as_u16();
        let loc = r
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        if status >= 400 {
            let body = r.text().await.unwrap_or_default();
            panic!("POST {path} answered {status}: {body:.600}");
        }
        (status, loc)
    }

    pub async fn sign_up(&self, name: &str, email: &str) {
        let (s, _) = self
            .post(
                "/signup",
                &[
                    ("email", email),
                    ("password", PASSWORD),
                    ("display_name", name),
                ],
            )
            .await;
        assert_eq!(s, 303, "sign up {email}");
    }

    /// An 8-player, 2-court, 24-point Americano; returns its id.
    pub async fn create_americano(&self, name: &str) -> i64 {
        self.create_tournament(name, "americano", &[]).await
    }

    /// An 8-player, 2-court, 24-point tournament of `format`, with `extra` form
    /// fields; returns its id.
    pub async fn create_tournament(&self, name: &str, format: &str, extra: &[(&str, &str)]) -> i64 {
        let mut overrides = vec![("name", name), ("format", format), ("max_players", "8")];
        overrides.extend_from_slice(extra);
        let (s, loc) = self
            .post("/tournaments", &crate::form::tournament_form(&overrides))
            .await;
        assert_eq!(s, 303, "create tournament");
        loc.trim_start_matches("/tournaments/")
            .parse()
            .expect("tournament id in Location")
    }

    pub async fn add_players(&self, tid: i64, names: &[&str]) {
        self.post(
            &format!("/tournaments/{tid}/players"),
            &[("names", &names.join("\n"))],
        )
        .await;
    }

    pub async fn start(&self, tid: i64) {
        let (s, loc) = self.post(&format!("/tournaments/{tid}/start"), &[]).await;
        assert_eq!(
            (s, loc.as_str()),
            (303, &*format!("/tournaments/{tid}/rounds/1"))
        );
    }

    /// Saves a score as htmx does (token in the header).
    pub async fn score(&self, m: &matches::Model, a: i32, b: i32) {
        let token = self.csrf().await;
        let r = self
            .c
            .post(format!("{}/matches/{}/score", self.base, m.id))
            .header("HX-Request", "true")
            .header("X-CSRF-Token", token)
            .form(&[
                ("score_a", a.to_string()),
                ("score_b", b.to_string()),
                ("version", m.version.to_string()),
            ])
            .send()
            .await
            .expect("POST score");
        assert_eq!(r.status().as_u16(), 200, "save score for match {}", m.id);
    }
}

pub const EIGHT: [&str; 8] = [
    "Ana Torres",
    "Bruno Costa",
    "Carla Ruiz",
    "Diego Marín",
    "Elena Vidal",
    "Fede Luna",
    "Gema Soto",
    "Hugo Prieto",
];

/// An organizer (over HTTP) with a started 8-player Americano: the fixture
/// for the screen, accessibility, no-JS and layout journeys.
pub struct Live {
    pub http: Http,
    pub email: String,
    pub tid: i64,
    pub code: String,
}

pub async fn live_tournament(h: &Harness, email: &str) -> Live {
    let http = h.http();
    http.sign_up("Olga Organizer", email).await;
    let tid = http.started_americano("Friday Americano").await;
    let code = h.tournament(tid).await.share_code;
    Live {
        http,
        email: email.to_string(),
        tid,
        code,
    }
}

impl Http {
    /// An 8-player Americano, started; returns its id.
    pub async fn started_americano(&self, name: &str) -> i64 {
        let tid = self.create_americano(name).await;
        self.add_players(tid, &EIGHT).await;
        self.start(tid).await;
        tid
    }

    /// Scores every round (15–9 on every court) and finishes.
    pub async fn play_out_and_finish(&self, h: &Harness, tid: i64) {
        let rounds = rounds::Entity::find()
            .filter(rounds::Column::TournamentId.eq(tid))
            .all(&h.db)
            .await
            .expect("query rounds");
        for r in rounds {
            for m in h.round_matches(tid, r.number).await {
                self.score(&m, 15, 9).await;
            }
        }
        let (s, _) = self.post(&format!("/tournaments/{tid}/finish"), &[]).await;
        assert_eq!(s, 303, "finish");
    }
}
