//! Accounts: sign-up, sign-in, Google linking, profiles, API tokens.
use argon2::password_hash::phc::PasswordHash;
use argon2::{Argon2, PasswordHasher, PasswordVerifier};
use chrono::Utc;
use hmac::{Hmac, Mac};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use sha2::Sha256;

use crate::domain::{Email, Password, PlayerName};
use crate::entities::{rate_limits, users};
use crate::error::{AppError, FieldErrors};

/// A signed-in user, as the service layer sees them.
#[derive(Clone, Debug)]
pub struct Actor {
    pub user: users::Model,
    pub is_admin: bool,
}

impl Actor {
    pub fn id(&self) -> i64 {
        self.user.id
    }
}

/// Sign-in and sign-up attempts, per client address and per account, counted
/// per minute in the database: every instance behind the load balancer sees
/// the same counts (a limit in one instance's memory would multiply with their
/// number).
#[derive(Clone)]
pub struct AuthLimits {
    per_minute: i32,
}

impl AuthLimits {
    pub fn new(per_minute: u32) -> Self {
        AuthLimits {
            per_minute: i32::try_from(per_minute.max(1)).unwrap_or(i32::MAX),
        }
    }

    /// Counts this attempt under both keys; refused when either is over the
    /// limit for the current minute.
    #[tracing::instrument(skip_all)]
    pub async fn check(
        &self,
        db: &impl ConnectionTrait,
        ip: &str,
        account: &str,
    ) -> Result<(), AppError> {
        let window = Utc::now().timestamp().div_euclid(60);
        let account = account.trim().to_ascii_lowercase();
        let mut over = false;
        for (kind, value) in [("ip", ip), ("account", account.as_str())] {
            if value.is_empty() {
                continue;
            }
            let hits = hit(db, &format!("{window}:{kind}:{value}"), window).await?;
            // The first attempt of a key in a new minute clears the old minutes.
            if hits == 1 && kind == "ip" {
                rate_limits::Entity::delete_many()
                    .filter(rate_limits::Column::Window.lt(window - 1))
                    .exec(db)
                    .await?;
            }
            over |= hits > self.per_minute;
        }
        if over {
            Err(AppError::RateLimited)
        } else {
            Ok(())
        }
    }
}

/// One more attempt under `key` (one atomic upsert); returns the count so far.
async fn hit(db: &impl ConnectionTrait, key: &str, window: i64) -> Result<i32, AppError> {
    use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
    let row = rate_limits::ActiveModel {
        key: Set(key.chars().take(400).collect()),
        window: Set(window),
        hits: Set(1),
    };
    let saved = rate_limits::Entity::insert(row)
        .on_conflict(
            OnConflict::column(rate_limits::Column::Key)
                .value(
                    rate_limits::Column::Hits,
                    Expr::col((rate_limits::Entity, rate_limits::Column::Hits)).add(1),
                )
                .to_owned(),
        )
        .exec_with_returning(db)
        .await?;
    Ok(saved.hits)
}

/// argon2id with the crate's defaults (m = 19 MiB, t = 2, p = 1: OWASP's
/// recommended minimum), run off the async executor.
pub async fn hash_password(password: String) -> Result<String, AppError> {
    tokio::task::spawn_blocking(move || {
        Argon2::default()
            .hash_password(password.as_bytes())
            .map(|h| h.to_string())
            .map_err(|e| AppError::Internal(format!("hashing failed: {e}")))
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))?
}

async fn verify_password(hash: String, password: String) -> bool {
    tokio::task::spawn_blocking(move || {
        PasswordHash::new(&hash)
            .map(|h| {
                Argon2::default()
                    .verify_password(password.as_bytes(), &h)
                    .is_ok()
            })
            .unwrap_or(false)
    })
    .await
    .unwrap_or(false)
}

pub struct SignUp {
    pub email: String,
    pub password: String,
    pub display_name: String,
}

