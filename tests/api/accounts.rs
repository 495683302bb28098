use crate::both;
use crate::helpers::{extract_csrf, TestApp};
use sea_orm::{EntityTrait, PaginatorTrait};
use tornetic::entities::users;

both!(
    sign_up_signs_in_and_hashes_with_argon2id,
    |app: TestApp| async move {
        let r = app.sign_up("Ana@Club.test", "Ana García").await;
        assert_eq!(r.status().as_u16(), 303);
        let (_, html) = app.get_text("/").await;
        assert!(html.contains("Ana García"), "signed in after sign-up");
        let u = users::Entity::find().one(&app.db).await.unwrap().unwrap();
        assert_eq!(u.email, "ana@club.test");
        assert!(u.password_hash.unwrap().starts_with("$argon2id$"));
    }
);

both!(
    bad_sign_up_input_keeps_what_was_typed,
    |app: TestApp| async move {
        app.sign_up("taken@club.test", "First").await;
        let other = app.new_browser();
        for (email, password, name, field_msg) in [
            (
                "not-an-email",
                "long enough pw",
                "Bo",
                "does not look like an email",
            ),
            ("taken@club.test", "long enough pw", "Bo", "already exists"),
            ("bo@club.test", "short", "Bo", "at least 10 characters"),
            ("bo@club.test", "long enough pw", "", "Please enter a name"),
        ] {
            let r = other
                .post(
                    "/signup",
                    &[
                        ("email", email),
                        ("password", password),
                        ("display_name", name),
                    ],
                )
                .await;
            assert_eq!(r.status().as_u16(), 422, "{email}/{password}/{name}");
            let html = r.text().await.unwrap();
            assert!(html.contains(field_msg), "{field_msg} in {html}");
            assert!(html.contains(&format!("value=\"{email}\"")), "email kept");
            assert!(
                !html.contains(password) || password.len() < 6,
                "password not echoed"
            );
        }
        let long = "x".repeat(5000);
        let r = other
            .post(
                "/signup",
                &[
                    ("email", &long),
                    ("password", &long),
                    ("display_name", &long),
                ],
            )
            .await;
        assert_eq!(r.status().as_u16(), 422);
        assert_eq!(
            users::Entity::find().count(&app.db).await.unwrap(),
            1,
            "nothing half-created"
        );
    }
);

both!(sign_in_has_one_generic_message, |app: TestApp| async move {
    app.sign_up("ana@club.test", "Ana").await;
    let b = app.new_browser();
    let wrong_pw = b
        .post(
            "/signin",
            &[("email", "ana@club.test"), ("password", "wrong password!")],
        )
        .await;
    assert_eq!(wrong_pw.status().as_u16(), 422);
    let t1 = wrong_pw.text().await.unwrap();
    let no_user = b
        .post(
            "/signin",
            &[
                ("email", "nobody@club.test"),
                ("password", "wrong password!"),
            ],
        )
        .await;
    let t2 = no_user.text().await.unwrap();
    assert!(t1.contains("do not match an account") && t2.contains("do not match an account"));
    let ok = b
        .post(
            "/signin",
            &[
                ("email", "ANA@club.test"),
                ("password", "correct horse battery"),
            ],
        )
        .await;
    assert_eq!(ok.status().as_u16(), 303);
    assert!(b.get_text("/profile").await.1.contains("ana@club.test"));
});

both!(
    session_is_renewed_at_sign_in_and_ended_at_sign_out,
    |app: TestApp| async move {
        app.sign_up("ana@club.test", "Ana").await;
        let b = app.new_browser();
        b.get("/signin").await;
        let before = b.client.get(b.url("/signin")).send().await.unwrap();
        let _ = before.text().await;
        // Capture the pre-login cookie by reading the Set-Cookie of a fresh session.
        let fresh = b.get("/signin").await;
        let _ = fresh.text().await;
        let r = b
            .post(
                "/signin",
                &[
                    ("email", "ana@club.test"),
                    ("password", "correct horse battery"),
                ],
            )
            .await;
        let set = r
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|c| c.starts_with("tornetic_session="))
            .map(str::to_string);
        assert!(set.is_some(), "sign-in issues a new session cookie");
        assert!(set.unwrap().to_ascii_lowercase().contains("httponly"));
        assert_eq!(b.get("/profile").await.status().as_u16(), 200);
        let r = b.post("/signout", &[]).await;
        assert_eq!(r.status().as_u16(), 303);
        assert_eq!(b.get("/profile").await.status().as_u16(), 401);
    }
);

both!(
    remember_me_keeps_the_session_for_30_days,
    |app: TestApp| async move {
        let b = app.new_browser();
        let token = b.csrf().await;
        let r = b
            .post_raw(
                "/signup",
                &[
                    ("email", "t@club.test"),
                    ("password", "correct horse battery"),
                    ("display_name", "Tab"),
                    ("remember", "on"),
                    ("csrf_token", &token),
                ],
            )
            .await;
        let cookies: Vec<String> = r
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok().map(str::to_string))
            .collect();
        let session = cookies
            .iter()
            .find(|c| c.starts_with("tornetic_session="))
            .expect("session cookie");
        assert!(session.contains("Max-Age=2592000"), "{session}");
        let c = app.new_browser();
        let token = c.csrf().await;
        let r = c
            .post_raw(
                "/signup",
                &[
                    ("email", "u@club.test"),
                    ("password", "correct horse battery"),
                    ("display_name", "Ute"),
                    ("csrf_token", &token),
                ],
            )
            .await;
        let cookies: Vec<String> = r
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok().map(str::to_string))
            .collect();
        let session = cookies
            .iter()
            .find(|c| c.starts_with("tornetic_session="))
            .expect("session cookie");
        assert!(
            !session.contains("Max-Age"),
            "browser session without remember me: {session}"
        );
    }
);

