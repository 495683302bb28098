//! One domain error, mapped to HTTP in one place: an HTML error page for the
//! site (`AppError`) and the JSON error shape for `/api/v1` (`ApiError`).
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use askama::Template;
use std::collections::BTreeMap;

pub type FieldErrors = BTreeMap<String, String>;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{0}")]
    NotFound(String),
    #[error("Please sign in to do that.")]
    Unauthorized,
    #[error("{0}")]
    Forbidden(String),
    #[error("{message}")]
    Validation {
        message: String,
        fields: FieldErrors,
    },
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    Conflict(String),
    #[error("This address does not accept that method.")]
    MethodNotAllowed,
    #[error("Too many attempts. Please wait a minute and try again.")]
    RateLimited,
    #[error("The form expired or came from another site. Reload the page and try again.")]
    Csrf,
    #[error("The database is not answering right now. Please try again in a moment.")]
    Unavailable,
    #[error("database error: {0}")]
    Db(sea_orm::DbErr),
    #[error("template error: {0}")]
    Template(#[from] askama::Error),
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<sea_orm::DbErr> for AppError {
    /// Text the database cannot store (bad encodings) is the client's fault.
    fn from(e: sea_orm::DbErr) -> Self {
        let text = e.to_string();
        if text.contains("invalid byte sequence") || text.contains("null character not permitted") {
            AppError::BadRequest("The input contains characters that cannot be stored.".into())
        } else {
            AppError::Db(e)
        }
    }
}

impl AppError {
    pub fn not_found(what: &str) -> Self {
        AppError::NotFound(format!("{what} was not found."))
    }

    pub fn forbidden() -> Self {
        AppError::Forbidden("You are not allowed to do that.".into())
    }

    /// A validation failure on one field.
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        let message = message.into();
        let mut fields = FieldErrors::new();
        fields.insert(field.to_string(), message.clone());
        AppError::Validation { message, fields }
    }

    pub fn code(&self) -> &'static str {
        match self {
            AppError::NotFound(_) => "not_found",
            AppError::Unauthorized => "unauthorized",
            AppError::Forbidden(_) => "forbidden",
            AppError::Validation { .. } => "validation_failed",
            AppError::BadRequest(_) => "bad_request",
            AppError::Conflict(_) => "conflict",
            AppError::MethodNotAllowed => "method_not_allowed",
            AppError::RateLimited => "rate_limited",
            AppError::Csrf => "csrf_failed",
            AppError::Unavailable => "unavailable",
            AppError::Db(e) if is_connection_error(e) => "unavailable",
            AppError::Db(_) | AppError::Template(_) | AppError::Internal(_) => "internal",
        }
    }

    /// What a user may read: internal details stay in the log.
    pub fn public_message(&self) -> String {
        match self {
            AppError::Db(e) if is_connection_error(e) => AppError::Unavailable.to_string(),
            AppError::Db(_) | AppError::Template(_) | AppError::Internal(_) => {
                "Something went wrong on our side. It has been logged.".into()
            }
            other => other.to_string(),
        }
    }

    pub fn fields(&self) -> Option<&FieldErrors> {
        match self {
            AppError::Validation { fields, .. } => Some(fields),
            _ => None,
        }
    }

    fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::Unauthorized => StatusCode::UNAUTHORIZED,
            AppError::Forbidden(_) | AppError::Csrf => StatusCode::FORBIDDEN,
            AppError::Validation { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            AppError::RateLimited => StatusCode::TOO_MANY_REQUESTS,
            AppError::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Db(e) if is_connection_error(e) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Db(_) | AppError::Template(_) | AppError::Internal(_) => {
                StatusCode::INTERNAL_SERVER_ERROR
            }
        }
    }

    fn log(&self) {
        if self.status().is_server_error() {
            tracing::error!(error = %self, "request failed");
        }
    }
}

/// A lost or refused connection, a pool timeout, or SQLite being locked: the
/// database is unavailable, not broken, so the answer is 503 and a retry works.
pub fn is_connection_error(e: &sea_orm::DbErr) -> bool {
    use sea_orm::{DbErr, RuntimeErr};
    let text = e.to_string().to_ascii_lowercase();
    matches!(e, DbErr::ConnectionAcquire(_) | DbErr::Conn(_))
        || matches!(e, DbErr::Query(RuntimeErr::SqlxError(_)) | DbErr::Exec(RuntimeErr::SqlxError(_)) if
            text.contains("database is locked")
            || text.contains("connection")
            || text.contains("pool timed out")
            || text.contains("io error")
            || text.contains("terminating"))
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    status: u16,
    title: &'a str,
    message: &'a str,
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        self.status()
    }

    fn error_response(&self) -> HttpResponse {
        self.log();
        let status = self.status();
        let message = self.public_message();
        let page = ErrorPage {
            status: status.as_u16(),
            title: status.canonical_reason().unwrap_or("Error"),
            message: &message,
        };
        let body = page.render().unwrap_or_else(|_| message.clone());
        let mut res = HttpResponse::build(status);
        res.content_type("text/html; charset=utf-8");
        if status == StatusCode::SERVICE_UNAVAILABLE {
            res.insert_header(("Retry-After", "5"));
        }
        res.body(body)
    }
}

/// The API's face of `AppError`: `{"error":{"code","message","fields"}}`.
#[derive(Debug, thiserror::Error)]
#[error(transparent)]
pub struct ApiError(#[from] pub AppError);

impl From<sea_orm::DbErr> for ApiError {
    fn from(e: sea_orm::DbErr) -> Self {
        ApiError(AppError::from(e))
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.0.status()
    }

    fn error_response(&self) -> HttpResponse {
        self.0.log();
        let mut error = serde_json::json!({
            "code": self.0.code(),
            "message": self.0.public_message(),
        });
        if let Some(fields) = self.0.fields() {
            error["fields"] = serde_json::json!(fields);
        }
        let mut res = HttpResponse::build(self.0.status());
        if matches!(self.0, AppError::RateLimited) {
            res.insert_header(("Retry-After", "60"));
        }
        if self.0.status() == StatusCode::SERVICE_UNAVAILABLE {
            res.insert_header(("Retry-After", "5"));
        }
        res.json(serde_json::json!({ "error": error }))
    }
}
