//! Sign-up, sign-in, sign-out, Google sign-in, profile.
use actix_identity::Identity;
use actix_session::Session;
use actix_web::cookie::{time::Duration as CookieDuration, Cookie};
use actix_web::http::StatusCode;
use actix_web::{web, HttpMessage, HttpRequest, HttpResponse};
use askama::Template;
use oauth2::basic::BasicClient;
use oauth2::{
    AuthUrl, AuthorizationCode, ClientId, ClientSecret, CsrfToken, EndpointNotSet, EndpointSet,
    PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, Scope, TokenResponse, TokenUrl,
};
use serde::Deserialize;

use crate::auth::{client_ip, Ctx, RequireUser, REMEMBER_COOKIE};
use crate::config::GoogleSettings;
use crate::entities::users;
use crate::error::{AppError, FieldErrors};
use crate::htmx::{html, html_status};
use crate::services::accounts::{self, initials, ProfileUpdate, SignUp};
use crate::startup::AppState;

#[derive(Template)]
#[template(path = "accounts/signup.html")]
struct SignUpPage {
    ctx: Ctx,
    email: String,
    display_name: String,
    errors: FieldErrors,
    message: String,
}

#[derive(Template)]
#[template(path = "accounts/signin.html")]
struct SignInPage {
    ctx: Ctx,
    email: String,
    next: String,
    errors: FieldErrors,
    message: String,
}

#[derive(Template)]
#[template(path = "accounts/profile.html")]
struct ProfilePage {
    ctx: Ctx,
    user: users::Model,
    initials: String,
    display_name: String,
    preferred_side: String,
    self_level: String,
    errors: FieldErrors,
    saved: bool,
}

fn login(req: &HttpRequest, user: &users::Model) -> Result<(), AppError> {
    Identity::login(
        &req.extensions(),
        format!("{}:{}", user.id, user.token_version),
    )
    .map_err(|e| AppError::Internal(format!("login failed: {e}")))?;
    Ok(())
}

/// Only same-site paths: an open redirect would make phishing easy.
fn safe_next(next: &str) -> String {
    if next.starts_with('/') && !next.starts_with("//") && !next.contains('\\') {
        next.to_string()
    } else {
        "/".to_string()
    }
}

fn after_login(to: &str, remember: bool) -> HttpResponse {
    let mut res = HttpResponse::SeeOther();
    res.insert_header(("Location", to));
    if remember {
        res.cookie(
            Cookie::build(REMEMBER_COOKIE, "1")
                .path("/")
                .http_only(true)
                .max_age(CookieDuration::days(30))
                .finish(),
        );
    }
    res.finish()
}

async fn signup_form(ctx: Ctx) -> Result<HttpResponse, AppError> {
    html(&SignUpPage {
        ctx,
        email: String::new(),
        display_name: String::new(),
        errors: FieldErrors::new(),
        message: String::new(),
    })
}

#[derive(Deserialize)]
struct SignUpForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    display_name: String,
    remember: Option<String>,
}

async fn signup(
    req: HttpRequest,
    state: web::Data<AppState>,
    ctx: Ctx,
    form: web::Form<SignUpForm>,
) -> Result<HttpResponse, AppError> {
    let f = form.into_inner();
    let rerender = |ctx: Ctx, e: AppError, f: &SignUpForm| -> Result<HttpResponse, AppError> {
        let status = match &e {
            AppError::Validation { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::RateLimited => StatusCode::TOO_MANY_REQUESTS,
            _ => return Err(e),
        };
        html_status(
            status,
            &SignUpPage {
                ctx,
                email: f.email.chars().take(254).collect(),
                display_name: f.display_name.chars().take(60).collect(),
                errors: e.fields().cloned().unwrap_or_default(),
                message: e.public_message(),
            },
        )
    };
    if let Err(e) = state
        .limits
        .check(&state.db, &client_ip(&req), &f.email)
        .await
    {
        return rerender(ctx, e, &f);
    }
    let input = SignUp {
        email: f.email.clone(),
        password: f.password.clone(),
        display_name: f.display_name.clone(),
    };
    match accounts::register(&state.db, input).await {
        Ok(user) => {
            login(&req, &user)?;
            Ok(after_login("/", f.remember.is_some()))
        }
        Err(e) => rerender(ctx, e, &f),
    }
}

#[derive(Deserialize)]
struct NextQuery {
    next: Option<String>,
}

async fn signin_form(ctx: Ctx, q: web::Query<NextQuery>) -> Result<HttpResponse, AppError> {
    let next = safe_next(q.next.as_deref().unwrap_or("/"));
    html(&SignInPage {
        ctx,
        email: String::new(),
        next,
        errors: FieldErrors::new(),
        message: String::new(),
    })
}

#[derive(Deserialize)]
struct SignInForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
    remember: Option<String>,
}

