//! Protobuf encode and decode of the messages and values that the prost
//! yardstick (`../shared/bench-peers/prost-codec`) measures, so the two
//! tables compare: HelloRequest, a RouteGuide Feature, grpc_bench's
//! "complex" message and a 1 MiB bytes field.
//!
//! `cargo bench --bench codec`

use bytes::{Bytes, BytesMut};
use criterion::{black_box, criterion_group, criterion_main, Criterion};
use h2grpc::services::greeter::HelloRequest;
use h2grpc::Message;

h2grpc::enumeration! {
    package "routeguide";
    /// grpc_bench's pet colour.
    pub enum Color { BLACK = 0, WHITE = 1, BLUE = 2, RED = 3, YELLOW = 4, GREEN = 5 }
}

h2grpc::message! {
    package "routeguide";
    /// routeguide.Point
    pub struct Point { latitude: int32 = 1, longitude: int32 = 2 }
    /// routeguide.Feature
    pub struct Feature { name: string = 1, location: message Point = 2 }
    /// grpc_bench's Pet.
    pub struct Pet { name: string = 1, color: enum Color = 2 }
    /// grpc_bench's Hello.
    pub struct Hello {
        name: string = 1, d: double = 2, f: float = 3, b: bool = 4, n: int32 = 5, l: int64 = 6,
        oneof choice: Choice { c1: string = 7, c2: bool = 8 },
        pets: repeated message Pet = 9,
    }
    /// grpc_bench's complex request.
    pub struct ComplexRequest { request: message Hello = 1 }
    /// A message with one bytes field.
    pub struct Blob { body: bytes = 1 }
}

fn feature() -> Feature {
    Feature {
        name: "Berkshire Valley Management Area Trail, Jefferson, NJ, USA".into(),
        location: Some(Point {
            latitude: 409146138,
            longitude: -746188906,
        }),
    }
}

fn complex() -> ComplexRequest {
    ComplexRequest {
        request: Some(Hello {
            name: "a name".into(),
            d: 4.55332,
            f: 232.3,
            b: true,
            n: 32,
            l: 444325235223,
            choice: Some(Choice::c1("ofcouse".into())),
            pets: vec![
                Pet {
                    name: "Bolo".into(),
                    color: Color::WHITE,
                },
                Pet {
                    name: "Luna".into(),
                    color: Color::BLACK,
                },
            ],
        }),
    }
}

/// Encode into a reused buffer (as the transport does), and decode from
/// shared bytes.
fn bench_message<M: Message>(c: &mut Criterion, name: &str, value: M) {
    let mut buf = BytesMut::with_capacity(value.encoded_len());
    c.bench_function(&format!("encode/{name}"), |b| {
        b.iter(|| {
            buf.clear();
            black_box(&value).encode(&mut buf);
            black_box(buf.len())
        })
    });
    let encoded: Bytes = value.encode_to_bytes();
    c.bench_function(&format!("decode/{name}"), |b| {
        b.iter(|| black_box(M::decode(black_box(encoded.clone())).unwrap()))
    });
}

fn codec(c: &mut Criterion) {
    bench_message(
        c,
        "hello_request",
        HelloRequest {
            name: "world".into(),
        },
    );
    bench_message(c, "feature", feature());
    bench_message(c, "complex", complex());
    bench_message(
        c,
        "blob_1mib",
        Blob {
            body: Bytes::from(vec![0xAB; 1 << 20]),
        },
    );
}

criterion_group!(benches, codec);
criterion_main!(benches);
