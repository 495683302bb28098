use unicode_trim::trim_controls;

/// Strips control characters and surrounding white space, so a name renders
/// the same everywhere and cannot smuggle line breaks into CSV or logs.
mod unicode_trim {
    pub fn trim_controls(s: &str) -> String {
        s.chars()
            .filter(|c| !c.is_control())
            .collect::<String>()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// Free text from a form (venues, searches): control characters removed, so
/// nothing a browser cannot show (and no NUL, which PostgreSQL refuses) is stored.
pub fn clean_text(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_control())
        .collect::<String>()
        .trim()
        .to_string()
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlayerName(String);

impl PlayerName {
    pub const MAX: usize = 40;

    pub fn parse(s: &str) -> Result<Self, String> {
        let s = trim_controls(s);
        if s.is_empty() {
            return Err("Please enter a name.".into());
        }
        if s.chars().count() > Self::MAX {
            return Err(format!("Names can be at most {} characters.", Self::MAX));
        }
        Ok(PlayerName(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(s: &str) -> Result<Self, String> {
        let s = s.trim().to_ascii_lowercase();
        if s.is_empty() {
            return Err("Please enter your email address.".into());
        }
        if s.len() > 254 {
            return Err("That email address is too long.".into());
        }
        let valid = match s.split_once('@') {
            Some((local, domain)) => {
                !local.is_empty()
                    && !domain.is_empty()
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
                    && !s.contains(char::is_whitespace)
                    && !domain.contains('@')
                    && !s.chars().any(|c| c.is_control() || c == '<' || c == '>')
            }
            None => false,
        };
        if !valid {
            return Err("That does not look like an email address.".into());
        }
        Ok(Email(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

pub struct Password(String);

impl Password {
    pub const MIN: usize = 10;
    pub const MAX: usize = 128;

    pub fn parse(s: &str) -> Result<Self, String> {
        let n = s.chars().count();
        if n < Self::MIN {
            return Err(format!("Use at least {} characters.", Self::MIN));
        }
        if n > Self::MAX {
            return Err(format!("Use at most {} characters.", Self::MAX));
        }
        Ok(Password(s.to_string()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(
            PlayerName::parse("  Ana \n Lopez ").unwrap().as_str(),
            "Ana Lopez"
        );
        assert!(PlayerName::parse("   ").is_err());
        assert!(PlayerName::parse(&"x".repeat(41)).is_err());
        assert!(PlayerName::parse(&"é".repeat(40)).is_ok());
    }

    #[test]
    fn emails_are_lowercased_and_checked() {
        assert_eq!(
            Email::parse(" Ana@Club.ES ").unwrap().as_str(),
            "ana@club.es"
        );
        for bad in [
            "",
            "ana",
            "ana@",
            "@club.es",
            "ana@club",
            "a b@club.es",
            "a@b@c.es",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn passwords_need_ten_characters() {
        assert!(Password::parse("short").is_err());
        assert!(Password::parse("long enough").is_ok());
        assert!(Password::parse(&"x".repeat(129)).is_err());
    }
}