async fn signin(
    req: HttpRequest,
    state: web::Data<AppState>,
    ctx: Ctx,
    form: web::Form<SignInForm>,
) -> Result<HttpResponse, AppError> {
    let f = form.into_inner();
    let result = match state
        .limits
        .check(&state.db, &client_ip(&req), &f.email)
        .await
    {
        Ok(()) => accounts::authenticate(&state.db, &f.email, &f.password).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(user) => {
            login(&req, &user)?;
            Ok(after_login(&safe_next(&f.next), f.remember.is_some()))
        }
        Err(e @ (AppError::Validation { .. } | AppError::RateLimited)) => {
            let status = if matches!(e, AppError::RateLimited) {
                StatusCode::TOO_MANY_REQUESTS
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            html_status(
                status,
                &SignInPage {
                    ctx,
                    email: f.email.chars().take(254).collect(),
                    next: safe_next(&f.next),
                    errors: e.fields().cloned().unwrap_or_default(),
                    message: e.public_message(),
                },
            )
        }
        Err(e) => Err(e),
    }
}

async fn signout(identity: Option<Identity>, session: Session) -> HttpResponse {
    if let Some(id) = identity {
        id.logout();
    }
    session.purge();
    let mut gone = Cookie::build(REMEMBER_COOKIE, "").path("/").finish();
    gone.make_removal();
    HttpResponse::SeeOther()
        .insert_header(("Location", "/"))
        .cookie(gone)
        .finish()
}

async fn profile(ctx: Ctx, RequireUser(actor): RequireUser) -> Result<HttpResponse, AppError> {
    let u = actor.user.clone();
    html(&ProfilePage {
        ctx,
        initials: initials(&u.display_name),
        display_name: u.display_name.clone(),
        preferred_side: u.preferred_side.clone(),
        self_level: u.self_level.map(|l| format!("{l:.1}")).unwrap_or_default(),
        user: u,
        errors: FieldErrors::new(),
        saved: false,
    })
}

#[derive(Deserialize)]
struct ProfileForm {
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    preferred_side: String,
    #[serde(default)]
    self_level: String,
}

async fn profile_save(
    state: web::Data<AppState>,
    ctx: Ctx,
    RequireUser(actor): RequireUser,
    form: web::Form<ProfileForm>,
) -> Result<HttpResponse, AppError> {
    let f = form.into_inner();
    let input = ProfileUpdate {
        display_name: f.display_name.clone(),
        preferred_side: f.preferred_side.clone(),
        self_level: f.self_level.clone(),
    };
    match accounts::update_profile(&state.db, &actor, input).await {
        Ok(u) => html(&ProfilePage {
            ctx,
            initials: initials(&u.display_name),
            display_name: u.display_name.clone(),
            preferred_side: u.preferred_side.clone(),
            self_level: u.self_level.map(|l| format!("{l:.1}")).unwrap_or_default(),
            user: u,
            errors: FieldErrors::new(),
            saved: true,
        }),
        Err(e @ AppError::Validation { .. }) => html_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &ProfilePage {
                ctx,
                initials: initials(&actor.user.display_name),
                user: actor.user.clone(),
                display_name: f.display_name.chars().take(60).collect(),
                preferred_side: f.preferred_side,
                self_level: f.self_level.chars().take(10).collect(),
                errors: e.fields().cloned().unwrap_or_default(),
                saved: false,
            },
        ),
        Err(e) => Err(e),
    }
}

async fn signout_everywhere(
    state: web::Data<AppState>,
    RequireUser(actor): RequireUser,
    identity: Option<Identity>,
    session: Session,
) -> Result<HttpResponse, AppError> {
    accounts::sign_out_everywhere(&state.db, &actor).await?;
    Ok(signout(identity, session).await)
}

// ---- Google sign-in: authorization code + PKCE + state, against endpoints
// from configuration (a fake provider on loopback in tests).

type GoogleClient =
    BasicClient<EndpointSet, EndpointNotSet, EndpointNotSet, EndpointNotSet, EndpointSet>;

