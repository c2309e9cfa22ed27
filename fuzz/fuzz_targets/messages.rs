#![no_main]
//! `h2grpc_fuzz::messages`: see its documentation for the input and the properties.

libfuzzer_sys::fuzz_target!(|data: &[u8]| h2grpc_fuzz::messages(data));
