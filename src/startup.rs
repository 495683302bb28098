//! Builds the application on a port (port 0 in tests) and runs it.
use actix_identity::IdentityMiddleware;
use actix_session::config::{BrowserSession, CookieContentSecurity};
use actix_session::storage::CookieSessionStore;
use actix_session::SessionMiddleware;
use actix_web::cookie::{Key, SameSite};
use actix_web::dev::Server;
use actix_web::middleware::{from_fn, Compress, NormalizePath, TrailingSlash};
use actix_web::{web, App, HttpServer};
use sea_orm::DatabaseConnection;
use std::net::TcpListener;
use std::sync::Arc;
use tracing_actix_web::TracingLogger;

use crate::config::Settings;
use crate::metrics::Metrics;
use crate::services::accounts::AuthLimits;
use crate::services::live::LiveHub;
use crate::{assets, auth, db, routes, security};

pub struct AppState {
    pub db: DatabaseConnection,
    pub settings: Arc<Settings>,
    pub metrics: Metrics,
    pub limits: AuthLimits,
    pub live: LiveHub,
    pub cache: crate::routes::live::StandingsCache,
    pub api_limits: crate::routes::api::ApiLimits,
}

pub struct Application {
    port: u16,
    server: Server,
}

impl Application {
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        let db = db::connect_and_migrate(&settings.database_url).await?;
        let listener = TcpListener::bind(&settings.bind).map_err(|e| {
            anyhow::anyhow!("TORNETIC_BIND: cannot listen on {}: {e}", settings.bind)
        })?;
        let port = listener.local_addr()?.port();
        let server = run(listener, db, settings).await?;
        Ok(Application { port, server })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }
}

pub async fn run(
    listener: TcpListener,
    db: DatabaseConnection,
    settings: Settings,
) -> anyhow::Result<Server> {
    let settings = Arc::new(settings);
    let key = Key::derive_from(&settings.secret_key);
    let secure = settings.secure_cookies();
    let live = LiveHub::new();
    let state = web::Data::new(AppState {
        db,
        metrics: Metrics::new()?,
        limits: AuthLimits::new(settings.auth_rate_per_minute),
        live: live.clone(),
        cache: Default::default(),
        api_limits: crate::routes::api::ApiLimits::new(settings.api_rate_per_minute),
        settings: settings.clone(),
    });
    live.start(state.clone().into_inner()).await;
    let route_settings = settings.clone();
    let server = HttpServer::new(move || {
        let settings = route_settings.clone();
        let session = SessionMiddleware::builder(CookieSessionStore::default(), key.clone())
            .cookie_name(auth::SESSION_COOKIE.into())
            .cookie_secure(secure)
            .cookie_http_only(true)
            .cookie_same_site(SameSite::Lax)
            .cookie_content_security(CookieContentSecurity::Private)
            .session_lifecycle(BrowserSession::default())
            .build();
        App::new()
            .app_data(state.clone())
            .app_data(
                web::FormConfig::default()
                    .limit(256 * 1024)
                    .error_handler(|e, _| {
                        crate::error::AppError::BadRequest(format!(
                            "The form could not be read: {e}"
                        ))
                        .into()
                    }),
            )
            .app_data(
                web::JsonConfig::default()
                    .limit(256 * 1024)
                    .error_handler(|e, _| {
                        crate::error::ApiError(crate::error::AppError::BadRequest(format!(
                            "The JSON body could not be read: {e}"
                        )))
                        .into()
                    }),
            )
            .app_data(
                web::PathConfig::default()
                    .error_handler(|_, _| crate::error::AppError::not_found("That page").into()),
            )
            .app_data(web::QueryConfig::default().error_handler(|e, _| {
                crate::error::AppError::BadRequest(format!("Bad query: {e}")).into()
            }))
            .wrap(from_fn(security::csrf))
            .wrap(IdentityMiddleware::default())
            .wrap(session)
            .wrap(from_fn(auth::remember_me))
            .wrap(from_fn(security::headers))
            .wrap(NormalizePath::new(TrailingSlash::Trim))
            .wrap(Compress::default())
            .wrap(from_fn(crate::metrics::track))
            .wrap(TracingLogger::default())
            .configure(assets::config)
            .configure(crate::metrics::config)
            .configure(move |cfg| routes::config(cfg, &settings))
    })
    .shutdown_timeout(20)
    .listen(listener)?
    .run();
    Ok(server)
}
