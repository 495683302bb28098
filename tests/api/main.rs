//! One test binary for the HTTP surface; every test runs on SQLite, and on
//! PostgreSQL too when TEST_POSTGRES_URL is set.
mod form;
mod helpers;

mod accounts;
mod api_v1;
mod authz;
mod claims;
mod cli;
mod faults;
mod formats;
mod google;
mod health;
mod hostile;
mod live;
mod ratings;
mod tournaments;
