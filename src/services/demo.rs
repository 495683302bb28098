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
    // Four members with accounts (profiles worth opening), four guests.
    for (i, name) in NAMES[..4].iter().enumerate() {
        let email = format!("member{}@tornetic.club", i + 1);
        let user = accounts::register(
            db,
            SignUp {
                email,
                password: DEMO_PASSWORD.into(),
                display_name: (*name).into(),
            },
        )
        .await?;
        let member = Actor {
            user,
            is_admin: false,
        };
        tsvc::join(db, Some(&member), &t, None).await?;
    }
    tsvc::add_guests(db, &actor, &t, &NAMES[4..8].join("\n"), false).await?;
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

/// The load-test club: `players` accounts, `tournaments` finished Americanos
/// among them, and one live 24-player Americano with its first half scored.
/// Returns the live tournament's id.
pub async fn fill_large(
    db: &DatabaseConnection,
    players: usize,
    tournaments: usize,
) -> Result<i64, AppError> {
    use crate::entities::users;
    use sea_orm::{EntityTrait, Set};
    let organizer = match accounts::find_by_email(db, DEMO_EMAIL).await? {
        Some(u) => u,
        None => {
            accounts::register(
                db,
                SignUp {
                    email: DEMO_EMAIL.into(),
                    password: DEMO_PASSWORD.into(),
                    display_name: "Demo Organizer".into(),
                },
            )
            .await?
        }
    };
    let actor = Actor {
        user: organizer,
        is_admin: false,
    };
    // One hash for every seeded account keeps seeding fast; they can still sign in.
    let hash = accounts::hash_password(DEMO_PASSWORD.into()).await?;
    let rows: Vec<users::ActiveModel> = (0..players)
        .map(|i| users::ActiveModel {
            email: Set(format!("player{i}@demo.tornetic.club")),
            password_hash: Set(Some(hash.clone())),
            display_name: Set(format!(
                "{} {}",
                NAMES[i % NAMES.len()].split(' ').next().unwrap_or("Player"),
                i
            )),
            preferred_side: Set("both".into()),
            self_level: Set(Some(2.0 + (i % 9) as f64 * 0.5)),
            avatar_color: Set("#0b6b47".into()),
            token_version: Set(0),
            created_at: Set(chrono::Utc::now()),
            ..Default::default()
        })
        .collect();
    for chunk in rows.chunks(100) {
        users::Entity::insert_many(chunk.to_vec()).exec(db).await?;
    }
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    for k in 0..tournaments {
        let mut input = TournamentInput::defaults();
        input.name = format!("Club Americano #{}", k + 1);
        input.venue = "Club Central".into();
        input.max_players = "16".into();
        input.courts = "2".into();
        let t = tsvc::create(db, &actor, &input).await?;
        let start = (k * 8) % players.max(8);
        let names: Vec<String> = (0..8)
            .map(|j| {
                format!(
                    "{} {}",
                    NAMES[(start + j) % NAMES.len()]
                        .split(' ')
                        .next()
                        .unwrap_or("P"),
                    start + j
                )
            })
            .collect();
        tsvc::add_guests(db, &actor, &t, &names.join("\n"), true).await?;
        rounds::start(db, &actor, &t).await?;
        let n = tsvc::load_full(db, tsvc::get(db, t.id).await?)
            .await?
            .rounds
            .len() as i32;
        for r in 1..=n {
            play_round(db, &actor, t.id, r, &mut rng, None).await?;
        }
        rounds::finish(db, &actor, &tsvc::get(db, t.id).await?).await?;
    }
    let mut input = TournamentInput::defaults();
    input.name = "Saturday Live Americano".into();
    input.venue = "Club Central".into();
    input.max_players = "24".into();
    input.courts = "6".into();
    let live = tsvc::create(db, &actor, &input).await?;
    let names: Vec<String> = (0..24)
        .map(|j| format!("{} L{j}", NAMES[j % NAMES.len()]))
        .collect();
    tsvc::add_guests(db, &actor, &live, &names.join("\n"), true).await?;
    rounds::start(db, &actor, &live).await?;
    let n = tsvc::load_full(db, tsvc::get(db, live.id).await?)
        .await?
        .rounds
        .len() as i32;
    for r in 1..=(n / 2) {
        play_round(db, &actor, live.id, r, &mut rng, None).await?;
    }
    Ok(live.id)
}
