//! Business rules. Handlers (HTML and JSON alike) only parse, call these, and render.
pub mod accounts;
pub mod claims;
pub mod demo;
pub mod live;
pub mod player_ratings;
pub mod players;
pub mod ratings;
pub mod rounds;

pub mod scheduling;
pub mod standings;
pub mod stats;
pub mod tournaments;