fn google_client(g: &GoogleSettings, base_url: &str) -> Result<GoogleClient, AppError> {
    let bad = |e: oauth2::url::ParseError| AppError::Internal(format!("Google endpoint: {e}"));
    Ok(BasicClient::new(ClientId::new(g.client_id.clone()))
        .set_client_secret(ClientSecret::new(g.client_secret.clone()))
        .set_auth_uri(AuthUrl::new(g.auth_url.clone()).map_err(bad)?)
        .set_token_uri(TokenUrl::new(g.token_url.clone()).map_err(bad)?)
        .set_redirect_uri(
            RedirectUrl::new(format!("{base_url}/auth/google/callback")).map_err(bad)?,
        ))
}

async fn google_start(
    state: web::Data<AppState>,
    session: Session,
) -> Result<HttpResponse, AppError> {
    let g = state
        .settings
        .google
        .as_ref()
        .ok_or_else(|| AppError::not_found("Google sign-in"))?;
    let client = google_client(g, &state.settings.base_url)?;
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (url, csrf) = client
        .authorize_url(CsrfToken::new_random)
        .add_scope(Scope::new("openid".into()))
        .add_scope(Scope::new("email".into()))
        .add_scope(Scope::new("profile".into()))
        .set_pkce_challenge(challenge)
        .url();
    session
        .insert("oauth_state", csrf.secret())
        .and_then(|_| session.insert("oauth_verifier", verifier.secret()))
        .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(HttpResponse::SeeOther()
        .insert_header(("Location", url.to_string()))
        .finish())
}

#[derive(Deserialize)]
struct Callback {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
}

#[derive(Deserialize)]
struct UserInfo {
    sub: String,
    email: String,
    #[serde(default)]
    email_verified: bool,
    #[serde(default)]
    name: String,
}

async fn google_callback(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: Session,
    q: web::Query<Callback>,
) -> Result<HttpResponse, AppError> {
    let g = state
        .settings
        .google
        .as_ref()
        .ok_or_else(|| AppError::not_found("Google sign-in"))?;
    let expected: Option<String> = session.remove_as("oauth_state").and_then(Result::ok);
    let verifier: Option<String> = session.remove_as("oauth_verifier").and_then(Result::ok);
    if let Some(err) = &q.error {
        return Err(AppError::BadRequest(format!(
            "Google sign-in was cancelled ({err})."
        )));
    }
    let (Some(code), Some(got), Some(expected), Some(verifier)) =
        (&q.code, &q.state, expected, verifier)
    else {
        return Err(AppError::Forbidden(
            "This sign-in link is not valid. Please start again.".into(),
        ));
    };
    if got.as_bytes() != expected.as_bytes() {
        return Err(AppError::Forbidden(
            "This sign-in link is not valid. Please start again.".into(),
        ));
    }
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(std::time::Duration::from_secs(10))
        .build()
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let client = google_client(g, &state.settings.base_url)?;
    let token = client
        .exchange_code(AuthorizationCode::new(code.clone()))
        .set_pkce_verifier(PkceCodeVerifier::new(verifier))
        .request_async(&http)
        .await
        .map_err(|e| AppError::BadRequest(format!("Google did not accept the sign-in: {e}")))?;
    let info: UserInfo = http
        .get(&g.userinfo_url)
        .bearer_auth(token.access_token().secret())
        .send()
        .await
        .and_then(|r| r.error_for_status())
        .map_err(|e| AppError::BadRequest(format!("Could not read your Google profile: {e}")))?
        .json()
        .await
        .map_err(|e| AppError::BadRequest(format!("Could not read your Google profile: {e}")))?;
    if !info.email_verified {
        return Err(AppError::Forbidden(
            "Your Google email address is not verified.".into(),
        ));
    }
    let user = accounts::google_sign_in(&state.db, &info.sub, &info.email, &info.name).await?;
    login(&req, &user)?;
    Ok(after_login("/", false))
}

pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.route("/signup", web::get().to(signup_form))
        .route("/signup", web::post().to(signup))
        .route("/signin", web::get().to(signin_form))
        .route("/signin", web::post().to(signin))
        .route("/signout", web::post().to(signout))
        .route("/profile", web::get().to(profile))
        .route("/profile", web::post().to(profile_save))
        .route(
            "/profile/signout-everywhere",
            web::post().to(signout_everywhere),
        )
        .route("/auth/google", web::get().to(google_start))
        .route("/auth/google/callback", web::get().to(google_callback));
}
