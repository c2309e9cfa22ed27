//! Durations on the command line: a whole number and a unit, `500ms`, `2s`,
//! `5m`, `2h` (the forms grpc-go's flags and gRPC's docs write), parsed into
//! a [`Duration`] or a typed [`DurationError`].

use std::fmt;
use std::time::Duration;

/// Why a command-line duration was not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DurationError {
    /// Nothing was given.
    Empty,
    /// No digits before the unit (`ms`, `-5s`, `1.5s`).
    NoNumber(String),
    /// A number with no unit (`30`): seconds or milliseconds is a guess we
    /// do not make.
    NoUnit(String),
    /// A unit other than `ms`, `s`, `m`, `h`.
    UnknownUnit(String),
    /// More than a `Duration` holds.
    TooLong(String),
}

impl fmt::Display for DurationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DurationError::Empty => f.write_str("empty duration (write e.g. 500ms, 2s, 5m, 2h)"),
            DurationError::NoNumber(text) => {
                write!(f, "{text:?} does not start with a whole number")
            }
            DurationError::NoUnit(text) => {
                write!(f, "{text:?} has no unit (ms, s, m or h)")
            }
            DurationError::UnknownUnit(text) => {
                write!(f, "{text:?} has an unknown unit (ms, s, m or h)")
            }
            DurationError::TooLong(text) => write!(f, "{text:?} is too long a duration"),
        }
    }
}

impl std::error::Error for DurationError {}

/// Reads `500ms`, `2s`, `5m` or `2h`.
pub fn parse_duration(text: &str) -> Result<Duration, DurationError> {
    if text.is_empty() {
        return Err(DurationError::Empty);
    }
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    let (number, unit) = text.split_at(digits);
    let number: u64 = match number.parse() {
        Ok(number) => number,
        Err(_) if digits == 0 => return Err(DurationError::NoNumber(text.to_owned())),
        Err(_) => return Err(DurationError::TooLong(text.to_owned())),
    };
    let seconds_per = match unit {
        "ms" => return Ok(Duration::from_millis(number)),
        "s" => 1,
        "m" => 60,
        "h" => 60 * 60,
        "" => return Err(DurationError::NoUnit(text.to_owned())),
        _ => return Err(DurationError::UnknownUnit(text.to_owned())),
    };
    number
        .checked_mul(seconds_per)
        .map(Duration::from_secs)
        .ok_or_else(|| DurationError::TooLong(text.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_unit_is_read() {
        assert_eq!(parse_duration("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_duration("2s"), Ok(Duration::from_secs(2)));
        assert_eq!(parse_duration("5m"), Ok(Duration::from_secs(300)));
        assert_eq!(parse_duration("2h"), Ok(Duration::from_secs(7200)));
        assert_eq!(parse_duration("0s"), Ok(Duration::ZERO));
    }

    #[test]
    fn malformed_durations_are_typed_errors() {
        let owned = |s: &str| s.to_owned();
        assert_eq!(parse_duration(""), Err(DurationError::Empty));
        assert_eq!(
            parse_duration("30"),
            Err(DurationError::NoUnit(owned("30")))
        );
        assert_eq!(
            parse_duration("s"),
            Err(DurationError::NoNumber(owned("s")))
        );
        assert_eq!(
            parse_duration("-1s"),
            Err(DurationError::NoNumber(owned("-1s")))
        );
        assert_eq!(
            parse_duration("1.5s"),
            Err(DurationError::UnknownUnit(owned("1.5s")))
        );
        assert_eq!(
            parse_duration("2d"),
            Err(DurationError::UnknownUnit(owned("2d")))
        );
        assert_eq!(
            parse_duration("2 s"),
            Err(DurationError::UnknownUnit(owned("2 s")))
        );
        let huge = format!("{}h", u64::MAX);
        assert_eq!(
            parse_duration(&huge),
            Err(DurationError::TooLong(huge.clone()))
        );
        let huger = format!("{}0s", u64::MAX);
        assert_eq!(
            parse_duration(&huger),
            Err(DurationError::TooLong(huger.clone()))
        );
    }
}