both!(
    csrf_is_required_for_state_changes,
    |app: TestApp| async move {
        let b = app.new_browser();
        b.get("/signin").await;
        let r = b
            .post_raw(
                "/signup",
                &[
                    ("email", "x@club.test"),
                    ("password", "correct horse battery"),
                    ("display_name", "X"),
                ],
            )
            .await;
        assert_eq!(r.status().as_u16(), 403);
        let r = b
            .post_raw(
                "/signup",
                &[
                    ("email", "x@club.test"),
                    ("password", "correct horse battery"),
                    ("display_name", "X"),
                    ("csrf_token", "forged"),
                ],
            )
            .await;
        assert_eq!(r.status().as_u16(), 403);
        let token = b.csrf().await;
        let r = b
            .client
            .post(b.url("/signup"))
            .header("Origin", "https://evil.example")
            .form(&[
                ("email", "x@club.test"),
                ("password", "correct horse battery"),
                ("display_name", "X"),
                ("csrf_token", token.as_str()),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 403, "cross-origin post refused");
        assert_eq!(
            users::Entity::find().count(&app.db).await.unwrap(),
            0,
            "nothing changed"
        );
        // htmx style: the token in a header.
        let r = b
            .post_hx(
                "/signup",
                &[
                    ("email", "x@club.test"),
                    ("password", "correct horse battery"),
                    ("display_name", "X"),
                ],
            )
            .await;
        assert_eq!(r.status().as_u16(), 303);
    }
);

both!(profile_edits_only_your_own, |app: TestApp| async move {
    app.sign_up("ana@club.test", "Ana").await;
    let r = app
        .post(
            "/profile",
            &[
                ("display_name", "Ana G"),
                ("preferred_side", "left"),
                ("self_level", "3,5"),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 200);
    let u = users::Entity::find().one(&app.db).await.unwrap().unwrap();
    assert_eq!(
        (
            u.display_name.as_str(),
            u.preferred_side.as_str(),
            u.self_level
        ),
        ("Ana G", "left", Some(3.5))
    );
    let r = app
        .post(
            "/profile",
            &[
                ("display_name", "Ana G"),
                ("preferred_side", "middle"),
                ("self_level", "9"),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("Choose left, right or both") && html.contains("from 0 to 7"));
    let anon = app.new_browser();
    assert_eq!(
        anon.post(
            "/profile",
            &[
                ("display_name", "Hacker"),
                ("preferred_side", "left"),
                ("self_level", "")
            ]
        )
        .await
        .status()
        .as_u16(),
        401
    );
});

both!(sign_in_is_rate_limited, |app: TestApp| async move {
    // A dedicated app with the default limit of 10 a minute.
    let limited =
        crate::helpers::spawn_app_with(app.backend, &[("TORNETIC_AUTH_RATE_PER_MINUTE", "10")])
            .await;
    crate::helpers::away_from_a_minute_boundary().await;
    let mut last = 0;
    for _ in 0..12 {
        last = limited
            .post(
                "/signin",
                &[("email", "who@club.test"), ("password", "wrong password!")],
            )
            .await
            .status()
            .as_u16();
    }
    assert_eq!(last, 429);
    let r = limited
        .post(
            "/signin",
            &[("email", "who@club.test"), ("password", "wrong password!")],
        )
        .await;
    assert!(r.text().await.unwrap().contains("Too many attempts"));
});

#[test]
fn csrf_extraction_reads_forms() {
    assert_eq!(
        extract_csrf("<input name=\"csrf_token\" value=\"abc\">").as_deref(),
        Some("abc")
    );
}

both!(
    sign_in_limits_count_per_address_and_per_account,
    |app: TestApp| async move {
        // Move the whole app in: using only its fields would capture just those
        // and drop the rest (the SQLite file's directory) before the body runs.
        let app = app;
        use tornetic::services::accounts::AuthLimits;
        let l = AuthLimits::new(3);
        crate::helpers::away_from_a_minute_boundary().await;
        for _ in 0..3 {
            let r = l.check(&app.db, "1.2.3.4", "a@b.es").await;
            assert!(r.is_ok(), "{r:?}");
        }
        // The address is used up (whatever the account), then the account (from any
        // address, in any letter case); a fresh pair is still let in.
        assert!(l.check(&app.db, "1.2.3.4", "other@b.es").await.is_err());
        assert!(l.check(&app.db, "5.6.7.8", " A@B.es").await.is_err());
        assert!(l.check(&app.db, "5.6.7.8", "new@b.es").await.is_ok());
    }
);

/// Two instances behind a load balancer share one limit: attempts spread over
/// both are refused once the total is over it (each alone is under).
#[tokio::test]
async fn sign_in_limits_hold_across_instances() {
    if crate::helpers::postgres_url().is_none() {
        eprintln!("TEST_POSTGRES_URL not set: skipped");
        return;
    }
    let limit = [("TORNETIC_AUTH_RATE_PER_MINUTE", "5")];
    let a = crate::helpers::spawn_app_with(crate::helpers::Backend::Postgres, &limit).await;
    let b = crate::helpers::spawn_second_with(&a, &limit).await;
    crate::helpers::away_from_a_minute_boundary().await;
    let mut codes = Vec::new();
    for i in 0..6 {
        let app = if i % 2 == 0 { &a } else { &b };
        let r = app
            .post(
                "/signin",
                &[("email", "who@club.test"), ("password", "wrong password!")],
            )
            .await;
        codes.push(r.status().as_u16());
    }
    assert_eq!(&codes[..5], &[422; 5], "{codes:?}");
    assert_eq!(codes[5], 429, "{codes:?}");
}
