//! `Code`: numeric values, `grpc-status` parsing and the precomputed header
//! values (statuscodes.md).

use h2grpc::{Code, Status};

/// statuscodes.md, every code with its number and name.
const CODES: &[(Code, i32, &str)] = &[
    (Code::Ok, 0, "OK"),
    (Code::Cancelled, 1, "CANCELLED"),
    (Code::Unknown, 2, "UNKNOWN"),
    (Code::InvalidArgument, 3, "INVALID_ARGUMENT"),
    (Code::DeadlineExceeded, 4, "DEADLINE_EXCEEDED"),
    (Code::NotFound, 5, "NOT_FOUND"),
    (Code::AlreadyExists, 6, "ALREADY_EXISTS"),
    (Code::PermissionDenied, 7, "PERMISSION_DENIED"),
    (Code::ResourceExhausted, 8, "RESOURCE_EXHAUSTED"),
    (Code::FailedPrecondition, 9, "FAILED_PRECONDITION"),
    (Code::Aborted, 10, "ABORTED"),
    (Code::OutOfRange, 11, "OUT_OF_RANGE"),
    (Code::Unimplemented, 12, "UNIMPLEMENTED"),
    (Code::Internal, 13, "INTERNAL"),
    (Code::Unavailable, 14, "UNAVAILABLE"),
    (Code::DataLoss, 15, "DATA_LOSS"),
    (Code::Unauthenticated, 16, "UNAUTHENTICATED"),
];

#[test]
fn codes_have_the_numbers_and_names_of_statuscodes_md() {
    assert_eq!(CODES.len(), 17);
    assert_eq!(Code::ALL.len(), 17);
    for &(code, number, name) in CODES {
        assert_eq!(code.as_i32(), number, "{name}");
        assert_eq!(Code::from_i32(number), code, "{name}");
        assert_eq!(Code::from(number), code, "{name}");
        assert_eq!(code.name(), name);
        assert_eq!(code.to_string(), name);
        assert_eq!(Code::ALL[number as usize], code);
        assert!(!code.description().is_empty());
    }
}

#[test]
fn numbers_outside_0_to_16_are_unknown() {
    for n in [-1, 17, 18, 100, i32::MIN, i32::MAX] {
        assert_eq!(Code::from_i32(n), Code::Unknown, "{n}");
    }
}

#[test]
fn header_value_is_the_decimal_number() {
    for &(code, number, _) in CODES {
        let value = code.header_value();
        assert_eq!(value.to_str().unwrap(), number.to_string());
        assert_eq!(Code::from_bytes(value.as_bytes()), code);
    }
}

#[test]
fn grpc_status_parsing_maps_garbage_to_unknown() {
    let cases: &[(&[u8], Code)] = &[
        (b"0", Code::Ok),
        (b"5", Code::NotFound),
        (b"16", Code::Unauthenticated),
        (b"05", Code::NotFound), // leading zero tolerated
        (b"17", Code::Unknown),
        (b"99999999999999999999", Code::Unknown),
        (b"", Code::Unknown),
        (b"-1", Code::Unknown),
        (b"+1", Code::Unknown),
        (b" 1", Code::Unknown),
        (b"1 ", Code::Unknown),
        (b"ok", Code::Unknown),
        (b"1a", Code::Unknown),
        (b"\xff", Code::Unknown),
    ];
    for &(raw, code) in cases {
        assert_eq!(
            Code::from_bytes(raw),
            code,
            "{:?}",
            String::from_utf8_lossy(raw)
        );
    }
}

#[test]
fn constructors_set_their_code() {
    type Ctor = fn(&'static str) -> Status;
    let ctors: &[(Ctor, Code)] = &[
        (Status::ok, Code::Ok),
        (Status::cancelled, Code::Cancelled),
        (Status::unknown, Code::Unknown),
        (Status::invalid_argument, Code::InvalidArgument),
        (Status::deadline_exceeded, Code::DeadlineExceeded),
        (Status::not_found, Code::NotFound),
        (Status::already_exists, Code::AlreadyExists),
        (Status::permission_denied, Code::PermissionDenied),
        (Status::resource_exhausted, Code::ResourceExhausted),
        (Status::failed_precondition, Code::FailedPrecondition),
        (Status::aborted, Code::Aborted),
        (Status::out_of_range, Code::OutOfRange),
        (Status::unimplemented, Code::Unimplemented),
        (Status::internal, Code::Internal),
        (Status::unavailable, Code::Unavailable),
        (Status::data_loss, Code::DataLoss),
        (Status::unauthenticated, Code::Unauthenticated),
    ];
    assert_eq!(ctors.len(), 17);
    for &(ctor, code) in ctors {
        let status = ctor("why");
        assert_eq!(status.code(), code);
        assert_eq!(status.message(), "why");
        assert!(status.details().is_empty());
        assert!(status.metadata().is_empty());
    }
}

#[test]
fn display_names_the_code_and_the_message() {
    assert_eq!(
        Status::not_found("no user 7").to_string(),
        "NOT_FOUND: no user 7"
    );
    assert_eq!(Status::new(Code::Internal, "").to_string(), "INTERNAL");
    let err: Box<dyn std::error::Error> = Box::new(Status::unavailable("down"));
    assert_eq!(err.to_string(), "UNAVAILABLE: down");
}
