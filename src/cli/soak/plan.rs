//! What a soak runs: the kinds of operation, the outcome each must have,
//! and how many of each ([`Plan`]), with the defaults of issue 13 (a
//! million unary calls, ten thousand streams of each kind, cancellations,
//! expiring deadlines, large messages, reconnects).

use h2grpc::Code;

/// One kind of operation in the mix. Each has one expected outcome;
/// anything else is an unexpected error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// helloworld.Greeter/SayHello, its reply checked. Expected OK.
    Unary,
    /// Greeter/SayHelloStreamReply: all its replies read. Expected OK.
    ServerStream,
    /// routeguide.RouteGuide/RecordRoute: [`STREAM_MESSAGES`] points sent,
    /// the summary must count them. Expected OK.
    ClientStream,
    /// Greeter/SayHelloBidiStream: [`STREAM_MESSAGES`] requests, as many
    /// replies. Expected OK.
    Bidi,
    /// A SayHelloBidiStream cancelled by the client after its first reply,
    /// its request stream still open. Expected CANCELLED.
    Cancel,
    /// contact.Contact/getTask (a subscription the server keeps open) under
    /// a deadline of `--deadline-ms`. Expected DEADLINE_EXCEEDED.
    Deadline,
    /// SayHello with a name of `--large-bytes` bytes, answered with a
    /// greeting as large. Expected OK.
    Large,
    /// A new connection replacing one of the channels the mix uses while
    /// traffic flows, proved by one SayHello on it. Expected OK.
    Reconnect,
}

/// Messages sent on each client-streaming and bidi call.
pub const STREAM_MESSAGES: usize = 10;

impl Kind {
    /// Every kind, in report order.
    pub const ALL: [Kind; 8] = [
        Kind::Unary,
        Kind::ServerStream,
        Kind::ClientStream,
        Kind::Bidi,
        Kind::Cancel,
        Kind::Deadline,
        Kind::Large,
        Kind::Reconnect,
    ];

    /// Its name in the report.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Unary => "unary",
            Kind::ServerStream => "server-stream",
            Kind::ClientStream => "client-stream",
            Kind::Bidi => "bidi",
            Kind::Cancel => "cancel",
            Kind::Deadline => "deadline",
            Kind::Large => "large",
            Kind::Reconnect => "reconnect",
        }
    }

    /// The status every operation of this kind must end with.
    pub fn expected(self) -> Code {
        match self {
            Kind::Cancel => Code::Cancelled,
            Kind::Deadline => Code::DeadlineExceeded,
            _ => Code::Ok,
        }
    }

    /// Its position in [`Kind::ALL`], to index per-kind arrays.
    pub fn index(self) -> usize {
        self as usize
    }
}

/// How many operations of each kind, and how many run at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Plan {
    /// Operations per kind, indexed by [`Kind::index`].
    pub counts: [u64; Kind::ALL.len()],
    /// Operations in flight per kind (reconnects are always one at a time).
    pub in_flight: [usize; Kind::ALL.len()],
}

impl Plan {
    /// How many operations of `kind`.
    pub fn count(&self, kind: Kind) -> u64 {
        self.counts[kind.index()]
    }

    /// Every operation of the plan.
    pub fn total(&self) -> u64 {
        self.counts.iter().sum()
    }

    /// `percent` % of each count, rounded up so that every kind with a
    /// count still runs at least once: the warm-up.
    pub fn scaled(&self, percent: u64) -> Plan {
        let mut counts = self.counts;
        for count in &mut counts {
            *count = (*count * percent).div_ceil(100);
        }
        Plan { counts, ..*self }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_warm_up_runs_every_kind_that_the_plan_runs() {
        let plan = Plan {
            counts: [1_000_000, 10_000, 10_000, 10_000, 10_000, 10_000, 1_000, 1],
            in_flight: [1; 8],
        };
        let warm = plan.scaled(2);
        assert_eq!(warm.counts, [20_000, 200, 200, 200, 200, 200, 20, 1]);
        assert_eq!(plan.scaled(0).total(), 0);
    }

    #[test]
    fn kinds_index_their_own_slot() {
        for (index, kind) in Kind::ALL.iter().enumerate() {
            assert_eq!(kind.index(), index, "{}", kind.name());
        }
    }
}
