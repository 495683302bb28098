//! The tournament form, shared by the API tests and the browser journeys (which
//! include this file by path).

/// The tournament form's fields: valid defaults with `overrides` applied.
pub fn tournament_form<'a>(overrides: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut form: Vec<(&str, &str)> = vec![
        ("name", "Friday Americano"),
        ("format", "americano"),
        ("scoring_mode", "points"),
        ("scoring_target", "24"),
        ("courts", "2"),
        ("sit_out_comp", "none"),
        ("mexicano_rule", "1+4v2+3"),
        ("tiebreak", "points,wins,difference,head_to_head"),
        ("is_public", "on"),
        ("max_players", "16"),
    ];
    for (k, v) in overrides {
        form.retain(|(fk, _)| fk != k);
        form.push((k, v));
    }
    form
}
