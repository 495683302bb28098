//! Hostile input: random junk into every form never gives a 500; stored XSS
//! renders as text everywhere; other tournaments' ids are refused; SQL
//! metacharacters in search are just text.
use crate::both;
use crate::helpers::TestApp;
use crate::tournaments::{organizer_with_players, stored_matches};
use rand::{Rng, SeedableRng};
use sea_orm::{EntityTrait, PaginatorTrait};
use tornetic::entities::{tournaments, users};

fn junk(rng: &mut rand_chacha::ChaCha8Rng) -> String {
    match rng.random_range(0..9) {
        0 => String::new(),
        1 => "x".repeat(rng.random_range(1000..70_000)),
        2 => format!("{}", rng.random::<i64>()),
        3 => "-99999999999999999999".into(),
        4 => "<script>alert(1)</script>\"><img src=x onerror=alert(1)>".into(),
        5 => "'; DROP TABLE users; --".into(),
        6 => "\u{0000}\u{202e}\u{1F3BE}\r\n\t".into(),
        7 => "1e309".into(),
        _ => (0..rng.random_range(1..50))
            .map(|_| rng.random_range(0x20u8..0x7f) as char)
            .collect(),
    }
}

const FIELDS: &[&str] = &[
    "name",
    "starts_at",
    "venue",
    "format",
    "scoring_mode",
    "scoring_target",
    "round_minutes",
    "courts",
    "court_names",
    "rounds",
    "sit_out_comp",
    "mexicano_rule",
    "tiebreak",
    "is_public",
    "max_players",
    "names",
    "allow_duplicates",
    "score_a",
    "score_b",
    "version",
    "clear",
    "email",
    "password",
    "display_name",
    "preferred_side",
    "self_level",
    "action",
    "group",
    "remember",
    "next",
];

