//! Domain newtypes: parsed once at the edge, trusted afterwards.
mod names;
mod tournament;

pub use names::{clean_text, Email, Password, PlayerName};
pub use tournament::{Format, MexicanoRule, ScoringMode, SitOutComp, Tiebreak, TournamentStatus};
