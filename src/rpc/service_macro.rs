//! The `service!` macro: a service declaration that reads like its `.proto`
//! and gives the server trait, the server adapter, the typed client and the
//! method table, with no code generation step.

/// Declares gRPC services that read like their `.proto`:
///
/// ```
/// use h2grpc::{Request, Response, Status};
///
/// h2grpc::message! {
///     package "helloworld";
///     pub struct HelloRequest { name: string = 1 }
///     pub struct HelloReply { message: string = 1 }
/// }
///
/// h2grpc::service! {
///     package "helloworld";
///     /// The greeting service.
///     pub service Greeter {
///         /// Sends a greeting.
///         rpc SayHello(HelloRequest) returns (HelloReply);
///         rpc SayHelloStreamReply(HelloRequest) returns (stream HelloReply);
///         rpc SayHelloBidiStream(stream HelloRequest) returns (stream HelloReply);
///     }
/// }
///
/// struct MyGreeter;
///
/// impl Greeter for MyGreeter {
///     async fn say_hello(&self, request: Request<HelloRequest>) -> Result<Response<HelloReply>, Status> {
///         let message = format!("Hello, {}!", request.get_ref().name);
///         Ok(Response::new(HelloReply { message }))
///     }
///     // SayHelloStreamReply and SayHelloBidiStream are not written: they
///     // answer UNIMPLEMENTED.
/// }
///
/// assert_eq!(GreeterServer::SAY_HELLO, "/helloworld.Greeter/SayHello");
/// assert_eq!(GreeterServer::DESCRIPTOR.methods.len(), 3);
/// let service: h2grpc::Service = GreeterServer::new(MyGreeter).into();
/// assert_eq!(service.name(), "helloworld.Greeter");
/// ```
///
/// For each `service Name { .. }` it generates:
/// - **`trait Name: Send + Sync + 'static`**, one method per rpc, named in
///   snake_case (`SayHello` becomes `say_hello`), taking `&self` and a
///   [`Request`](crate::Request) of the message (or of a
///   [`Streaming`](crate::Streaming) of them for `stream` requests), and
///   returning a [`Response`](crate::Response) of the message (or of an
///   [`impl ReplyStream`](crate::ReplyStream) for `stream` replies). Write
///   them as `async fn`. A method left out answers UNIMPLEMENTED, as
///   generated code in other gRPC implementations does. A streaming reply
///   is any stream that borrows nothing from `&self`: name it
///   `impl ReplyStream<M> + use<>` in the method's signature, or give a
///   concrete type (a channel's receiver, a boxed stream).
/// - **`NameServer`**: `NameServer::new(implementation)` (or `from_arc`)
///   becomes a [`Service`](crate::Service) to add to a
///   [`Server`](crate::Server). It holds the method table as data:
///   `NameServer::SERVICE_NAME`, one constant per rpc with its full path
///   (`NameServer::SAY_HELLO`), and `NameServer::DESCRIPTOR`, a
///   [`ServiceDescriptor`](crate::rpc::ServiceDescriptor) (call kinds, message
///   schemas, doc comments).
/// - **`NameClient`**: one `async` method per rpc, named as the trait's,
///   over a [`Client`](crate::Client). Single requests are anything that
///   converts into a `Request<M>` (the message itself, or a `Request` with
///   metadata and a timeout); streamed requests are a bare stream or a
///   `Request` around one ([`IntoStreamingRequest`](crate::rpc::IntoStreamingRequest)).
///   To choose compression per request message, call the generic
///   [`Client`](crate::Client) with a stream of [`Outgoing`](crate::rpc::Outgoing)
///   messages and the rpc's path constant.
///
/// Like [`message!`](crate::message), the header may name the `.proto` file
/// after the package (`package "helloworld"; file "helloworld.proto";`);
/// server reflection serves the service in that file.
///
/// Request and response types must be messages with a schema (declared with
/// [`message!`](crate::message), or implementing
/// [`MessageSchema`](crate::codec::MessageSchema)). Only doc comments are
/// allowed on services and rpcs; they become the docs of the generated
/// items and are recorded in the method table.
#[macro_export]
macro_rules! service {
    (package $package:literal; file $file:literal; $($rest:tt)*) => {
        $crate::__services!([$package] [$file] $($rest)*);
    };
    (package $package:literal; $($rest:tt)*) => {
        $crate::__services!([$package] [] $($rest)*);
    };
    (file $file:literal; $($rest:tt)*) => {
        $crate::__services!([] [$file] $($rest)*);
    };
    ($($rest:tt)*) => {
        $crate::__services!([] [] $($rest)*);
    };
}

