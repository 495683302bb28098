//! The OpenAPI document is valid and describes exactly the routes served.
use super::*;

/// Every `$ref` in the document, for resolution checks.
fn refs(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                if k == "$ref" {
                    if let Some(s) = x.as_str() {
                        out.push(s.to_string());
                    }
                }
                refs(x, out);
            }
        }
        Value::Array(a) => a.iter().for_each(|x| refs(x, out)),
        _ => {}
    }
}

// Every operation times five methods is more than the default API rate.
both_with!(
    openapi_describes_exactly_the_routes_served,
    &[("TORNETIC_API_RATE_PER_MINUTE", "1000")],
    |app: TestApp| async move {
        let (s, doc) = call(&app, Method::GET, "/api/v1/openapi.json", None, None).await;
        assert_eq!(s, 200);
        assert!(
            doc["openapi"].as_str().unwrap().starts_with("3.1"),
            "{}",
            doc["openapi"]
        );
        assert!(doc["info"]["title"].is_string());
        let paths = doc["paths"].as_object().unwrap();
        let methods = ["get", "post", "put", "patch", "delete"];
        let mut ids = HashSet::new();
        let mut documented = vec![];
        for (path, item) in paths {
            assert!(path.starts_with("/api/v1/"), "{path}");
            for m in methods {
                let Some(op) = item.get(m) else { continue };
                let id = op["operationId"].as_str().unwrap();
                assert!(ids.insert(id.to_string()), "operationId {id} twice");
                let responses = op["responses"].as_object().unwrap();
                assert!(!responses.is_empty(), "{m} {path} has responses");
                for (code, r) in responses {
                    assert!(code.parse::<u16>().is_ok(), "{code}");
                    assert!(r["description"].is_string(), "{m} {path} {code}");
                }
                assert!(
                    op["tags"].as_array().is_some_and(|t| !t.is_empty()),
                    "{m} {path} tagged"
                );
                documented.push((m.to_uppercase(), path.clone()));
            }
        }
        let mut all = vec![];
        refs(&doc, &mut all);
        for r in &all {
            let name = r
                .strip_prefix("#/components/schemas/")
                .unwrap_or_else(|| panic!("{r}"));
            assert!(
                doc["components"]["schemas"][name].is_object(),
                "{r} resolves"
            );
        }
        assert!(doc["components"]["securitySchemes"]["bearer"].is_object());

        // The served routes are the documented ones: the server's own list
        // (routes are registered from the document) …
        let served: Vec<(String, String)> = tornetic::routes::api::operations()
            .into_iter()
            .map(|o| (o.method.to_string(), o.path))
            .collect();
        let mut a = served.clone();
        let mut b = documented.clone();
        a.sort();
        b.sort();
        assert_eq!(a, b);
        let required = [
            ("POST", "/api/v1/auth/register"),
            ("POST", "/api/v1/auth/jwt/login"),
            ("POST", "/api/v1/auth/logout-everywhere"),
            ("GET", "/api/v1/users/me"),
            ("PATCH", "/api/v1/users/me"),
            ("GET", "/api/v1/players"),
            ("GET", "/api/v1/players/{user_id}"),
            ("GET", "/api/v1/players/{user_id}/rating-history"),
            ("GET", "/api/v1/tournaments"),
            ("POST", "/api/v1/tournaments"),
            ("GET", "/api/v1/tournaments/{id}"),
            ("PATCH", "/api/v1/tournaments/{id}"),
            ("DELETE", "/api/v1/tournaments/{id}"),
            ("GET", "/api/v1/tournaments/{id}/players"),
            ("POST", "/api/v1/tournaments/{id}/players"),
            (
                "DELETE",
                "/api/v1/tournaments/{id}/players/{registration_id}",
            ),
            ("POST", "/api/v1/tournaments/{id}/start"),
            ("GET", "/api/v1/tournaments/{id}/rounds"),
            ("POST", "/api/v1/tournaments/{id}/rounds"),
            ("GET", "/api/v1/tournaments/{id}/leaderboard"),
            ("POST", "/api/v1/tournaments/{id}/finish"),
            ("GET", "/api/v1/tournaments/{id}/events"),
            ("PATCH", "/api/v1/matches/{id}/score"),
            ("GET", "/api/v1/openapi.json"),
            ("GET", "/api/v1/users/me/tournaments"),
            (
                "POST",
                "/api/v1/tournaments/{id}/players/{registration_id}/activate",
            ),
            (
                "PUT",
                "/api/v1/tournaments/{id}/players/{registration_id}/group",
            ),
            ("GET", "/api/v1/tournaments/{id}/organizers"),
            ("POST", "/api/v1/tournaments/{id}/organizers"),
            ("POST", "/api/v1/tournaments/{id}/reopen"),
            ("POST", "/api/v1/tournaments/{id}/rounds/{number}/timer"),
            (
                "POST",
                "/api/v1/tournaments/{id}/players/{registration_id}/claim",
            ),
            ("GET", "/api/v1/tournaments/{id}/claims"),
            ("POST", "/api/v1/claims/{id}/confirm"),
            ("POST", "/api/v1/claims/{id}/reject"),
        ];
        for (m, p) in required {
            assert!(
                b.contains(&(m.to_string(), p.to_string())),
                "{m} {p} documented"
            );
        }
        // … and over HTTP: each documented operation answers (not the catch-all
        // "no endpoint" 404, not 405), and each undocumented method on a
        // documented path is refused with 405.
        for (m, p) in &documented {
            let concrete = p
                .replace("{id}", "987654")
                .replace("{user_id}", "987654")
                .replace("{registration_id}", "987654")
                .replace("{number}", "987654");
            let r = request(
                &app,
                Method::from_bytes(m.as_bytes()).unwrap(),
                &concrete,
                None,
                None,
                &[],
            )
            .await;
            let status = r.status().as_u16();
            let body: Value = r.json().await.unwrap_or(Value::Null);
            assert_ne!(status, 405, "{m} {p}");
            assert!(
                !(status == 404
                    && body["error"]["message"]
                        .as_str()
                        .is_some_and(|s| s.contains("no API endpoint"))),
                "{m} {p} is routed"
            );
            for other in ["GET", "POST", "PUT", "PATCH", "DELETE"] {
                if documented.contains(&(other.to_string(), p.clone())) {
                    continue;
                }
                let r = request(
                    &app,
                    Method::from_bytes(other.as_bytes()).unwrap(),
                    &concrete,
                    None,
                    None,
                    &[],
                )
                .await;
                assert_eq!(r.status().as_u16(), 405, "{other} {p} is not served");
            }
        }
        let (s, b) = call(
            &app,
            Method::GET,
            "/api/v1/tournaments/1/scores",
            None,
            None,
        )
        .await;
        error_of(s, &b, 404, "not_found");

        // The reference page lists every operation, from our own assets only.
        let r = app.get("/api/docs").await;
        assert_eq!(r.status().as_u16(), 200);
        let html = r.text().await.unwrap();
        for (m, p) in &documented {
            assert!(
                html.contains(&format!("{m}</span> <code>{p}</code>")),
                "{m} {p} on the page"
            );
        }
        assert!(
            !html.contains("cdn") && !html.contains("swagger"),
            "self-contained"
        );
    }
);
