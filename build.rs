//! Build: compiles Atom's gRPC protocol (`proto/atom/v1/authz.proto`) for
//! the `serve` feature, with the pure-Rust `protox` (no system `protoc`);
//! and records, for `atom --version`, the commit built and the table format.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    version();
    #[cfg(feature = "serve")]
    grpc();
}

/// `ATOM_COMMIT`: the commit's short hash (`unknown` outside a git
/// checkout, as from a crate archive); `ATOM_TABLE_FORMAT`: the
/// `VERSION` of `src/table/format.rs` (a test checks they agree).
fn version() {
    println!("cargo:rerun-if-changed=.git/HEAD");
    println!("cargo:rerun-if-changed=.git/refs/heads");
    println!("cargo:rerun-if-changed=src/table/format.rs");
    let commit = std::process::Command::new("git")
        .args(["rev-parse", "--short=12", "HEAD"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_hexdigit()))
        .unwrap_or_else(|| "unknown".to_string());
    println!("cargo:rustc-env=ATOM_COMMIT={commit}");
    let format = std::fs::read_to_string("src/table/format.rs").unwrap_or_default();
    let version = format
        .lines()
        .find_map(|l| l.trim().strip_prefix("pub const VERSION: u32 = "))
        .and_then(|v| v.strip_suffix(';'))
        .unwrap_or("unknown");
    println!("cargo:rustc-env=ATOM_TABLE_FORMAT={version}");
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
