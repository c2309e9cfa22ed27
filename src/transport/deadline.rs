//! [`Deadline`]: when a call must be over, the one type both sides use,
//! and the `grpc-timeout` header it is read from and written to
//! (PROTOCOL-HTTP2.md).
//!
//! > Timeout → "grpc-timeout" TimeoutValue TimeoutUnit
//! > TimeoutValue → {positive integer as ASCII string of at most 8 digits}
//! > TimeoutUnit → Hour / Minute / Second / Millisecond / Microsecond / Nanosecond
//! > (H, M, S, m, u, n)
//!
//! A deadline is fixed once per call: on the server when the request head
//! arrives, on the client when the call starts. Everything after reads that
//! one instant (the call context, the timer that ends the call), so no two
//! parts of a call can disagree about when it ends.

use std::time::Duration;

use http::HeaderValue;
use tokio::time::{Instant, Sleep};

/// When a call must be over: the instant, and the timeout it was counted
/// from (what the client asked for, or what the server received).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deadline {
    at: Instant,
    timeout: Duration,
}

impl Deadline {
    /// The deadline `timeout` from now. A timeout too large to add to the
    /// clock is a deadline that never comes in practice (some 30 years).
    pub fn after(timeout: Duration) -> Deadline {
        let now = Instant::now();
        let at = now
            .checked_add(timeout)
            .unwrap_or_else(|| now + Duration::from_secs(30 * 365 * 24 * 60 * 60));
        Deadline { at, timeout }
    }

    /// The deadline a received `grpc-timeout` value sets, counted from now.
    pub fn from_grpc_timeout(value: &[u8]) -> Result<Deadline, TimeoutError> {
        parse_timeout(value).map(Deadline::after)
    }

    /// The `grpc-timeout` value for a call starting now under this
    /// deadline: the timeout it was made from, in the finest unit that
    /// fits (see `format_timeout`). The client sends it as the call
    /// starts, right after fixing the deadline.
    pub fn grpc_timeout(&self) -> HeaderValue {
        format_timeout(self.timeout)
    }

    /// The timeout the deadline was counted from.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// The instant itself.
    pub fn instant(&self) -> std::time::Instant {
        self.at.into_std()
    }

    /// The time left (zero once the deadline has passed).
    pub fn remaining(&self) -> Duration {
        self.at.saturating_duration_since(Instant::now())
    }

    /// A timer that fires at the deadline.
    pub fn sleep(&self) -> Sleep {
        tokio::time::sleep_until(self.at)
    }
}

/// The largest TimeoutValue: eight digits.
const MAX_TIMEOUT_VALUE: u64 = 99_999_999;

/// Why a `grpc-timeout` value is malformed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TimeoutError {
    /// No digits, more than eight, or a character that is not a digit.
    BadValue,
    /// The unit is not one of H M S m u n.
    BadUnit,
}

impl std::fmt::Display for TimeoutError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TimeoutError::BadValue => f.write_str("grpc-timeout value must be 1 to 8 ASCII digits"),
            TimeoutError::BadUnit => f.write_str("grpc-timeout unit must be one of H M S m u n"),
        }
    }
}

impl std::error::Error for TimeoutError {}

/// Parses a `grpc-timeout` value such as `100m` or `5S`.
pub fn parse_timeout(value: &[u8]) -> Result<Duration, TimeoutError> {
    let (unit, digits) = value.split_last().ok_or(TimeoutError::BadValue)?;
    if digits.is_empty() || digits.len() > 8 || !digits.iter().all(u8::is_ascii_digit) {
        return Err(TimeoutError::BadValue);
    }
    let n = digits
        .iter()
        .fold(0u64, |n, d| n * 10 + u64::from(d - b'0'));
    Ok(match unit {
        b'H' => Duration::from_secs(n * 3600),
        b'M' => Duration::from_secs(n * 60),
        b'S' => Duration::from_secs(n),
        b'm' => Duration::from_millis(n),
        b'u' => Duration::from_micros(n),
        b'n' => Duration::from_nanos(n),
        _ => return Err(TimeoutError::BadUnit),
    })
}

