//! Settings from the environment (and an optional `tornetic.toml`), checked
//! once at start-up: a bad value stops the program with one line naming it.
use std::collections::HashMap;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
#[error("{var}: {message}")]
pub struct ConfigError {
    pub var: &'static str,
    pub message: String,
}

fn bad(var: &'static str, message: impl Into<String>) -> ConfigError {
    ConfigError {
        var,
        message: message.into(),
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Environment {
    Development,
    Production,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogFormat {
    Pretty,
    Json,
}

#[derive(Clone, Debug)]
pub struct GoogleSettings {
    pub client_id: String,
    pub client_secret: String,
    pub auth_url: String,
    pub token_url: String,
    pub userinfo_url: String,
}

#[derive(Clone, Debug)]
pub struct Settings {
    pub env: Environment,
    pub database_url: String,
    pub bind: String,
    pub base_url: String,
    pub secret_key: Vec<u8>,
    pub log_format: LogFormat,
    pub google: Option<GoogleSettings>,
    pub admin_emails: Vec<String>,
    pub cors_origins: Vec<String>,
    /// Sign-in attempts allowed per minute per IP and per account.
    pub auth_rate_per_minute: u32,
    /// JSON API requests allowed per minute per token (or per IP without one).
    pub api_rate_per_minute: u32,
}

impl Settings {
    pub fn secure_cookies(&self) -> bool {
        self.base_url.starts_with("https://")
    }

    pub fn is_postgres(&self) -> bool {
        self.database_url.starts_with("postgres")
    }

    pub fn is_admin(&self, email: &str) -> bool {
        self.admin_emails
            .iter()
            .any(|a| a.eq_ignore_ascii_case(email))
    }

    /// Reads the process environment, layered over `tornetic.toml` when present.
    pub fn from_env() -> Result<Self, ConfigError> {
        let mut vars: HashMap<String, String> = HashMap::new();
        if let Ok(text) = std::fs::read_to_string("tornetic.toml") {
            let table: toml::Table = text
                .parse()
                .map_err(|e| bad("tornetic.toml", format!("not valid TOML: {e}")))?;
            for (k, v) in table {
                let v = match v {
                    toml::Value::String(s) => s,
                    other => other.to_string(),
                };
                vars.insert(k.to_ascii_uppercase(), v);
            }
        }
        vars.extend(std::env::vars());
        Self::from_map(&vars)
    }

    pub fn from_map(vars: &HashMap<String, String>) -> Result<Self, ConfigError> {
        let get = |k: &str| {
            vars.get(k)
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
        };
        let env = match get("TORNETIC_ENV").as_deref() {
            None | Some("development") | Some("dev") => Environment::Development,
            Some("production") | Some("prod") => Environment::Production,
            Some(other) => {
                return Err(bad(
                    "TORNETIC_ENV",
                    format!("expected 'development' or 'production', got '{other}'"),
                ))
            }
        };
        let database_url = get("DATABASE_URL").unwrap_or_else(|| "sqlite://tornetic.db".into());
        if !(database_url.starts_with("sqlite:")
            || database_url.starts_with("postgres://")
            || database_url.starts_with("postgresql://"))
        {
            return Err(bad(
                "DATABASE_URL",
                "must start with sqlite:, postgres:// or postgresql://",
            ));
        }
        let bind = match (get("TORNETIC_BIND"), get("PORT")) {
            (Some(b), _) => b,
            (None, Some(p)) => {
                let port: u16 = p
                    .parse()
                    .map_err(|_| bad("PORT", format!("'{p}' is not a port number")))?;
                format!("0.0.0.0:{port}")
            }
            (None, None) => "127.0.0.1:8080".into(),
        };
        if bind.parse::<std::net::SocketAddr>().is_err() {
            return Err(bad(
                "TORNETIC_BIND",
                format!("'{bind}' is not an address like 127.0.0.1:8080"),
            ));
        }
        let base_url = get("TORNETIC_BASE_URL")
            .unwrap_or_else(|| format!("http://{}", bind.replace("0.0.0.0", "127.0.0.1")));
        if !(base_url.starts_with("http://") || base_url.starts_with("https://")) {
            return Err(bad(
                "TORNETIC_BASE_URL",
                "must start with http:// or https://",
            ));
        }
        let base_url = base_url.trim_end_matches('/').to_string();
        let secret_key = match get("TORNETIC_SECRET_KEY") {
            Some(k) if k.len() >= 32 => k.into_bytes(),
            Some(_) => return Err(bad("TORNETIC_SECRET_KEY", "must be at least 32 characters")),
            None if env == Environment::Production => {
                return Err(bad(
                    "TORNETIC_SECRET_KEY",
                    "is required when TORNETIC_ENV=production",
                ))
            }
            None => dev_secret(&database_url).map_err(|e| {
                bad(
                    "TORNETIC_SECRET_KEY",
                    format!("could not create a development key: {e}"),
                )
            })?,
        };
        let log_format = match get("TORNETIC_LOG_FORMAT").as_deref() {
            None | Some("pretty") => LogFormat::Pretty,
            Some("json") => LogFormat::Json,
            Some(other) => {
                return Err(bad(
                    "TORNETIC_LOG_FORMAT",
                    format!("expected 'json' or 'pretty', got '{other}'"),
                ))
            }
        };
        let google = match (
            get("TORNETIC_GOOGLE_CLIENT_ID"),
            get("TORNETIC_GOOGLE_CLIENT_SECRET"),
        ) {
            (Some(client_id), Some(client_secret)) => Some(GoogleSettings {
                client_id,
                client_secret,
                auth_url: get("TORNETIC_GOOGLE_AUTH_URL")
                    .unwrap_or_else(|| "https://accounts.google.com/o/oauth2/v2/auth".into()),
                token_url: get("TORNETIC_GOOGLE_TOKEN_URL")
                    .unwrap_or_else(|| "https://oauth2.googleapis.com/token".into()),
                userinfo_url: get("TORNETIC_GOOGLE_USERINFO_URL")
                    .unwrap_or_else(|| "https://openidconnect.googleapis.com/v1/userinfo".into()),
            }),
            (Some(_), None) => {
                return Err(bad(
                    "TORNETIC_GOOGLE_CLIENT_SECRET",
                    "is required when TORNETIC_GOOGLE_CLIENT_ID is set",
                ))
            }
            _ => None,
        };
        let list = |k: &str| -> Vec<String> {
            get(k)
                .map(|s| {
                    s.split(',')
                        .map(|x| x.trim().to_string())
                        .filter(|x| !x.is_empty())
                        .collect()
                })
                .unwrap_or_default()
        };
        let auth_rate_per_minute =
            match get("TORNETIC_AUTH_RATE_PER_MINUTE") {
                None => 10,
                Some(v) => v.parse().ok().filter(|n: &u32| *n > 0).ok_or_else(|| {
                    bad("TORNETIC_AUTH_RATE_PER_MINUTE", "must be a positive number")
                })?,
            };
        let api_rate_per_minute =
            match get("TORNETIC_API_RATE_PER_MINUTE") {
                None => 120,
                Some(v) => v.parse().ok().filter(|n: &u32| *n > 0).ok_or_else(|| {
                    bad("TORNETIC_API_RATE_PER_MINUTE", "must be a positive number")
                })?,
            };
        Ok(Settings {
            env,
            database_url,
            bind,
            base_url,
            secret_key,
            log_format,
            google,
            admin_emails: list("TORNETIC_ADMIN_EMAILS"),
            cors_origins: list("TORNETIC_CORS_ORIGINS"),
            auth_rate_per_minute,
            api_rate_per_minute,
        })
    }
}

/// In development a random key is made once and kept beside the SQLite file,
/// so sessions survive restarts.
fn dev_secret(database_url: &str) -> std::io::Result<Vec<u8>> {
    let dir: PathBuf = database_url
        .strip_prefix("sqlite://")
        .or_else(|| database_url.strip_prefix("sqlite:"))
        .map(|p| p.split('?').next().unwrap_or(p))
        .filter(|p| !p.is_empty() && *p != ":memory:")
        .and_then(|p| Path::new(p).parent().map(Path::to_path_buf))
        .unwrap_or_default();
    let path = dir.join(".tornetic_secret");
    if let Ok(existing) = std::fs::read_to_string(&path) {
        if existing.trim().len() >= 64 {
            return Ok(existing.trim().as_bytes().to_vec());
        }
    }
    let key: [u8; 48] = rand::random();
    let text = hex::encode(key);
    std::fs::write(&path, &text)?;
    Ok(text.into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn production_needs_a_secret() {
        let err = Settings::from_map(&map(&[("TORNETIC_ENV", "production")])).unwrap_err();
        assert_eq!(err.var, "TORNETIC_SECRET_KEY");
    }

    #[test]
    fn bad_port_names_the_variable() {
        let err = Settings::from_map(&map(&[
            ("PORT", "eighty"),
            ("TORNETIC_SECRET_KEY", &"k".repeat(40)),
        ]))
        .unwrap_err();
        assert_eq!(err.var, "PORT");
    }

    #[test]
    fn port_is_honoured_for_fly() {
        let s = Settings::from_map(&map(&[
            ("PORT", "9000"),
            ("TORNETIC_SECRET_KEY", &"k".repeat(40)),
        ]))
        .unwrap();
        assert_eq!(s.bind, "0.0.0.0:9000");
    }

    #[test]
    fn bad_database_url_is_refused() {
        let err = Settings::from_map(&map(&[
            ("DATABASE_URL", "mysql://x"),
            ("TORNETIC_SECRET_KEY", &"k".repeat(40)),
        ]))
        .unwrap_err();
        assert_eq!(err.var, "DATABASE_URL");
    }
}
