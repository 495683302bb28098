//! SSE fan-out load client: opens N event streams on one tournament, saves
//! scores through the organizer's session, and measures "save sent → event
//! read" for every stream. Run by `benches/load/run.sh` against the release
//! binary (not a criterion bench: it needs a running server).
//!
//! One thread, raw sockets, no parsing beyond finding `id:` lines, so the
//! client's own cost per event (~1 µs) does not hide the server's: the earlier
//! Python client spent ~40 µs per stream and event on the same two cores.
//!
//! usage: cargo bench --bench sse_fanout -- HOST:PORT TOURNAMENT MATCH_IDS COOKIE CSRF STREAMS SERVER_PID [SAVES]
use std::cell::RefCell;
use std::rc::Rc;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

struct Args {
    addr: String,
    tid: String,
    matches: Vec<String>,
    cookie: String,
    csrf: String,
    streams: usize,
    pid: String,
    saves: usize,
}

fn args() -> Option<Args> {
    // `cargo bench` passes `--bench` to harness-less benches: skip flags.
    let a: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    if a.len() < 7 {
        return None;
    }
    Some(Args {
        addr: a[0].clone(),
        tid: a[1].clone(),
        matches: a[2].split(',').map(str::to_owned).collect(),
        cookie: a[3].clone(),
        csrf: a[4].clone(),
        streams: a[5].parse().ok()?,
        pid: a[6].clone(),
        saves: a.get(7).and_then(|s| s.parse().ok()).unwrap_or(10),
    })
}

fn rss_mb(pid: &str) -> f64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

fn raise_fd_limit(want: u64) {
    let mut lim = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: plain getrlimit/setrlimit on a stack struct.
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) == 0 {
            lim.rlim_cur = lim.rlim_max.min(want);
            libc::setrlimit(libc::RLIMIT_NOFILE, &lim);
        }
    }
}

/// Times at which each stream read an event (any chunk holding an `id:` line).
type Seen = Rc<RefCell<Vec<Instant>>>;

async fn reader(addr: String, tid: String, seen: Seen, ready: Rc<RefCell<usize>>) {
    let req = format!(
        "GET /tournaments/{tid}/events HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n"
    );
    let mut buf = vec![0u8; 16 * 1024];
    // A full listen backlog refuses or resets some connections: retry like a
    // browser's EventSource would, until the stream delivered its first event.
    for _ in 0..50 {
        let Ok(mut s) = TcpStream::connect(&addr).await else {
            tokio::time::sleep(Duration::from_millis(100)).await;
            continue;
        };
        if s.write_all(req.as_bytes()).await.is_err() {
            continue;
        }
        let mut first = true;
        loop {
            let n = match s.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => n,
            };
            let now = Instant::now();
            if buf[..n].windows(4).any(|w| w == b"id: ") {
                seen.borrow_mut().push(now);
                if first {
                    first = false;
                    *ready.borrow_mut() += 1;
                }
            }
        }
        if !first {
            return; // the server closed a working stream: done
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Records a new score on an unplayed match, as the courtside tablet does.
async fn save(a: &Args, mid: &str, points: u32) -> std::io::Result<(u16, String)> {
    let mut s = TcpStream::connect(&a.addr).await?;
    let body = format!("score_a={points}&score_b={}&version=0", 24 - points);
    let req = format!(
        "POST /matches/{mid}/score HTTP/1.1\r\nHost: {}\r\nCookie: {}\r\nX-CSRF-Token: {}\r\nHX-Request: true\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        a.addr,
        a.cookie,
        a.csrf,
        body.len()
    );
    s.write_all(req.as_bytes()).await?;
    let mut out = Vec::new();
    s.read_to_end(&mut out).await?;
    let status = std::str::from_utf8(out.get(9..12).unwrap_or_default())
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let head = String::from_utf8_lossy(&out[..out.len().min(200)]).into_owned();
    Ok((status, head))
}

fn main() {
    let Some(a) = args() else {
        eprintln!("usage: cargo bench --bench sse_fanout -- HOST:PORT TOURNAMENT MATCH_IDS COOKIE CSRF STREAMS SERVER_PID [SAVES]");
        eprintln!(
            "(run by benches/load/run.sh against a running server; nothing to do without one)"
        );
        return;
    };
    raise_fd_limit(a.streams as u64 + 1024);
    let rt = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("runtime: {e}");
            std::process::exit(1);
        }
    };
    let local = tokio::task::LocalSet::new();
    local.block_on(&rt, run(a));
}

async fn run(a: Args) {
    let rss0 = rss_mb(&a.pid);
    let ready = Rc::new(RefCell::new(0usize));
    let batch: usize = std::env::var("SSE_BATCH")
        .ok()
        .and_then(|b| b.parse().ok())
        .unwrap_or(250);
    let mut streams: Vec<Seen> = Vec::with_capacity(a.streams);
    for i in 0..a.streams {
        let seen: Seen = Rc::default();
        streams.push(seen.clone());
        tokio::task::spawn_local(reader(a.addr.clone(), a.tid.clone(), seen, ready.clone()));
        if i % batch == batch - 1 {
            // Stay under the listen backlog.
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
    let deadline = Instant::now() + Duration::from_secs(120);
    while *ready.borrow() < a.streams && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let connected = *ready.borrow();
    let rss1 = rss_mb(&a.pid);
    let mut lat = Vec::with_capacity(a.streams * a.saves);
    let mut failed_saves = 0;
    for k in 0..a.saves {
        tokio::time::sleep(Duration::from_millis(500)).await;
        let before: Vec<usize> = streams.iter().map(|s| s.borrow().len()).collect();
        let t0 = Instant::now();
        let mid = &a.matches[k % a.matches.len()];
        match save(&a, mid, 5 + (k as u32 % 15)).await {
            Ok((200, _)) => {}
            Ok((code, head)) => {
                eprintln!(
                    "save of match {mid} answered {code} ({} bytes shown): {head:?}",
                    head.len()
                );
                failed_saves += 1;
                continue;
            }
            Err(e) => {
                eprintln!("save failed: {e}");
                failed_saves += 1;
                continue;
            }
        }
        tokio::time::sleep(Duration::from_millis(1500)).await;
        for (s, b) in streams.iter().zip(before) {
            let first = s.borrow()[b..].iter().find(|t| **t >= t0).copied();
            lat.push(first.map_or(f64::INFINITY, |t| (t - t0).as_secs_f64() * 1e3));
        }
    }
    let rss2 = rss_mb(&a.pid);
    lat.sort_by(f64::total_cmp);
    let missed = lat.iter().filter(|x| x.is_infinite()).count();
    let p = |q: f64| {
        lat.get(((q * lat.len() as f64) as usize).min(lat.len().saturating_sub(1)))
            .copied()
            .unwrap_or(f64::NAN)
    };
    println!(
        "| {} streams ({connected} open) | p50 {:.1} ms | p99 {:.1} ms | max {:.1} ms | missed {missed}, failed saves {failed_saves} | server RSS {rss0:.0} → {rss1:.0} MB open → {rss2:.0} MB after {} saves |",
        a.streams,
        p(0.5),
        p(0.99),
        lat.last().copied().unwrap_or(f64::NAN),
        a.saves
    );
}
