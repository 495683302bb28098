//! The OpenAPI 3.1 document (generated from the handlers' annotations) and a
//! reference page rendered from it on the server: no CDN, no script bundle.
use actix_web::{http::header, HttpResponse};
use askama::Template;
use serde_json::Value;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::Modify;

use super::DOCUMENT;
use crate::error::{ApiError, AppError};

/// Declares the bearer token scheme the operations refer to.
pub struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "A token from POST /api/v1/auth/jwt/login, as `Authorization: Bearer <token>`.",
                    ))
                    .build(),
            ),
        );
    }
}

/// This document.
#[utoipa::path(
    get,
    path = "/api/v1/openapi.json",
    tag = "meta",
    responses((status = 200, description = "The OpenAPI 3.1 document", content_type = "application/json", body = Object))
)]
pub async fn openapi_json() -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "public, max-age=300"))
        .json(&*DOCUMENT))
}

// ---- The reference page

pub struct Param {
    pub name: String,
    pub location: String,
    pub required: bool,
    pub schema: String,
    pub description: String,
}

pub struct Response {
    pub status: String,
    pub description: String,
    pub schema: String,
}

pub struct Op {
    pub anchor: String,
    pub method: String,
    pub path: String,
    pub summary: String,
    pub description: String,
    pub auth: bool,
    pub params: Vec<Param>,
    pub body: String,
    pub responses: Vec<Response>,
}

pub struct Group {
    pub name: String,
    pub description: String,
    pub ops: Vec<Op>,
}

pub struct Field {
    pub name: String,
    pub schema: String,
    pub required: bool,
    pub description: String,
}

pub struct SchemaView {
    pub name: String,
    pub description: String,
    pub fields: Vec<Field>,
}

#[derive(Template)]
#[template(path = "api/docs.html")]
pub struct DocsPage {
    pub title: String,
    pub version: String,
    pub description: String,
    pub groups: Vec<Group>,
    pub schemas: Vec<SchemaView>,
}

fn text(v: &Value, key: &str) -> String {
    v.get(key)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}

/// A short type label: `Tournament`, `[Match]`, `integer | null`, ….
pub fn schema_label(s: &Value) -> String {
    if let Some(r) = s.get("$ref").and_then(Value::as_str) {
        return r.rsplit('/').next().unwrap_or(r).to_string();
    }
    for key in ["oneOf", "anyOf", "allOf"] {
        if let Some(list) = s.get(key).and_then(Value::as_array) {
            return list
                .iter()
                .map(schema_label)
                .collect::<Vec<_>>()
                .join(" | ");
        }
    }
    let types: Vec<String> = match s.get("type") {
        Some(Value::String(t)) => vec![t.clone()],
        Some(Value::Array(ts)) => ts
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect(),
        _ => vec![],
    };
    let mut out: Vec<String> = types
        .into_iter()
        .map(|t| match (t.as_str(), s.get("items")) {
            ("array", Some(items)) => format!("[{}]", schema_label(items)),
            ("string", _) if s.get("format").is_some() => {
                format!("string ({})", text(s, "format"))
            }
            _ => t,
        })
        .collect();
    if out.is_empty() {
        out.push("any".into());
    }
    out.join(" | ")
}

fn content_label(content: Option<&Value>) -> String {
    let Some(map) = content.and_then(Value::as_object) else {
        return String::new();
    };
    map.iter()
        .map(|(ct, c)| match c.get("schema") {
            Some(s) => format!("{} ({ct})", schema_label(s)),
            None => ct.clone(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn op_view(method: &str, path: &str, op: &Value) -> Op {
    let params = op
        .get("parameters")
        .and_then(Value::as_array)
        .map(|ps| {
            ps.iter()
                .map(|p| Param {
                    name: text(p, "name"),
                    location: text(p, "in"),
                    required: p.get("required").and_then(Value::as_bool) == Some(true),
                    schema: p.get("schema").map(schema_label).unwrap_or_default(),
                    description: text(p, "description"),
                })
                .collect()
        })
        .unwrap_or_default();
    let responses = op
        .get("responses")
        .and_then(Value::as_object)
        .map(|rs| {
            rs.iter()
                .map(|(status, r)| Response {
                    status: status.clone(),
                    description: text(r, "description"),
                    schema: content_label(r.get("content")),
                })
                .collect()
        })
        .unwrap_or_default();
    Op {
        anchor: text(op, "operationId"),
        method: method.to_ascii_uppercase(),
        path: path.to_string(),
        summary: text(op, "summary"),
        description: text(op, "description"),
        auth: op.get("security").is_some(),
        params,
        body: content_label(op.get("requestBody").and_then(|b| b.get("content"))),
        responses,
    }
}

/// The page's view of the document, grouped by tag in the document's order.
pub fn docs_view(doc: &Value) -> DocsPage {
    let info = doc.get("info").cloned().unwrap_or_default();
    let mut groups: Vec<Group> = doc
        .get("tags")
        .and_then(Value::as_array)
        .map(|tags| {
            tags.iter()
                .map(|t| Group {
                    name: text(t, "name"),
                    description: text(t, "description"),
                    ops: vec![],
                })
                .collect()
        })
        .unwrap_or_default();
    let paths = doc.get("paths").and_then(Value::as_object);
    for (path, item) in paths.into_iter().flatten() {
        for method in ["get", "post", "put", "patch", "delete"] {
            let Some(op) = item.get(method) else { continue };
            let tag = op
                .get("tags")
                .and_then(|t| t.get(0))
                .and_then(Value::as_str)
                .unwrap_or("other")
                .to_string();
            let view = op_view(method, path, op);
            match groups.iter_mut().find(|g| g.name == tag) {
                Some(g) => g.ops.push(view),
                None => groups.push(Group {
                    name: tag,
                    description: String::new(),
                    ops: vec![view],
                }),
            }
        }
    }
    let schemas = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .map(|(name, s)| {
                    let required: Vec<&str> = s
                        .get("required")
                        .and_then(Value::as_array)
                        .map(|r| r.iter().filter_map(Value::as_str).collect())
                        .unwrap_or_default();
                    let fields = s
                        .get("properties")
                        .and_then(Value::as_object)
                        .map(|props| {
                            props
                                .iter()
                                .map(|(f, p)| Field {
                                    name: f.clone(),
                                    schema: schema_label(p),
                                    required: required.contains(&f.as_str()),
                                    description: text(p, "description"),
                                })
                                .collect()
                        })
                        .unwrap_or_default();
                    SchemaView {
                        name: name.clone(),
                        description: text(s, "description"),
                        fields,
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    DocsPage {
        title: text(&info, "title"),
        version: text(&info, "version"),
        description: text(&info, "description"),
        groups,
        schemas,
    }
}

/// `GET /api/docs`: the reference, rendered from the same document.
pub async fn docs_page() -> Result<HttpResponse, ApiError> {
    let body = docs_view(&DOCUMENT)
        .render()
        .map_err(|e| ApiError(AppError::Template(e)))?;
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(body))
}
