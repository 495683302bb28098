//! Live events: after a committed score change every instance re-renders the
//! tournament's fragments once and pushes them to its own subscribers.
//! With PostgreSQL the change crosses instances via LISTEN/NOTIFY; with SQLite
//! (one instance) it stays in process.
use sea_orm::{ConnectionTrait, DbBackend, Statement};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tokio::sync::broadcast;

use crate::startup::AppState;

pub const CHANNEL: &str = "tornetic_live";

/// Fragments rendered once per change, shared by every subscriber.
#[derive(Debug)]
pub struct LiveMessage {
    pub score_version: i64,
    /// Whether the tournament was public when this was rendered: a stream opened
    /// without a private-view check ends at the first message that is not.
    pub public: bool,
    /// The `standings` and `courts` events, encoded once as SSE bytes: every
    /// subscriber gets the same buffer (a reference count, not a copy).
    pub html_event: actix_web::web::Bytes,
    /// The `update` event with the JSON payload, for API subscribers.
    pub json_event: actix_web::web::Bytes,
}

/// One SSE event in wire format; multi-line data becomes several `data:` lines.
pub fn encode_event(out: &mut String, name: &str, id: i64, data: &str) {
    use std::fmt::Write;
    let _ = write!(out, "event: {name}\nid: {id}\n");
    for line in data.split('\n') {
        out.push_str("data: ");
        out.push_str(line.trim_end_matches('\r'));
        out.push('\n');
    }
    out.push('\n');
}

/// A tournament's channel and the last message rendered for it.
struct Channel {
    sender: broadcast::Sender<Arc<LiveMessage>>,
    /// Reused for every new subscriber while the score version is unchanged, so a
    /// reconnect storm (a restart, a club's Wi-Fi coming back) costs no renders and
    /// no per-subscriber garbage.
    last: Option<Arc<LiveMessage>>,
}

/// Striped locks for [`LiveHub::setup_guard`]: a fixed set, so requests for
/// made-up tournament ids cannot grow anything.
const SETUP_LOCKS: usize = 32;

#[derive(Clone, Default)]
pub struct LiveHub {
    channels: Arc<Mutex<HashMap<i64, Channel>>>,
    setup: Arc<[tokio::sync::Mutex<()>; SETUP_LOCKS]>,
    state: Arc<Mutex<Option<std::sync::Weak<AppState>>>>,
}

impl LiveHub {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn subscribe(&self, tournament_id: i64) -> broadcast::Receiver<Arc<LiveMessage>> {
        let mut map = self.channels.lock().unwrap_or_else(|p| p.into_inner());
        Self::channel(&mut map, tournament_id).sender.subscribe()
    }

    fn channel(map: &mut HashMap<i64, Channel>, tournament_id: i64) -> &mut Channel {
        map.entry(tournament_id).or_insert_with(|| Channel {
            sender: broadcast::channel(16).0,
            last: None,
        })
    }

    pub fn subscribers(&self, tournament_id: i64) -> usize {
        let map = self.channels.lock().unwrap_or_else(|p| p.into_inner());
        map.get(&tournament_id)
            .map_or(0, |c| c.sender.receiver_count())
    }

    /// The last rendered message if it is still for `score_version`.
    pub fn current(&self, tournament_id: i64, score_version: i64) -> Option<Arc<LiveMessage>> {
        let map = self.channels.lock().unwrap_or_else(|p| p.into_inner());
        map.get(&tournament_id)?
            .last
            .clone()
            .filter(|m| m.score_version == score_version)
    }