both!(
    random_junk_in_every_form_is_a_4xx_never_a_500,
    |app: TestApp| async move {
        let tid = organizer_with_players(&app, 8, &[]).await;
        app.post(&format!("/tournaments/{tid}/start"), &[]).await;
        let mid = stored_matches(&app, tid).await[0].id;
        let t = tournaments::Entity::find_by_id(tid)
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        let paths = [
            "/signup".to_string(),
            "/signin".into(),
            "/profile".into(),
            "/tournaments".into(),
            format!("/tournaments/{tid}/edit"),
            format!("/tournaments/{tid}/players"),
            format!("/tournaments/{tid}/players/1"),
            format!("/tournaments/{tid}/organizers"),
            format!("/matches/{mid}/score"),
            format!("/t/{}/join", t.share_code),
            "/tournaments/999999/start".into(),
            "/matches/-1/score".into(),
            "/tournaments/abc/players".into(),
        ];
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(9);
        for round in 0..6 {
            for path in &paths {
                let n = rng.random_range(0..6);
                let form: Vec<(String, String)> = (0..n)
                    .map(|_| {
                        (
                            FIELDS[rng.random_range(0..FIELDS.len())].to_string(),
                            junk(&mut rng),
                        )
                    })
                    .collect();
                let borrowed: Vec<(&str, &str)> =
                    form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
                let r = app.post_hx(path, &borrowed).await;
                let s = r.status().as_u16();
                assert!(
                    s < 500,
                    "round {round}: {path} with {:?} gave {s}",
                    form.iter()
                        .map(|(k, v)| (k, v.chars().take(30).collect::<String>()))
                        .collect::<Vec<_>>()
                );
            }
        }
        // Invalid UTF-8 and a wrong content type.
        let token = app.csrf().await;
        let r = app
            .client
            .post(app.url("/signup"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("X-CSRF-Token", token.clone())
            .body(vec![b'e', b'm', b'a', b'i', b'l', b'=', 0xff, 0xfe])
            .send()
            .await
            .unwrap();
        assert!(r.status().as_u16() < 500 && r.status().as_u16() >= 400);
        let r = app
            .client
            .post(app.url(&format!("/matches/{mid}/score")))
            .header("Content-Type", "application/json")
            .header("X-CSRF-Token", token)
            .body("{\"score_a\": []}")
            .send()
            .await
            .unwrap();
        assert!(r.status().is_client_error());
        for path in [
            "/tournaments/99999999999999999999999",
            "/tournaments/-5",
            "/players/abc",
            "/t/%00",
            "/tournaments/1/rounds/999",
        ] {
            let s = app.get(path).await.status().as_u16();
            assert!((400..500).contains(&s), "{path}: {s}");
        }
    }
);

both!(
    stored_xss_renders_as_text_everywhere,
    |app: TestApp| async move {
        app.sign_up("org@club.test", "<b>Olga</b>").await;
        let evil = "\"><img src=x onerror=alert(1)><script>alert(2)</script>";
        let tid = app
            .create_tournament(&[("name", evil), ("venue", evil)])
            .await;
        let names = "<img src=x onerror=alert(1)>\n<script>alert(2)</script>\nC\nD\nE\nF\nG\nH";
        app.post(&format!("/tournaments/{tid}/players"), &[("names", names)])
            .await;
        app.post(&format!("/tournaments/{tid}/start"), &[]).await;
        let t = tournaments::Entity::find_by_id(tid)
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        for path in [
            "/".to_string(),
            format!("/tournaments/{tid}"),
            format!("/tournaments/{tid}/rounds/1"),
            format!("/tournaments/{tid}/screen"),
            format!("/tournaments/{tid}/standings"),
            format!("/tournaments/{tid}/print"),
            format!("/t/{}", t.share_code),
            "/tournaments?tab=live".into(),
            "/profile".into(),
        ] {
            let (s, html) = app.get_text(&path).await;
            assert_eq!(s, 200, "{path}");
            assert!(
                !html.contains("<img src=x")
                    && !html.contains("<script>alert")
                    && !html.contains("<b>Olga"),
                "{path} leaks markup"
            );
        }
        let (_, csv) = app
            .get_text(&format!("/tournaments/{tid}/results.csv"))
            .await;
        assert!(csv.contains("onerror"), "CSV keeps the text as data");
    }
);

both!(
    other_tournaments_ids_are_refused,
    |app: TestApp| async move {
        let t1 = organizer_with_players(&app, 8, &[("is_public", "")]).await;
        app.post(&format!("/tournaments/{t1}/start"), &[]).await;
        let m1 = stored_matches(&app, t1).await[0].id;
        let other = app.new_browser();
        other.sign_up("eve@club.test", "Eve").await;
        let t2 = other.create_tournament(&[]).await;
        other
            .post(
                &format!("/tournaments/{t2}/players"),
                &[("names", "A\nB\nC\nD")],
            )
            .await;
        // Eve uses her own tournament's path with Olga's registration and match ids.
        let reg_of_t1 = tornetic::entities::tournament_player::Entity::find()
            .all(&app.db)
            .await
            .unwrap()[0]
            .id;
        let r = other
            .post(
                &format!("/tournaments/{t2}/players/{reg_of_t1}"),
                &[("action", "remove")],
            )
            .await;
        assert_eq!(r.status().as_u16(), 404);
        let r = other
            .post(
                &format!("/matches/{m1}/score"),
                &[("score_a", "24"), ("score_b", "0"), ("version", "0")],
            )
            .await;
        assert_eq!(r.status().as_u16(), 403);
        assert_eq!(stored_matches(&app, t1).await[0].score_a, None);
        // Olga's private tournament is invisible to Eve, but the share link works.
        assert_eq!(
            other
                .get(&format!("/tournaments/{t1}"))
                .await
                .status()
                .as_u16(),
            404
        );
        assert_eq!(
            other
                .get(&format!("/tournaments/{t1}/screen"))
                .await
                .status()
                .as_u16(),
            404
        );
        let (_, list) = other.get_text("/tournaments?tab=live").await;
        assert!(!list.contains(&format!("/tournaments/{t1}\"")));
    }
);

both!(
    sql_metacharacters_in_search_are_harmless,
    |app: TestApp| async move {
        app.sign_up("org@club.test", "Olga").await;
        app.create_tournament(&[("name", "100% Padel_Night")]).await;
        for q in [
            "' OR 1=1 --",
            "%",
            "_",
            "\\",
            "100%",
            "\"; DROP TABLE tournaments; --",
        ] {
            let (s, html) = app
                .get_text(&format!(
                    "/tournaments?tab=upcoming&q={}",
                    urlencoding::encode(q)
                ))
                .await;
            assert_eq!(s, 200, "{q}");
            let found = html.contains("100% Padel_Night");
            assert_eq!(
                found,
                q == "%" || q == "_" || q == "100%",
                "{q}: literal match only"
            );
        }
        assert_eq!(tournaments::Entity::find().count(&app.db).await.unwrap(), 1);
        assert_eq!(users::Entity::find().count(&app.db).await.unwrap(), 1);
    }
);

/// Random JSON documents (proptest strategies) as bodies of every API write.
fn arb_json() -> impl proptest::strategy::Strategy<Value = serde_json::Value> {
    use proptest::prelude::*;
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(serde_json::Value::from),
        ".{0,40}".prop_map(serde_json::Value::from),
        Just(serde_json::Value::from("x".repeat(100_000))),
        Just(serde_json::Value::from("<script>alert(1)</script>")),
    ];
    leaf.prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::from),
            proptest::collection::hash_map(
                prop_oneof![
                    Just("name".to_string()),
                    Just("score_a".to_string()),
                    Just("score_b".to_string()),
                    Just("version".to_string()),
                    Just("email".to_string()),
                    Just("password".to_string()),
                    Just("display_name".to_string()),
                    Just("courts".to_string()),
                    Just("format".to_string()),
                    Just("max_players".to_string()),
                    Just("self_level".to_string()),
                    ".{0,8}".prop_map(|s| s),
                ],
                inner,
                0..6
            )
            .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    })
}

