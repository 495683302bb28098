use crate::both;
use crate::helpers::TestApp;

both!(health_is_ok, |app: TestApp| async move {
    let r = app.get("/health").await;
    assert_eq!(r.status().as_u16(), 200);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["status"], "ok");
    assert_eq!(body["database"], "ok");
    assert!(body["version"].as_str().is_some_and(|v| !v.is_empty()));
});

both!(home_guides_a_newcomer, |app: TestApp| async move {
    let (status, html) = app.get_text("/").await;
    assert_eq!(status, 200);
    assert!(html.contains("<html lang=\"en\">"));
    assert!(html.contains("<title>"));
    assert!(html.contains("name=\"viewport\""));
    assert!(html.contains("No tournaments yet"), "empty state");
    assert!(html.contains("href=\"/tournaments/new\""), "call to action");
});

both!(
    security_headers_on_every_response,
    |app: TestApp| async move {
        for path in ["/", "/health", "/does-not-exist"] {
            let r = app.get(path).await;
            let h = r.headers();
            let csp = h
                .get("content-security-policy")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default();
            assert!(
                csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"),
                "{path}: {csp}"
            );
            assert_eq!(h.get("x-frame-options").unwrap(), "DENY");
            assert_eq!(h.get("x-content-type-options").unwrap(), "nosniff");
            assert!(h.get("referrer-policy").is_some());
        }
    }
);

both!(unknown_routes_get_a_styled_404, |app: TestApp| async move {
    let (status, html) = app.get_text("/no/such/page").await;
    assert_eq!(status, 404);
    assert!(html.contains("There is no page at this address."));
    assert!(html.contains("app.css"));
});

both!(
    static_assets_are_hashed_and_cached_for_a_year,
    |app: TestApp| async move {
        let (_, html) = app.get_text("/").await;
        let start = html.find("/static/").expect("asset url");
        let url: String = html[start..].chars().take_while(|c| *c != '"').collect();
        let r = app.get(&url).await;
        assert_eq!(r.status().as_u16(), 200);
        let cc = r
            .headers()
            .get("cache-control")
            .unwrap()
            .to_str()
            .unwrap()
            .to_string();
        assert!(cc.contains("max-age=31536000"), "{cc}");
        assert!(
            app.get("/static/nothash/nothing.js")
                .await
                .status()
                .as_u16()
                == 404
        );
    }
);

both!(metrics_expose_routes_and_pool, |app: TestApp| async move {
    app.get("/").await;
    let (status, text) = app.get_text("/metrics").await;
    assert_eq!(status, 200);
    assert!(text.contains("tornetic_http_requests_total"));
    assert!(text.contains("route=\"/\""));
    assert!(text.contains("tornetic_http_request_duration_seconds_bucket"));
    assert!(text.contains("tornetic_db_pool_connections"));
});

both!(
    responses_are_compressed_when_asked,
    |app: TestApp| async move {
        let r = app
            .client
            .get(app.url("/"))
            .header("Accept-Encoding", "br")
            .send()
            .await
            .unwrap();
        assert_eq!(
            r.headers()
                .get("content-encoding")
                .map(|v| v.to_str().unwrap().to_string()),
            Some("br".into())
        );
    }
);