    /// Taken by new subscribers and pollers before they query or render what is
    /// missing, so a crowd arriving at once (a restart, the club's Wi-Fi coming
    /// back) does that work once and shares it, instead of hundreds of identical
    /// queries and renders at the same moment.
    pub async fn setup_guard(&self, tournament_id: i64) -> tokio::sync::MutexGuard<'_, ()> {
        let i = tournament_id.rem_euclid(SETUP_LOCKS as i64) as usize;
        self.setup[i].lock().await
    }

    /// Keeps `msg` for later subscribers unless a newer one is already kept.
    pub fn remember(&self, tournament_id: i64, msg: &Arc<LiveMessage>) {
        let mut map = self.channels.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(c) = map.get_mut(&tournament_id) {
            if c.last
                .as_ref()
                .is_none_or(|l| l.score_version <= msg.score_version)
            {
                c.last = Some(msg.clone());
            }
        }
    }

    /// Drops the channel of a tournament nobody follows any more, so the map
    /// does not grow with every tournament ever watched.
    fn forget_idle(&self, tournament_id: i64) {
        let mut map = self.channels.lock().unwrap_or_else(|p| p.into_inner());
        if map
            .get(&tournament_id)
            .is_some_and(|c| c.sender.receiver_count() == 0)
        {
            map.remove(&tournament_id);
        }
    }

    /// Starts the PostgreSQL listener (PostgreSQL only).
    pub async fn start(&self, state: Arc<AppState>) {
        *self.state.lock().unwrap_or_else(|p| p.into_inner()) = Some(Arc::downgrade(&state));
        if !state.settings.is_postgres() {
            return;
        }
        let url = state.settings.database_url.clone();
        let hub = self.clone();
        tokio::spawn(async move {
            let mut delay = 250u64;
            loop {
                match listen(&url, &hub).await {
                    Ok(()) => delay = 250,
                    Err(e) => tracing::warn!(error = %e, "live listener lost; reconnecting"),
                }
                if hub.state().is_none() {
                    return; // the app is gone
                }
                tokio::time::sleep(std::time::Duration::from_millis(delay)).await;
                delay = (delay * 2).min(5_000);
            }
        });
    }

    fn state(&self) -> Option<Arc<AppState>> {
        self.state
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .as_ref()
            .and_then(|w| w.upgrade())
    }

    /// Called after a commit. PostgreSQL: NOTIFY (every instance, this one
    /// included, hears it); SQLite: dispatch here.
    pub async fn publish(&self, db: &impl ConnectionTrait, tournament_id: i64) {
        if db.get_database_backend() == DbBackend::Postgres {
            // This instance forgets at once; waiting for its own NOTIFY left a window
            // in which a new subscriber got the state from before the change (a
            // tournament just made private still streamed to a visitor).
            self.drop_kept(tournament_id);
            let stmt = Statement::from_sql_and_values(
                DbBackend::Postgres,
                "SELECT pg_notify($1, $2)",
                [CHANNEL.into(), tournament_id.to_string().into()],
            );
            if let Err(e) = db.execute_raw(stmt).await {
                tracing::warn!(error = %e, "NOTIFY failed; dispatching locally");
                self.dispatch(tournament_id).await;
            }
        } else {
            self.dispatch(tournament_id).await;
        }
    }

    /// Forgets this instance's cached standings and kept message for the tournament.
    fn drop_kept(&self, tournament_id: i64) {
        if let Some(state) = self.state() {
            state.cache.invalidate(tournament_id);
        }
        let mut map = self.channels.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(c) = map.get_mut(&tournament_id) {
            c.last = None;
        }
    }

    /// Renders once and fans out to this instance's subscribers.
    pub async fn dispatch(&self, tournament_id: i64) {
        // Something changed: the kept message is stale even if the version is not
        // (an edit that does not bump it).
        self.drop_kept(tournament_id);
        let sender = {
            let map = self.channels.lock().unwrap_or_else(|p| p.into_inner());
            match map.get(&tournament_id) {
                Some(c) => c.sender.clone(),
                None => return,
            }
        };
        if sender.receiver_count() == 0 {
            self.forget_idle(tournament_id);
            return;
        }
        let Some(state) = self.state() else { return };
        match crate::routes::live::render_message(&state, tournament_id).await {
            Ok(msg) => {
                let msg = Arc::new(msg);
                self.remember(tournament_id, &msg);
                let _ = sender.send(msg);
            }
            Err(e) => tracing::warn!(error = %e, tournament_id, "could not render live update"),
        }
    }
}

async fn listen(url: &str, hub: &LiveHub) -> Result<(), sqlx::Error> {
    let mut listener = sqlx::postgres::PgListener::connect(url).await?;
    listener.listen(CHANNEL).await?;
    tracing::info!("listening for live events on PostgreSQL");
    loop {
        let n = listener.recv().await?;
        if let Ok(id) = n.payload().parse::<i64>() {
            let hub = hub.clone();
            tokio::spawn(async move { hub.dispatch(id).await });
        }
    }
}