both!(
    random_json_bodies_to_the_api_are_4xx_never_500,
    |app: TestApp| async move {
        use proptest::strategy::{Strategy, ValueTree};
        let tid = organizer_with_players(&app, 8, &[]).await;
        app.post(&format!("/tournaments/{tid}/start"), &[]).await;
        let mid = stored_matches(&app, tid).await[0].id;
        let r = app
            .client
            .post(app.url("/api/v1/auth/jwt/login"))
            .form(&[
                ("username", "org@club.test"),
                ("password", "correct horse battery"),
            ])
            .send()
            .await
            .unwrap();
        let tok = r.json::<serde_json::Value>().await.unwrap()["access_token"]
            .as_str()
            .unwrap()
            .to_string();
        let targets = [
            (reqwest::Method::POST, "/api/v1/auth/register".to_string()),
            (reqwest::Method::PATCH, "/api/v1/users/me".to_string()),
            (reqwest::Method::POST, "/api/v1/tournaments".to_string()),
            (reqwest::Method::PATCH, format!("/api/v1/tournaments/{tid}")),
            (
                reqwest::Method::POST,
                format!("/api/v1/tournaments/{tid}/players"),
            ),
            (
                reqwest::Method::PATCH,
                format!("/api/v1/matches/{mid}/score"),
            ),
            (
                reqwest::Method::PATCH,
                "/api/v1/matches/999999/score".to_string(),
            ),
        ];
        let mut runner = proptest::test_runner::TestRunner::deterministic();
        let strategy = arb_json();
        for i in 0..40 {
            let body = strategy.new_tree(&mut runner).unwrap().current();
            for (method, path) in &targets {
                let r = app
                    .client
                    .request(method.clone(), app.url(path))
                    .bearer_auth(&tok)
                    .json(&body)
                    .send()
                    .await
                    .unwrap();
                let s = r.status().as_u16();
                assert!(
                    s < 500,
                    "case {i}: {method} {path} with {} gave {s}",
                    body.to_string().chars().take(200).collect::<String>()
                );
                if s >= 400 {
                    let e: serde_json::Value = r.json().await.unwrap_or_default();
                    assert!(e["error"]["code"].is_string(), "{path}: error shape");
                }
            }
        }
    }
);