/// Formats a timeout with the finest unit whose value fits in eight digits,
/// rounding up so the server never sees a shorter deadline than ours.
pub fn format_timeout(timeout: Duration) -> HeaderValue {
    const UNITS: [(u128, u8); 6] = [
        (1, b'n'),
        (1_000, b'u'),
        (1_000_000, b'm'),
        (1_000_000_000, b'S'),
        (60_000_000_000, b'M'),
        (3_600_000_000_000, b'H'),
    ];
    let nanos = timeout.as_nanos();
    for (unit_nanos, unit) in UNITS {
        let value = nanos.div_ceil(unit_nanos);
        if value <= u128::from(MAX_TIMEOUT_VALUE) {
            let text = format!("{}{}", value, unit as char);
            return HeaderValue::from_str(&text).unwrap_or(HeaderValue::from_static("99999999H"));
        }
    }
    HeaderValue::from_static("99999999H")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_deadline_is_its_timeout_from_now_and_sends_that_timeout() {
        let before = std::time::Instant::now();
        let deadline = Deadline::from_grpc_timeout(b"250m").expect("valid");
        let after = std::time::Instant::now();
        assert_eq!(deadline.timeout(), Duration::from_millis(250));
        assert!(deadline.instant() >= before + Duration::from_millis(250));
        assert!(deadline.instant() <= after + Duration::from_millis(250));
        assert!(deadline.remaining() <= Duration::from_millis(250));
        assert_eq!(deadline.grpc_timeout(), "250000u");
        assert_eq!(
            Deadline::from_grpc_timeout(b"1x"),
            Err(TimeoutError::BadUnit)
        );
        // Eight digits of hours: far, but still a deadline.
        let far = Deadline::from_grpc_timeout(b"99999999H").expect("valid");
        assert!(far.remaining() > Duration::from_secs(60 * 60 * 24 * 365));
    }

    #[test]
    fn timeout_value_is_at_most_eight_digits_in_the_finest_unit_that_fits() {
        assert_eq!(format_timeout(Duration::from_nanos(5)), "5n");
        assert_eq!(format_timeout(Duration::from_millis(100)), "100000u");
        assert_eq!(format_timeout(Duration::from_millis(99)), "99000000n");
        assert_eq!(format_timeout(Duration::from_secs(1)), "1000000u");
        assert_eq!(format_timeout(Duration::from_secs(100)), "100000m");
        assert_eq!(
            format_timeout(Duration::from_nanos(1_000_000_001)),
            "1000001u"
        );
        assert_eq!(format_timeout(Duration::from_secs(200_000)), "200000S");
        assert_eq!(format_timeout(Duration::MAX), "99999999H");
    }

    #[test]
    fn every_unit_parses_and_malformed_values_are_refused() {
        assert_eq!(parse_timeout(b"2H"), Ok(Duration::from_secs(7200)));
        assert_eq!(parse_timeout(b"3M"), Ok(Duration::from_secs(180)));
        assert_eq!(parse_timeout(b"4S"), Ok(Duration::from_secs(4)));
        assert_eq!(parse_timeout(b"5m"), Ok(Duration::from_millis(5)));
        assert_eq!(parse_timeout(b"6u"), Ok(Duration::from_micros(6)));
        assert_eq!(
            parse_timeout(b"99999999n"),
            Ok(Duration::from_nanos(99_999_999))
        );
        assert_eq!(parse_timeout(b"123456789n"), Err(TimeoutError::BadValue));
        assert_eq!(parse_timeout(b"S"), Err(TimeoutError::BadValue));
        assert_eq!(parse_timeout(b""), Err(TimeoutError::BadValue));
        assert_eq!(parse_timeout(b"-1S"), Err(TimeoutError::BadValue));
        assert_eq!(parse_timeout(b"10x"), Err(TimeoutError::BadUnit));
    }
}
