//! Evaluation: tune the points model and a win/loss Elo baseline on simulated
//! training seasons, then score both on held-out seasons (different seeds),
//! predicting every game *before* it is used for the update.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::elo::{elo_expected, elo_initial, elo_update, EloParams};
use super::model::{initial, update, win_probability_points, Params, Rating};
use super::sim::{simulate_season, Season, SessionStyle, SimConfig, SimMatch};

/// What to simulate and how much.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EvalConfig {
    /// Master seed; training and test seasons derive disjoint seeds from it.
    pub seed: u64,
    /// Training seasons per session style (used for tuning only).
    pub train_seasons: usize,
    /// Held-out seasons per session style (used for the reported numbers).
    pub test_seasons: usize,
    /// Club simulator settings.
    pub sim: SimConfig,
    /// Tune the model's params on the training seasons (otherwise `Params::default()`).
    pub tune_model: bool,
}

impl Default for EvalConfig {
    fn default() -> Self {
        EvalConfig {
            seed: 2024,
            train_seasons: 8,
            test_seasons: 16,
            sim: SimConfig::default(),
            tune_model: true,
        }
    }
}

impl EvalConfig {
    /// A small configuration that runs in a few seconds even in debug builds.
    pub fn quick() -> Self {
        EvalConfig {
            train_seasons: 1,
            test_seasons: 12,
            tune_model: false,
            ..EvalConfig::default()
        }
    }
}

/// Prediction quality of one rater on one set of seasons.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Metrics {
    /// Decided (non-drawn) games scored.
    pub games: usize,
    /// Mean negative log-likelihood of the winner (nats).
    pub log_loss: f64,
    /// Share of decided games whose favourite won (a 50 % call counts half).
    pub accuracy: f64,
    /// Expected calibration error over 10 equal-width probability bins.
    pub ece: f64,
    /// Spearman correlation of final ratings with true final levels, averaged over seasons.
    pub spearman: f64,
}

/// Results for one session style.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StyleReport {
    /// Session style of these seasons.
    pub style: SessionStyle,
    /// Points model with the params tuned in this run.
    pub model: Metrics,
    /// Points model with `Params::default()`.
    pub model_default: Metrics,
    /// Tuned win/loss Elo.
    pub elo: Metrics,
}

/// Pass/fail of the targets.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Targets {
    /// Elo log-loss minus model log-loss on mixed play (target ≥ 0.010).
    pub mixed_gain: f64,
    /// Elo log-loss minus model log-loss on banded play (target ≥ 0).
    pub banded_gain: f64,
    /// Largest model calibration error over both styles (target ≤ 0.02).
    pub worst_ece: f64,
    /// All three targets met.
    pub met: bool,
}

/// Everything `tornetic ratings evaluate` prints.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EvalReport {
    /// The configuration evaluated.
    pub config: EvalConfig,
    /// Model params used for the `model` rows.
    pub params: Params,
    /// Tuned Elo baseline params.
    pub elo_params: EloParams,
    /// Training log-loss of the model and of Elo at the chosen params.
    pub train_log_loss: (f64, f64),
    /// Per style results on held-out seasons.
    pub styles: Vec<StyleReport>,
    /// Target check (model rows vs Elo).
    pub targets: Targets,
}

/// A rating system under evaluation.
trait Rater {
    fn start(&mut self, season: &Season);
    fn predict(&self, m: &SimMatch) -> f64;
    fn learn(&mut self, m: &SimMatch);
    fn strength(&self, player: usize) -> f64;
}

struct Model {
    p: Params,
    points: u32,
    r: Vec<Rating>,
}

impl Rater for Model {
    fn start(&mut self, season: &Season) {
        self.r = season
            .players
            .iter()
            .map(|pl| initial(pl.self_assessed, &self.p))
            .collect();
    }
    fn predict(&self, m: &SimMatch) -> f64 {
        let (a, b) = teams(&self.r, m);
        win_probability_points(a, b, self.points, &self.p)
    }
    fn learn(&mut self, m: &SimMatch) {
        let (a, b) = teams(&self.r, m);
        let (a, b) = update(a, b, m.score_a, m.score_b, &self.p);
        set(&mut self.r, m, a, b);
    }
    fn strength(&self, player: usize) -> f64 {
        self.r[player].mu
    }
}

struct Elo {
    p: EloParams,
    r: Vec<f64>,
}