/// One service at a time: parses its rpcs, then writes it.
#[doc(hidden)]
#[macro_export]
macro_rules! __services {
    ($package:tt $file:tt) => {};
    ($package:tt $file:tt $(#[doc = $doc:literal])* $vis:vis service $name:ident { $($body:tt)* } $($rest:tt)*) => {
        $crate::__service_rpcs! { @parse $package { $file [$($doc)*] } [$vis] $name [] $($body)* }
        $crate::__services!($package $file $($rest)*);
    };
}

/// Parses a service body one rpc at a time into a uniform list
/// `{ kind request_shape reply_shape Name (In) (Out) [docs] }` (`kind` is
/// also the name of the `Service` and `Client` method for that call kind; a
/// shape is `one` or `stream`), then has pastey name the Rust items
/// (`say_hello`, `SAY_HELLO`, `GreeterServer`, `GreeterClient`).
#[doc(hidden)]
#[macro_export]
macro_rules! __service_rpcs {
    (@parse $p:tt $d:tt $v:tt $name:ident [$($rpcs:tt)*]
        $(#[doc = $rdoc:literal])* rpc $rpc:ident ( stream $in:ty ) returns ( stream $out:ty ) ; $($rest:tt)*) => {
        $crate::__service_rpcs! { @parse $p $d $v $name
            [$($rpcs)* { bidi_streaming stream stream $rpc ($in) ($out) [$($rdoc)*] }] $($rest)* }
    };
    (@parse $p:tt $d:tt $v:tt $name:ident [$($rpcs:tt)*]
        $(#[doc = $rdoc:literal])* rpc $rpc:ident ( stream $in:ty ) returns ( $out:ty ) ; $($rest:tt)*) => {
        $crate::__service_rpcs! { @parse $p $d $v $name
            [$($rpcs)* { client_streaming stream one $rpc ($in) ($out) [$($rdoc)*] }] $($rest)* }
    };
    (@parse $p:tt $d:tt $v:tt $name:ident [$($rpcs:tt)*]
        $(#[doc = $rdoc:literal])* rpc $rpc:ident ( $in:ty ) returns ( stream $out:ty ) ; $($rest:tt)*) => {
        $crate::__service_rpcs! { @parse $p $d $v $name
            [$($rpcs)* { server_streaming one stream $rpc ($in) ($out) [$($rdoc)*] }] $($rest)* }
    };
    (@parse $p:tt $d:tt $v:tt $name:ident [$($rpcs:tt)*]
        $(#[doc = $rdoc:literal])* rpc $rpc:ident ( $in:ty ) returns ( $out:ty ) ; $($rest:tt)*) => {
        $crate::__service_rpcs! { @parse $p $d $v $name
            [$($rpcs)* { unary one one $rpc ($in) ($out) [$($rdoc)*] }] $($rest)* }
    };
    // Every rpc parsed: name the items.
    (@parse $p:tt $d:tt $v:tt $name:ident [$({ $kind:ident $rq:ident $rp:ident $rpc:ident ($in:ty) ($out:ty) $docs:tt })*]) => {
        $crate::__private::paste! {
            $crate::__service_items! { $p $d $v $name [<$name Server>] [<$name Client>]
                [$({ $kind $rq $rp $rpc [<$rpc:snake>] [<$rpc:snake:upper>] ($in) ($out) $docs })*] }
        }
    };
}

/// Writes a parsed service: the trait, the server adapter with its method
/// table, and the client.
#[doc(hidden)]
#[macro_export]
macro_rules! __service_items {
    ($package:tt { [$($file:literal)?] [$($doc:literal)*] } [$vis:vis] $name:ident $server:ident $client:ident
        [$({ $kind:ident $rq:ident $rp:ident $rpc:ident $method:ident $path:ident ($in:ty) ($out:ty) [$($rdoc:literal)*] })*]) => {
        $(#[doc = $doc])*
        ///
        #[doc = concat!("The server side of `", $crate::__full_name!($package $name), "`: implement it and serve it with [`", stringify!($server), "`]. A method left out answers UNIMPLEMENTED.")]
        $vis trait $name: ::core::marker::Send + ::core::marker::Sync + 'static {
            $( $crate::__rpc_trait_method! { $rp $rpc $method ($crate::__rpc_request!($rq $in)) ($out) [$($rdoc)*] } )*
        }

        #[doc = concat!("Serves a [`", stringify!($name), "`] implementation as `", $crate::__full_name!($package $name), "`, and holds its method table.")]
        #[derive(Debug, Clone)]
        $vis struct $server {
            service: $crate::__private::Service,
        }

        impl $server {
            /// The service's full name.
            pub const SERVICE_NAME: &'static str = $crate::__full_name!($package $name);
            $(
                #[doc = concat!("The `:path` of `", stringify!($rpc), "`.")]
                pub const $path: &'static str = $crate::__rpc_path!($package $name $rpc);
            )*
            /// The method table: names, paths, call kinds, message schemas
            /// and doc comments.
            pub const DESCRIPTOR: &'static $crate::__private::ServiceDescriptor = &$crate::__private::ServiceDescriptor {
                package: $crate::__package!($package),
                name: stringify!($name),
                full_name: $crate::__full_name!($package $name),
                file: $crate::__file!([$($file)?]),
                methods: &[$(
                    $crate::__private::MethodDescriptor {
                        name: stringify!($rpc),
                        path: $crate::__rpc_path!($package $name $rpc),
                        kind: $crate::__rpc_kind!($kind),
                        input: <$in as $crate::__private::MessageSchema>::schema,
                        output: <$out as $crate::__private::MessageSchema>::schema,
                        docs: &[$($rdoc),*],
                    },
                )*],
                docs: &[$($doc),*],
            };

            #[doc = concat!("Serves `implementation` as `", $crate::__full_name!($package $name), "`.")]
            pub fn new(implementation: impl $name) -> $server {
                $server::from_arc(::std::sync::Arc::new(implementation))
            }

            /// Serves an implementation the caller shares with other code.
            pub fn from_arc<T: $name>(implementation: ::std::sync::Arc<T>) -> $server {
                let service = $crate::__private::declared_service($server::DESCRIPTOR);
                $( let service = $crate::__rpc_register!($rp $kind service implementation $rpc $method ($crate::__rpc_request!($rq $in)) ($out)); )*
                $server { service }
            }

            /// Runs `interceptor` before every call of this service (after the
            /// server's own interceptors).
            pub fn intercept(self, interceptor: impl $crate::__private::ServerInterceptor) -> $server {
                $server { service: self.service.intercept(interceptor) }
            }
        }

        impl ::core::convert::From<$server> for $crate::__private::Service {
            fn from(server: $server) -> $crate::__private::Service {
                server.service
            }
        }

        #[doc = concat!("A typed client for `", $crate::__full_name!($package $name), "`: one method per rpc. Cheap to clone.")]
        #[derive(Debug, Clone)]
        $vis struct $client {
            client: $crate::__private::Client,
        }

        impl $client {
            /// A client calling on `channel`.
            pub fn new(channel: $crate::__private::Channel) -> $client {
                $client::from_client($crate::__private::Client::new(channel))
            }

            /// A client making its calls through `client` (its compression
            /// and interceptors apply).
            pub fn from_client(client: $crate::__private::Client) -> $client {
                $client { client }
            }

            $( $crate::__rpc_client_method! { $rq $kind $server $path $method ($in) ($crate::__rpc_reply!($rp $out)) [$($rdoc)*] } )*
        }
    };
}

/// What a handler of one rpc receives: a `Request` of its message, or of a
/// `Streaming` of them.
#[doc(hidden)]
#[macro_export]
macro_rules! __rpc_request {
    (one $in:ty) => {
        $crate::__private::Request<$in>
    };
    (stream $in:ty) => {
        $crate::__private::Request<$crate::__private::Streaming<$in>>
    };
}

/// What a client of one rpc gets back: a `Response` of its message, or of a
/// `Streaming` of them.
#[doc(hidden)]
#[macro_export]
macro_rules! __rpc_reply {
    (one $out:ty) => {
        $crate::__private::Response<$out>
    };
    (stream $out:ty) => {
        $crate::__private::Response<$crate::__private::Streaming<$out>>
    };
}

/// The trait method of one rpc, by the shape of its reply, with its
/// UNIMPLEMENTED default.
#[doc(hidden)]
#[macro_export]
macro_rules! __rpc_trait_method {
    (one $rpc:ident $method:ident ($request:ty) ($out:ty) [$($doc:literal)*]) => {
        $(#[doc = $doc])*
        fn $method(
            &self,
            request: $request,
        ) -> impl ::core::future::Future<
            Output = ::core::result::Result<$crate::__private::Response<$out>, $crate::__private::Status>,
        > + ::core::marker::Send {
            async move {
                let _ = request;
                ::core::result::Result::Err($crate::__private::unimplemented_method(stringify!($rpc)))
            }
        }
    };
    (stream $rpc:ident $method:ident ($request:ty) ($out:ty) [$($doc:literal)*]) => {
        $(#[doc = $doc])*
        fn $method(
            &self,
            request: $request,
        ) -> impl ::core::future::Future<
            Output = ::core::result::Result<
                $crate::__private::Response<impl $crate::__private::ReplyStream<$out> + use<Self>>,
                $crate::__private::Status,
            >,
        > + ::core::marker::Send {
            async move {
                let _ = request;
                ::core::result::Result::Err::<$crate::__private::Response<$crate::__private::NoReplies<$out>>, _>(
                    $crate::__private::unimplemented_method(stringify!($rpc)),
                )
            }
        }
    };
}

/// Adds one rpc to the adapter's `Service` with the builder method of its
/// call kind: a handler that calls the trait method on the shared
/// implementation (a streamed reply's items become `Outgoing`s).
#[doc(hidden)]
#[macro_export]
macro_rules! __rpc_register {
    (one $kind:ident $service:ident $implementation:ident $rpc:ident $method:ident ($request:ty) ($out:ty)) => {{
        let implementation = ::std::sync::Arc::clone(&$implementation);
        $service.$kind(stringify!($rpc), move |request: $request| {
            let implementation = ::std::sync::Arc::clone(&implementation);
            async move { implementation.$method(request).await }
        })
    }};
    (stream $kind:ident $service:ident $implementation:ident $rpc:ident $method:ident ($request:ty) ($out:ty)) => {{
        let implementation = ::std::sync::Arc::clone(&$implementation);
        $service.$kind(stringify!($rpc), move |request: $request| {
            let implementation = ::std::sync::Arc::clone(&implementation);
            async move {
                let response = implementation.$method(request).await?;
                ::core::result::Result::Ok(
                    response.map($crate::__private::outgoing_replies::<_, $out>),
                )
            }
        })
    }};
}

/// The client method of one rpc, by the shape of its request, calling the
/// `Client` method of its call kind.
#[doc(hidden)]
#[macro_export]
macro_rules! __rpc_client_method {
    (one $kind:ident $server:ident $path:ident $method:ident ($in:ty) ($reply:ty) [$($doc:literal)*]) => {
        $(#[doc = $doc])*
        pub async fn $method(
            &self,
            request: impl ::core::convert::Into<$crate::__private::Request<$in>>,
        ) -> ::core::result::Result<$reply, $crate::__private::Status> {
            self.client.$kind($server::$path, request.into()).await
        }
    };
    (stream $kind:ident $server:ident $path:ident $method:ident ($in:ty) ($reply:ty) [$($doc:literal)*]) => {
        $(#[doc = $doc])*
        pub async fn $method(
            &self,
            requests: impl $crate::__private::IntoStreamingRequest<Message = $in>,
        ) -> ::core::result::Result<$reply, $crate::__private::Status> {
            self.client
                .$kind($server::$path, $crate::__private::IntoStreamingRequest::into_streaming_request(requests))
                .await
        }
    };
}

/// The [`MethodKind`](crate::rpc::MethodKind) of a parsed rpc.
#[doc(hidden)]
#[macro_export]
macro_rules! __rpc_kind {
    (unary) => {
        $crate::__private::MethodKind::Unary
    };
    (server_streaming) => {
        $crate::__private::MethodKind::ServerStreaming
    };
    (client_streaming) => {
        $crate::__private::MethodKind::ClientStreaming
    };
    (bidi_streaming) => {
        $crate::__private::MethodKind::BidiStreaming
    };
}

/// An rpc's `:path`: `/package.Service/Method`.
#[doc(hidden)]
#[macro_export]
macro_rules! __rpc_path {
    ([$package:literal] $service:ident $rpc:ident) => {
        concat!(
            "/",
            $package,
            ".",
            stringify!($service),
            "/",
            stringify!($rpc)
        )
    };
    ([] $service:ident $rpc:ident) => {
        concat!("/", stringify!($service), "/", stringify!($rpc))
    };
}
