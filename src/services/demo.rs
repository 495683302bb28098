//! `tornetic demo`: a living club for newcomers — 24 players, a finished
//! Americano and a Mexicano in progress — made through the same services as
//! the site, so the demo obeys every rule.
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use sea_orm::DatabaseConnection;

use crate::error::AppError;
use crate::services::accounts::{self, Actor, SignUp};
use crate::services::rounds;
use crate::services::tournaments::{self as tsvc, TournamentInput};

pub const DEMO_EMAIL: &str = "demo@tornetic.club";
pub const DEMO_PASSWORD: &str = "courtside-demo";

const NAMES: [&str; 24] = [
    "Ana García",
    "Ben Müller",
    "Carla Rossi",
    "David Kim",
    "Elena Petrova",
    "Femi Adeyemi",
    "Greta Nilsen",
    "Hugo Martín",
    "Ines Costa",
    "Jonas Weber",
    "Kaori Tanaka",
    "Luis Ortega",
    "Maya Cohen",
    "Nico Laurent",
    "Olga Ivanova",
    "Pablo Ruiz",
    "Quinn Murphy",
    "Rosa Delgado",
    "Sami Haddad",
    "Tara Singh",
    "Umberto Bianchi",
    "Vera Novak",
    "Will Turner",
    "Ximena Flores",
];

async fn play_round(
    db: &DatabaseConnection,
    actor: &Actor,
    tid: i64,
    number: i32,
    rng: &mut ChaCha8Rng,
    only: Option<usize>,
) -> Result<(), AppError> {
    let t = tsvc::get(db, tid).await?;
    let full = tsvc::load_full(db, t).await?;
    let Some(r) = full.rounds.iter().find(|r| r.number == number) else {
        return Ok(());
    };
    for m in r.matches.iter().take(only.unwrap_or(usize::MAX)) {
        let a = rng.random_range(6..=18);
        rounds::save_score(db, actor, m.id, Some(a), Some(24 - a), m.version).await?;
    }
    Ok(())
}

pub async fn fill(db: &DatabaseConnection) -> Result<String, AppError> {
    if accounts::find_by_email(db, DEMO_EMAIL).await?.is_some() {
        return Ok(format!(
            "The demo club is already here. Sign in as {DEMO_EMAIL} / {DEMO_PASSWORD}."
        ));
    }
    let user = accounts::register(
        db,
        SignUp {
            email: DEMO_EMAIL.into(),
            password: DEMO_PASSWORD.into(),
            display_name: "Demo Organizer".into(),
        },
    )
    .await?;
    let actor = Actor {
        user,
        is_admin: false,
    };
    let mut rng = ChaCha8Rng::seed_from_u64(2026);

    let mut input = TournamentInput::defaults();
    input.name = "Friday Night Americano".into();
    input.venue = "Club Central".into();
    input.starts_at = "2026-11-20T19:00".into();
    input.max_players = "8".into();
    let t = tsvc::create(db, &actor, &input).await?;
    tsvc::add_guests(db, &actor, &t, &NAMES[..8].join("\n"), false).await?;
    rounds::start(db, &actor, &t).await?;
    let rounds_n = tsvc::load_full(db, tsvc::get(db, t.id).await?)
        .await?
        .rounds
        .len() as i32;
    for n in 1..=rounds_n {
        play_round(db, &actor, t.id, n, &mut rng, None).await?;
    }
    rounds::finish(db, &actor, &tsvc::get(db, t.id).await?).await?;

    let mut input = TournamentInput::defaults();
    input.name = "Sunday Mexicano".into();
    input.venue = "Club Central".into();
    input.format = "mexicano".into();
    input.courts = "3".into();
    input.max_players = "12".into();
    input.rounds = "6".into();
    let m = tsvc::create(db, &actor, &input).await?;
    tsvc::add_guests(db, &actor, &m, &NAMES[8..20].join("\n"), false).await?;
    rounds::start(db, &actor, &m).await?;
    play_round(db, &actor, m.id, 1, &mut rng, None).await?;
    rounds::next_mexicano_round(db, &actor, &tsvc::get(db, m.id).await?).await?;
    play_round(db, &actor, m.id, 2, &mut rng, Some(1)).await?;

    let mut input = TournamentInput::defaults();
    input.name = "Beginners' Americano".into();
    input.starts_at = "2026-12-05T10:00".into();
    input.max_players = "12".into();
    input.courts = "3".into();
    let u = tsvc::create(db, &actor, &input).await?;
    tsvc::add_guests(db, &actor, &u, &NAMES[16..24].join("\n"), false).await?;
    Ok(format!(
        "Demo club ready: 24 players, a finished Americano, a Mexicano in progress, an upcoming Americano.\nSign in as {DEMO_EMAIL} / {DEMO_PASSWORD}."
    ))
}