impl Rater for Elo {
    fn start(&mut self, season: &Season) {
        self.r = season
            .players
            .iter()
            .map(|pl| elo_initial(pl.self_assessed, &self.p))
            .collect();
    }
    fn predict(&self, m: &SimMatch) -> f64 {
        let (a, b) = teams(&self.r, m);
        elo_expected((a[0] + a[1]) / 2.0, (b[0] + b[1]) / 2.0)
    }
    fn learn(&mut self, m: &SimMatch) {
        let (a, b) = teams(&self.r, m);
        let (a, b) = elo_update(a, b, m.score_a, m.score_b, &self.p);
        set(&mut self.r, m, a, b);
    }
    fn strength(&self, player: usize) -> f64 {
        self.r[player]
    }
}

fn teams<T: Copy>(r: &[T], m: &SimMatch) -> ([T; 2], [T; 2]) {
    (
        [r[m.team_a[0]], r[m.team_a[1]]],
        [r[m.team_b[0]], r[m.team_b[1]]],
    )
}

fn set<T: Copy>(r: &mut [T], m: &SimMatch, a: [T; 2], b: [T; 2]) {
    r[m.team_a[0]] = a[0];
    r[m.team_a[1]] = a[1];
    r[m.team_b[0]] = b[0];
    r[m.team_b[1]] = b[1];
}

/// Predictions `(p_a_wins, a_won)` of decided games plus per-season Spearman.
#[derive(Default)]
struct Acc {
    preds: Vec<(f64, bool)>,
    spearman: Vec<f64>,
}

fn run<R: Rater>(rater: &mut R, seasons: &[Season], acc: &mut Acc) {
    for season in seasons {
        rater.start(season);
        for m in &season.matches {
            let p = rater.predict(m);
            if m.score_a != m.score_b {
                acc.preds.push((p, m.score_a > m.score_b));
            }
            rater.learn(m);
        }
        // Rank only players who played: the others were never rated.
        let mut played = vec![false; season.players.len()];
        for m in &season.matches {
            for &i in m.team_a.iter().chain(m.team_b.iter()) {
                played[i] = true;
            }
        }
        let idx: Vec<usize> = (0..played.len()).filter(|&i| played[i]).collect();
        let est: Vec<f64> = idx.iter().map(|&i| rater.strength(i)).collect();
        let truth: Vec<f64> = idx.iter().map(|&i| season.final_levels[i]).collect();
        acc.spearman.push(spearman(&est, &truth));
    }
}

fn log_loss(preds: &[(f64, bool)]) -> f64 {
    if preds.is_empty() {
        return 0.0;
    }
    let sum: f64 = preds
        .iter()
        .map(|&(p, won)| {
            let p = p.clamp(1e-9, 1.0 - 1e-9);
            -if won { p.ln() } else { (1.0 - p).ln() }
        })
        .sum();
    sum / preds.len() as f64
}

fn metrics(acc: &Acc) -> Metrics {
    let n = acc.preds.len().max(1) as f64;
    let accuracy = acc
        .preds
        .iter()
        .map(|&(p, won)| match p.partial_cmp(&0.5) {
            Some(std::cmp::Ordering::Greater) => f64::from(u8::from(won)),
            Some(std::cmp::Ordering::Less) => f64::from(u8::from(!won)),
            _ => 0.5,
        })
        .sum::<f64>()
        / n;
    let mut bins = [(0usize, 0.0f64, 0.0f64); 10];
    for &(p, won) in &acc.preds {
        let b = ((p * 10.0) as usize).min(9);
        bins[b].0 += 1;
        bins[b].1 += p;
        bins[b].2 += f64::from(u8::from(won));
    }
    let ece = bins
        .iter()
        .filter(|b| b.0 > 0)
        .map(|&(c, sp, sy)| (sp - sy).abs() / c as f64 * (c as f64 / n))
        .sum();
    let spearman = acc.spearman.iter().sum::<f64>() / acc.spearman.len().max(1) as f64;
    Metrics {
        games: acc.preds.len(),
        log_loss: log_loss(&acc.preds),
        accuracy,
        ece,
        spearman,
    }
}