#[tracing::instrument(skip_all)]
pub async fn register(db: &impl ConnectionTrait, input: SignUp) -> Result<users::Model, AppError> {
    let mut fields = FieldErrors::new();
    let email = Email::parse(&input.email)
        .map_err(|e| fields.insert("email".into(), e))
        .ok();
    let password = Password::parse(&input.password)
        .map_err(|e| fields.insert("password".into(), e))
        .ok();
    let name = PlayerName::parse(&input.display_name)
        .map_err(|e| fields.insert("display_name".into(), e))
        .ok();
    if let Some(email) = &email {
        if find_by_email(db, email.as_str()).await?.is_some() {
            fields.insert(
                "email".into(),
                "An account with this email already exists. Sign in instead?".into(),
            );
        }
    }
    let (Some(email), Some(password), Some(name), true) =
        (email, password, name, fields.is_empty())
    else {
        return Err(AppError::Validation {
            message: "Please correct the highlighted fields.".into(),
            fields,
        });
    };
    let hash = hash_password(password.expose().to_string()).await?;
    let user = users::ActiveModel {
        email: Set(email.as_str().to_string()),
        password_hash: Set(Some(hash)),
        display_name: Set(name.into_inner()),
        preferred_side: Set("both".into()),
        avatar_color: Set(avatar_color(email.as_str())),
        token_version: Set(0),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(|e| unique_email(e, "email"))?;
    Ok(user)
}

/// A unique-key race (two sign-ups at once) is a field error, not a 500.
fn unique_email(e: sea_orm::DbErr, field: &str) -> AppError {
    let text = e.to_string().to_ascii_lowercase();
    if text.contains("unique") || text.contains("duplicate") {
        AppError::field(
            field,
            "An account with this email already exists. Sign in instead?",
        )
    } else {
        AppError::Db(e)
    }
}

pub async fn find_by_email(
    db: &impl ConnectionTrait,
    email: &str,
) -> Result<Option<users::Model>, AppError> {
    if email.len() > 254 || email.contains(char::is_control) {
        return Ok(None);
    }
    Ok(users::Entity::find()
        .filter(users::Column::Email.eq(email.trim().to_ascii_lowercase()))
        .one(db)
        .await?)
}

/// Accounts in name order (the head-to-head picker).
pub async fn by_name(db: &impl ConnectionTrait, limit: u64) -> Result<Vec<users::Model>, AppError> {
    use sea_orm::{QueryOrder, QuerySelect};
    Ok(users::Entity::find()
        .order_by_asc(users::Column::DisplayName)
        .limit(limit)
        .all(db)
        .await?)
}

pub async fn find(db: &impl ConnectionTrait, id: i64) -> Result<Option<users::Model>, AppError> {
    Ok(users::Entity::find_by_id(id).one(db).await?)
}

const BAD_LOGIN: &str = "That email and password do not match an account.";

/// One generic message for a wrong email or password; the hash check runs
/// either way so timing does not tell whether the email exists.
#[tracing::instrument(skip_all)]
pub async fn authenticate(
    db: &impl ConnectionTrait,
    email: &str,
    password: &str,
) -> Result<users::Model, AppError> {
    const DUMMY: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$3H8B0yFnM1rO8xYvQ1c9cq3FJqRdrOGXrFZ0n3Jv6fE";
    let user = match Email::parse(email) {
        Ok(e) if password.len() <= Password::MAX * 4 => find_by_email(db, e.as_str()).await?,
        _ => None,
    };
    let hash = user
        .as_ref()
        .and_then(|u| u.password_hash.clone())
        .unwrap_or_else(|| DUMMY.to_string());
    let ok = verify_password(hash, password.to_string()).await;
    match user {
        Some(u) if ok && u.password_hash.is_some() => Ok(u),
        _ => Err(AppError::field("email", BAD_LOGIN)),
    }
}

/// Google sign-in: the account with this Google id, else the one with this
/// verified email (linked now), else a new one.
#[tracing::instrument(skip(db))]
pub async fn google_sign_in(
    db: &impl ConnectionTrait,
    sub: &str,
    email: &str,
    name: &str,
) -> Result<users::Model, AppError> {
    if let Some(u) = users::Entity::find()
        .filter(users::Column::GoogleSub.eq(sub))
        .one(db)
        .await?
    {
        return Ok(u);
    }
    let email = Email::parse(email).map_err(AppError::BadRequest)?;
    if let Some(u) = find_by_email(db, email.as_str()).await? {
        let mut am: users::ActiveModel = u.into();
        am.google_sub = Set(Some(sub.to_string()));
        return Ok(am.update(db).await?);
    }
    let display = PlayerName::parse(name)
        .or_else(|_| PlayerName::parse(email.as_str().split('@').next().unwrap_or("Player")))
        .map_err(AppError::BadRequest)?;
    Ok(users::ActiveModel {
        email: Set(email.as_str().to_string()),
        password_hash: Set(None),
        display_name: Set(display.into_inner()),
        preferred_side: Set("both".into()),
        avatar_color: Set(avatar_color(email.as_str())),
        google_sub: Set(Some(sub.to_string())),
        token_version: Set(0),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

pub struct ProfileUpdate {
    pub display_name: String,
    pub preferred_side: String,
    pub self_level: String,
}

/// A user edits only their own profile: the id comes from the actor.
#[tracing::instrument(skip_all, fields(user = actor.id()))]
pub async fn update_profile(
    db: &impl ConnectionTrait,
    actor: &Actor,
    input: ProfileUpdate,
) -> Result<users::Model, AppError> {
    let mut fields = FieldErrors::new();
    let name = PlayerName::parse(&input.display_name)
        .map_err(|e| fields.insert("display_name".into(), e))
        .ok();
    let side = match input.preferred_side.as_str() {
        "left" | "right" | "both" => Some(input.preferred_side.clone()),
        _ => {
            fields.insert(
                "preferred_side".into(),
                "Choose left, right or both.".into(),
            );
            None
        }
    };
    let level = match input.self_level.trim() {
        "" => Some(None),
        s => match s.replace(',', ".").parse::<f64>() {
            Ok(v) if (0.0..=7.0).contains(&v) => Some(Some((v * 10.0).round() / 10.0)),
            _ => {
                fields.insert(
                    "self_level".into(),
                    "Give a level from 0 to 7, e.g. 3.5.".into(),
                );
                None
            }
        },
    };
    let (Some(name), Some(side), Some(level), true) = (name, side, level, fields.is_empty()) else {
        return Err(AppError::Validation {
            message: "Please correct the highlighted fields.".into(),
            fields,
        });
    };
    let mut am: users::ActiveModel = actor.user.clone().into();
    am.display_name = Set(name.into_inner());
    am.preferred_side = Set(side);
    am.self_level = Set(level);
    Ok(am.update(db).await?)
}

/// Ends every session and API token of the user.
pub async fn sign_out_everywhere(db: &impl ConnectionTrait, actor: &Actor) -> Result<(), AppError> {
    let mut am: users::ActiveModel = actor.user.clone().into();
    am.token_version = Set(actor.user.token_version + 1);
    am.update(db).await?;
    Ok(())
}

fn avatar_color(seed: &str) -> String {
    const COLORS: [&str; 8] = [
        "#0b6b47", "#1a4fd6", "#a4161a", "#6a2c91", "#8a5a00", "#00606b", "#b0306a", "#3b4a54",
    ];
    let h = seed
        .bytes()
        .fold(7u32, |h, b| h.wrapping_mul(31).wrapping_add(u32::from(b)));
    COLORS[(h as usize) % COLORS.len()].to_string()
}

pub fn initials(name: &str) -> String {
    name.split_whitespace()
        .filter_map(|w| w.chars().next())
        .take(2)
        .flat_map(char::to_uppercase)
        .collect()
}

// ---- API tokens: HMAC-signed "user.version.expiry"; bumping the user's
// token_version revokes them all, with no token table to keep in sync.

const TOKEN_DAYS: i64 = 30;

fn sign(key: &[u8], payload: &str) -> String {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).unwrap_or_else(|_| {
        // HMAC takes keys of any length; this branch cannot be reached.
        <Hmac<Sha256> as Mac>::new_from_slice(b"k").unwrap_or_else(|_| unreachable!())
    });
    mac.update(payload.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

pub fn issue_token(key: &[u8], user: &users::Model) -> String {
    let exp = Utc::now().timestamp() + TOKEN_DAYS * 86_400;
    let payload = format!("{}.{}.{}", user.id, user.token_version, exp);
    format!("{payload}.{}", sign(key, &payload))
}

pub async fn verify_token(
    db: &impl ConnectionTrait,
    key: &[u8],
    token: &str,
) -> Result<users::Model, AppError> {
    let parts: Vec<&str> = token.split('.').collect();
    let [id, version, exp, sig] = parts.as_slice() else {
        return Err(AppError::Unauthorized);
    };
    let payload = format!("{id}.{version}.{exp}");
    let expected = sign(key, &payload);
    if expected.len() != sig.len()
        || expected
            .bytes()
            .zip(sig.bytes())
            .fold(0u8, |a, (x, y)| a | (x ^ y))
            != 0
    {
        return Err(AppError::Unauthorized);
    }
    let (Ok(id), Ok(version), Ok(exp)) = (
        id.parse::<i64>(),
        version.parse::<i32>(),
        exp.parse::<i64>(),
    ) else {
        return Err(AppError::Unauthorized);
    };
    if exp < Utc::now().timestamp() {
        return Err(AppError::Unauthorized);
    }
    match find(db, id).await? {
        Some(u) if u.token_version == version => Ok(u),
        _ => Err(AppError::Unauthorized),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn initials_take_two_words() {
        assert_eq!(initials("ana maria lopez"), "AM");
        assert_eq!(initials("Bo"), "B");
    }
}
