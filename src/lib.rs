//! Tornetic: padel tournaments (Americano, Mexicano), courtside.
pub mod assets;
pub mod auth;
pub mod cli;
pub mod config;
pub mod db;
pub mod domain;
pub mod entities;
pub mod error;
pub mod htmx;
pub mod metrics;
pub mod routes;
pub mod security;
pub mod services;
pub mod startup;
pub mod telemetry;