/// Average ranks (ties share their mean rank).
fn ranks(x: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..x.len()).collect();
    order.sort_by(|&a, &b| x[a].total_cmp(&x[b]));
    let mut r = vec![0.0; x.len()];
    let mut i = 0;
    while i < order.len() {
        let mut j = i;
        while j + 1 < order.len() && x[order[j + 1]] == x[order[i]] {
            j += 1;
        }
        for &k in &order[i..=j] {
            r[k] = (i + j) as f64 / 2.0;
        }
        i = j + 1;
    }
    r
}

/// Spearman rank correlation (Pearson correlation of average ranks).
pub fn spearman(x: &[f64], y: &[f64]) -> f64 {
    if x.len() != y.len() || x.len() < 2 {
        return 0.0;
    }
    let (rx, ry) = (ranks(x), ranks(y));
    let mean = (x.len() - 1) as f64 / 2.0;
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in rx.iter().zip(ry.iter()) {
        sxy += (a - mean) * (b - mean);
        sxx += (a - mean) * (a - mean);
        syy += (b - mean) * (b - mean);
    }
    if sxx == 0.0 || syy == 0.0 {
        return 0.0;
    }
    sxy / (sxx * syy).sqrt()
}

/// SplitMix64 step, to derive independent season seeds from the master seed.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn seasons(cfg: &EvalConfig, style: SessionStyle, test: bool, count: usize) -> Vec<Season> {
    let tag = u64::from(test) * 2 + u64::from(style == SessionStyle::Banded);
    (0..count as u64)
        .map(|i| simulate_season(&cfg.sim, style, mix(mix(cfg.seed ^ (tag << 60)) ^ i)))
        .collect()
}

fn score<R: Rater>(rater: &mut R, seasons: &[Season]) -> Metrics {
    let mut acc = Acc::default();
    run(rater, seasons, &mut acc);
    metrics(&acc)
}

fn model(p: Params, cfg: &EvalConfig) -> Model {
    Model {
        p,
        points: cfg.sim.points_per_game,
        r: Vec::new(),
    }
}

/// Grid search of Elo's K and seeding scale on the training seasons.
fn tune_elo(train: &[Season]) -> (EloParams, f64) {
    let mut best = (EloParams::default(), f64::INFINITY);
    for k in (1..=40).map(|i| 4.0 * f64::from(i)) {
        for points_per_level in (0..=16).map(|i| 40.0 * f64::from(i)) {
            let p = EloParams {
                k,
                points_per_level,
            };
            let ll = score(&mut Elo { p, r: Vec::new() }, train).log_loss;
            if ll < best.1 {
                best = (p, ll);
            }
        }
    }
    best
}

/// Coordinate descent on the model's params (log-loss on training seasons),
/// with multiplicative steps that narrow on every pass.
fn tune_model(start: Params, train: &[Season], cfg: &EvalConfig) -> (Params, f64) {
    let loss = |p: Params| score(&mut model(p, cfg), train).log_loss;
    let mut best = (start, loss(start));
    for step in [1.5, 1.25, 1.1, 1.04] {
        for field in 0..5 {
            for factor in [1.0 / step, step] {
                let mut p = best.0;
                let v = match field {
                    0 => &mut p.beta,
                    1 => &mut p.form_sd,
                    2 => &mut p.tau,
                    3 => &mut p.initial_sigma,
                    _ => &mut p.unknown_sigma,
                };
                *v *= factor;
                let l = loss(p);
                if l < best.1 {
                    best = (p, l);
                }
            }
        }
    }
    best
}

/// Runs the whole evaluation. Deterministic for a given config.
pub fn evaluate(config: &EvalConfig) -> EvalReport {
    let styles = [SessionStyle::Mixed, SessionStyle::Banded];
    let train: Vec<Season> = styles
        .iter()
        .flat_map(|&s| seasons(config, s, false, config.train_seasons))
        .collect();
    let (elo_params, elo_train) = tune_elo(&train);
    let (params, model_train) = if config.tune_model {
        tune_model(Params::default(), &train, config)
    } else {
        let p = Params::default();
        (p, score(&mut model(p, config), &train).log_loss)
    };

    let styles: Vec<StyleReport> = styles
        .iter()
        .map(|&style| {
            let test = seasons(config, style, true, config.test_seasons);
            StyleReport {
                style,
                model: score(&mut model(params, config), &test),
                model_default: score(&mut model(Params::default(), config), &test),
                elo: score(
                    &mut Elo {
                        p: elo_params,
                        r: Vec::new(),
                    },
                    &test,
                ),
            }
        })
        .collect();

    let gain = |s: SessionStyle| {
        styles
            .iter()
            .find(|r| r.style == s)
            .map_or(0.0, |r| r.elo.log_loss - r.model.log_loss)
    };
    let mixed_gain = gain(SessionStyle::Mixed);
    let banded_gain = gain(SessionStyle::Banded);
    let worst_ece = styles.iter().map(|r| r.model.ece).fold(0.0, f64::max);
    EvalReport {
        config: config.clone(),
        params,
        elo_params,
        train_log_loss: (model_train, elo_train),
        styles,
        targets: Targets {
            mixed_gain,
            banded_gain,
            worst_ece,
            met: mixed_gain >= 0.010 && banded_gain >= 0.0 && worst_ece <= 0.02,
        },
    }
}

