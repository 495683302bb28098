//! SeaORM entities, one per table.
pub mod claims;
pub mod matches;
pub mod player_ratings;
pub mod rate_limits;
pub mod rating_history;
pub mod rounds;
pub mod tournament_organizers;
pub mod tournament_player;
pub mod tournament_results;
pub mod tournaments;
pub mod users;
