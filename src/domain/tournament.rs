use std::fmt;

macro_rules! string_enum {
    ($name:ident { $($variant:ident => $text:literal, $label:literal;)+ }) => {
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn parse(s: &str) -> Option<Self> {
                match s.trim() { $($text => Some($name::$variant),)+ _ => None }
            }

            pub fn as_str(&self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            pub fn label(&self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.label())
            }
        }
    };
}

string_enum!(Format {
    Americano => "americano", "Americano";
    Mexicano => "mexicano", "Mexicano";
    TeamAmericano => "team_americano", "Team Americano";
    MixedAmericano => "mixed_americano", "Mixed Americano";
});

string_enum!(ScoringMode {
    Points => "points", "Fixed total points";
    FirstTo => "first_to", "First to N";
    Time => "time", "By time";
});

string_enum!(SitOutComp {
    None => "none", "No compensation";
    RoundAverage => "round_average", "Average of the round";
    HalfMatch => "half_match", "Half the match points";
});

string_enum!(MexicanoRule {
    OneFourVsTwoThree => "1+4v2+3", "1+4 vs 2+3";
    OneThreeVsTwoFour => "1+3v2+4", "1+3 vs 2+4";
    OneTwoVsThreeFour => "1+2v3+4", "1+2 vs 3+4";
});

string_enum!(TournamentStatus {
    Draft => "draft", "Open for registration";
    Live => "live", "Live";
    Finished => "finished", "Finished";
});

string_enum!(Tiebreak {
    Points => "points", "Points";
    Wins => "wins", "Wins";
    Difference => "difference", "Point difference";
    HeadToHead => "head_to_head", "Head-to-head";
});

impl Tiebreak {
    /// Parses "points,wins,difference,head_to_head"; unknown or repeated keys
    /// are refused, and points always come first.
    pub fn parse_order(s: &str) -> Result<Vec<Tiebreak>, String> {
        let mut out = Vec::new();
        for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let t = Tiebreak::parse(part).ok_or_else(|| format!("Unknown tie-break '{part}'."))?;
            if out.contains(&t) {
                return Err(format!("'{part}' is listed twice."));
            }
            out.push(t);
        }
        if out.first() != Some(&Tiebreak::Points) {
            out.retain(|t| *t != Tiebreak::Points);
            out.insert(0, Tiebreak::Points);
        }
        Ok(out)
    }

    pub fn join(order: &[Tiebreak]) -> String {
        order
            .iter()
            .map(|t| t.as_str())
            .collect::<Vec<_>>()
            .join(",")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enums_round_trip() {
        for f in Format::ALL {
            assert_eq!(Format::parse(f.as_str()), Some(*f));
        }
        assert_eq!(Format::parse("bridge"), None);
    }

    #[test]
    fn tiebreak_order_puts_points_first() {
        let o = Tiebreak::parse_order("wins,difference").unwrap();
        assert_eq!(
            o,
            vec![Tiebreak::Points, Tiebreak::Wins, Tiebreak::Difference]
        );
        assert!(Tiebreak::parse_order("wins,wins").is_err());
        assert!(Tiebreak::parse_order("luck").is_err());
    }
}
