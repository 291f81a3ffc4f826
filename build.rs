//! Build: compiles Atom's gRPC protocol (`proto/atom/v1/authz.proto`) for
//! the `serve` feature, with the pure-Rust `protox` (no system `protoc`).

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    #[cfg(feature = "serve")]
    grpc();
}

#[cfg(feature = "serve")]
fn grpc() {
    let proto = "proto/atom/v1/authz.proto";
    println!("cargo:rerun-if-changed={proto}");
    let descriptors = match protox::compile([proto], ["proto"]) {
        Ok(d) => d,
        Err(e) => {
            // A build script reports by failing; the message names the error.
            eprintln!("{proto}: {e}");
            std::process::exit(1);
        }
    };
    if let Err(e) = tonic_prost_build::configure().compile_fds(descriptors) {
        eprintln!("generating the gRPC code failed: {e}");
        std::process::exit(1);
    }
}
