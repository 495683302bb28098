use clap::Parser;
use std::io::Write;
use std::process::ExitCode;
use tornetic::cli::{Cli, Command, RatingsAction, SchedFormat};
use tornetic::config::Settings;
use tornetic::services::scheduling;
use tornetic::startup::Application;
use tornetic::{db, telemetry};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command.unwrap_or(Command::Serve) {
        Command::Schedule {
            players,
            courts,
            rounds,
            format,
            seed,
            json,
        } => {
            let f = match format {
                SchedFormat::Americano => scheduling::Format::Americano,
                SchedFormat::TeamAmericano => scheduling::Format::TeamAmericano,
                SchedFormat::MixedAmericano => scheduling::Format::MixedAmericano,
            };
            let s = scheduling::preview(f, players, courts, rounds, seed)?;
            if json {
                emit(&format!("{}\n", scheduling::to_json_string(&s)))
            } else {
                emit(&scheduling::to_text(&s))
            }
        }
        Command::Ratings {
            action: RatingsAction::Evaluate { quick },
        } => {
            let cfg = if quick {
                tornetic::services::ratings::EvalConfig::quick()
            } else {
                tornetic::services::ratings::EvalConfig::default()
            };
            emit(&format!(
                "{}\n",
                tornetic::services::ratings::evaluate(&cfg)
            ))
        }
        other => {
            let settings = Settings::from_env()?;
            telemetry::init(settings.log_format);
            let rt = tokio::runtime::Runtime::new()?;
            rt.block_on(async move {
                match other {
                    Command::Demo {
                        large,
                        players,
                        tournaments,
                    } => {
                        let db = db::connect_and_migrate(&settings.database_url).await?;
                        if large {
                            let live =
                                tornetic::services::demo::fill_large(&db, players, tournaments)
                                    .await?;
                            println!("live tournament: {live}");
                        } else {
                            println!("{}", tornetic::services::demo::fill(&db).await?);
                        }
                        Ok(())
                    }
                    Command::Ratings {
                        action: RatingsAction::Rebuild,
                    } => {
                        let db = db::connect_and_migrate(&settings.database_url).await?;
                        let report = tornetic::services::player_ratings::rebuild(&db, true).await?;
                        println!("{report}");
                        Ok(())
                    }
                    _ => {
                        let app = Application::build(settings).await?;
                        tracing::info!(port = app.port(), "Tornetic is listening");
                        app.run_until_stopped().await?;
                        Ok(())
                    }
                }
            })
        }
    }
}

/// Writes the command's output; a reader that stops early (`| head`) is not an error,
/// where `println!` would panic on the closed pipe.
fn emit(text: &str) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(()),
    }
}
