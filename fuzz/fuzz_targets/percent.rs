#![no_main]
//! `h2grpc_fuzz::percent`: see its documentation for the input and the properties.

libfuzzer_sys::fuzz_target!(|data: &[u8]| h2grpc_fuzz::percent(data));
