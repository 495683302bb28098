//! Stored ratings always equal a full replay: random sequences of score saves,
//! edits and clears across tournaments, checked after every step.
use crate::helpers::{postgres_url, spawn_app, Backend, TestApp};
use crate::tournaments::{organizer_with_players, stored_matches};
use rand::{Rng, SeedableRng};
use sea_orm::EntityTrait;
use tornetic::entities::{matches, player_ratings, rating_history, users};
use tornetic::services::accounts::Actor;
use tornetic::services::{player_ratings as pr, rounds};

async fn scenario(app: &TestApp, seed: u64) {
    let t1 = organizer_with_players(app, 8, &[]).await;
    app.post(&format!("/tournaments/{t1}/start"), &[]).await;
    let t2 = app.create_tournament(&[("name", "Second")]).await;
    app.post(
        &format!("/tournaments/{t2}/players"),
        &[("names", "A\nB\nC\nD\nE\nF\nG\nH\nI")],
    )
    .await;
    app.post(&format!("/tournaments/{t2}/start"), &[]).await;
    let org = users::Entity::find().one(&app.db).await.unwrap().unwrap();
    let actor = Actor {
        user: org,
        is_admin: false,
    };
    let mut ids: Vec<i64> = stored_matches(app, t1)
        .await
        .iter()
        .chain(stored_matches(app, t2).await.iter())
        .map(|m| m.id)
        .collect();
    ids.sort();
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    for step in 0..40 {
        let id = ids[rng.random_range(0..ids.len())];
        let m = matches::Entity::find_by_id(id)
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        let clear = m.score_a.is_some() && rng.random_bool(0.25);
        let (a, b) = if clear {
            (None, None)
        } else {
            let a = rng.random_range(0..=24);
            (Some(a), Some(24 - a))
        };
        rounds::save_score(&app.db, &actor, id, a, b, m.version)
            .await
            .unwrap();
        let report = pr::rebuild(&app.db, false).await.unwrap();
        assert!(
            report.differences.is_empty(),
            "seed {seed} step {step}: {report}"
        );
    }
    let scored = matches::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .iter()
        .filter(|m| m.score_a.is_some())
        .count();
    let history = rating_history::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .len();
    assert_eq!(history, scored * 4, "four history rows per scored match");
    assert!(!player_ratings::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .is_empty());
}

#[tokio::test]
async fn ratings_equal_a_replay_after_random_edits_sqlite() {
    for seed in [1, 2, 3] {
        let app = spawn_app(Backend::Sqlite).await;
        scenario(&app, seed).await;
    }
}

#[tokio::test]
async fn ratings_equal_a_replay_after_random_edits_postgres() {
    if postgres_url().is_none() {
        eprintln!("TEST_POSTGRES_URL not set: PostgreSQL run skipped");
        return;
    }
    for seed in [4, 5] {
        let app = spawn_app(Backend::Postgres).await;
        scenario(&app, seed).await;
    }
}
