//! The command line: `tornetic` (serve), `schedule`, `demo`, `ratings …`.
use clap::{Parser, Subcommand, ValueEnum};

#[derive(Parser, Debug)]
#[command(name = "tornetic", version, about = "Padel tournaments, courtside")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run the web server (the default).
    Serve,
    /// Preview a schedule and its fairness figures.
    Schedule {
        #[arg(long)]
        players: usize,
        #[arg(long)]
        courts: usize,
        #[arg(long)]
        rounds: Option<usize>,
        #[arg(long, value_enum, default_value_t = SchedFormat::Americano)]
        format: SchedFormat,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Print exactly one JSON object.
        #[arg(long)]
        json: bool,
    },
    /// Fill the database with a demo club.
    Demo {
        /// The load-test dataset instead: many players and tournaments, one live.
        #[arg(long)]
        large: bool,
        #[arg(long, default_value_t = 200)]
        players: usize,
        #[arg(long, default_value_t = 30)]
        tournaments: usize,
    },
    /// Rating maintenance and evaluation.
    Ratings {
        #[command(subcommand)]
        action: RatingsAction,
    },
}

#[derive(Subcommand, Debug)]
pub enum RatingsAction {
    /// Replay every match and report differences from the stored ratings.
    Rebuild,
    /// Evaluate the rating model against a tuned Elo baseline on simulated seasons.
    Evaluate {
        #[arg(long)]
        quick: bool,
    },
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum SchedFormat {
    Americano,
    TeamAmericano,
    MixedAmericano,
}