impl fmt::Display for EvalReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let c = &self.config;
        writeln!(
            f,
            "Rating evaluation: seed {}, {} training + {} held-out seasons per style \
             ({} players, {} sessions, {} rounds, games to {} points)",
            c.seed,
            c.train_seasons,
            c.test_seasons,
            c.sim.players,
            c.sim.sessions,
            c.sim.rounds,
            c.sim.points_per_game
        )?;
        let p = &self.params;
        writeln!(
            f,
            "Model params ({}): beta {:.3}, form_sd {:.3}, tau {:.4}, initial_sigma {:.3}, \
             unknown_level {:.2}, unknown_sigma {:.3}",
            if c.tune_model { "tuned" } else { "default" },
            p.beta,
            p.form_sd,
            p.tau,
            p.initial_sigma,
            p.unknown_level,
            p.unknown_sigma
        )?;
        writeln!(
            f,
            "Elo baseline (tuned): K {}, {} points per self-assessed level",
            self.elo_params.k, self.elo_params.points_per_level
        )?;
        writeln!(
            f,
            "Training log-loss: model {:.4}, Elo {:.4}",
            self.train_log_loss.0, self.train_log_loss.1
        )?;
        writeln!(f)?;
        writeln!(
            f,
            "| style  | rater                  | games | log-loss | accuracy |   ECE  | Spearman |"
        )?;
        writeln!(
            f,
            "|--------|------------------------|------:|---------:|---------:|-------:|---------:|"
        )?;
        for s in &self.styles {
            let style = match s.style {
                SessionStyle::Mixed => "mixed",
                SessionStyle::Banded => "banded",
            };
            for (name, m) in [
                ("points model", &s.model),
                ("points model (default)", &s.model_default),
                ("win/loss Elo", &s.elo),
            ] {
                writeln!(
                    f,
                    "| {style:<6} | {name:<22} | {:>5} | {:>8.4} | {:>7.1}% | {:>6.4} | {:>8.3} |",
                    m.games,
                    m.log_loss,
                    m.accuracy * 100.0,
                    m.ece,
                    m.spearman
                )?;
            }
        }
        writeln!(f)?;
        let t = &self.targets;
        let mark = |ok: bool| if ok { "met" } else { "NOT met" };
        writeln!(
            f,
            "Targets: mixed log-loss gain vs Elo {:.4} (>= 0.010: {}), banded gain {:.4} \
             (>= 0: {}), worst ECE {:.4} (<= 0.02: {}) => {}",
            t.mixed_gain,
            mark(t.mixed_gain >= 0.010),
            t.banded_gain,
            mark(t.banded_gain >= 0.0),
            t.worst_ece,
            mark(t.worst_ece <= 0.02),
            if t.met { "ALL MET" } else { "NOT ALL MET" }
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spearman_basics() {
        assert!((spearman(&[1.0, 2.0, 3.0], &[10.0, 20.0, 30.0]) - 1.0).abs() < 1e-12);
        assert!((spearman(&[1.0, 2.0, 3.0], &[3.0, 2.0, 1.0]) + 1.0).abs() < 1e-12);
        assert_eq!(spearman(&[1.0, 1.0], &[1.0, 2.0]), 0.0);
    }

    #[test]
    fn quick_evaluation_meets_targets() {
        // Small fixed-seed run with the shipped default params (no tuning) so it
        // stays fast in debug builds; the full run is in BENCHMARKS.md.
        let report = evaluate(&EvalConfig::quick());
        let text = report.to_string();
        assert!(report.targets.met, "{text}");
        assert!(text.contains("points model"));
    }
}
