//! CLI: `atom keygen`, `atom sign` and `atom verify`, for signed tables (spec section 15).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use miette::miette;

use super::tool_error;
use crate::verify::sign::{keygen, secret_key, sha256_hex, sign, unix_now};
use crate::verify::{check_hash, read_small, signature_path, verify, TrustedKey};

/// The environment variable that holds a secret key's password.
pub const PASSWORD_VAR: &str = "ATOM_KEY_PASSWORD";

#[derive(Debug, clap::Args)]
pub struct KeygenArgs {
    /// The secret key file to write; the public key goes to `KEY.pub`.
    #[arg(short, long, value_name = "KEY")]
    pub output: PathBuf,
    /// Overwrite existing key files.
    #[arg(long)]
    pub force: bool,
}

/// What goes into a signature besides the table.
#[derive(Debug, Clone, clap::Args)]
pub struct SignOptions {
    /// The sequence number (default: the current Unix time, so that a later
    /// signature has a higher number); a server refuses a lower one than
    /// its active table's.
    #[arg(long, value_name = "N")]
    pub seq: Option<u64>,
    /// The source revision to record (default: `git describe --always
    /// --dirty` where that works, else the table's SHA-256 prefix).
    #[arg(long, value_name = "REV")]
    pub revision: Option<String>,
}

#[derive(Debug, clap::Args)]
pub struct SignArgs {
    /// The table to sign; the signature goes to `TABLE.minisig`.
    pub table: PathBuf,
    /// The secret key (an encrypted one reads its password from `ATOM_KEY_PASSWORD`).
    #[arg(long, value_name = "KEY")]
    pub key: PathBuf,
    #[command(flatten)]
    pub options: SignOptions,
}

#[derive(Debug, clap::Args)]
pub struct VerifyArgs {
    /// The table to verify against `TABLE.minisig`.
    pub table: PathBuf,
    /// A trusted public key (repeat for several, as during a key rotation).
    #[arg(long = "key", value_name = "KEY.pub", required = true)]
    pub keys: Vec<PathBuf>,
}

pub fn keygen_run(args: KeygenArgs) -> miette::Result<ExitCode> {
    let public = public_path(&args.output);
    for path in [&args.output, &public] {
        if path.exists() && !args.force {
            return Err(miette!(
                code = "atom::io",
                help = "pass `--force` to replace it",
                "`{}` already exists",
                path.display()
            ));
        }
    }
    let password = std::env::var(PASSWORD_VAR).ok().filter(|p| !p.is_empty());
    let key = keygen(password).map_err(|e| miette!(code = "atom::signature", "{e}"))?;
    write_private(&args.output, &key.secret)?;
    std::fs::write(&public, &key.public).map_err(|e| tool_error::io("write", &public, &e))?;
    eprintln!(
        "wrote secret key `{}` and public key `{}` (key id {})",
        args.output.display(),
        public.display(),
        key.id
    );
    Ok(ExitCode::SUCCESS)
}

/// `KEY.pub` beside `KEY`.
fn public_path(key: &Path) -> PathBuf {
    let mut name = key.as_os_str().to_owned();
    name.push(".pub");
    PathBuf::from(name)
}

/// Writes a secret key readable by its owner only.
fn write_private(path: &Path, text: &str) -> miette::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options
        .open(path)
        .map_err(|e| tool_error::io("write", path, &e))?;
    file.write_all(text.as_bytes())
        .map_err(|e| tool_error::io("write", path, &e))
}

pub fn sign_run(args: SignArgs) -> miette::Result<ExitCode> {
    let bytes = crate::table::read_file(&args.table)
        .map_err(|e| tool_error::io("read", &args.table, &e))?;
    sign_bytes(&args.table, &bytes, &args.key, &args.options)?;
    Ok(ExitCode::SUCCESS)
}

/// Signs `bytes`, the table at `table`, and writes `TABLE.minisig`.
pub fn sign_bytes(
    table: &Path,
    bytes: &[u8],
    key: &Path,
    options: &SignOptions,
) -> miette::Result<()> {
    crate::table::Table::from_bytes(bytes).map_err(|e| {
        miette!(code = "atom::table", "{e}")
            .wrap_err(format!("`{}` is not a policy table", table.display()))
    })?;
    let text = read_small(key).map_err(|e| tool_error::io("read", key, &e))?;
    let password = std::env::var(PASSWORD_VAR).ok();
    let secret = secret_key(&text, password).map_err(|e| {
        miette!(code = "atom::signature", "{e}").wrap_err(format!("`{}`", key.display()))
    })?;
    let revision = match &options.revision {
        Some(r) => r.clone(),
        None => git_revision(table).unwrap_or_else(|| sha256_hex(bytes)[..12].to_string()),
    };
    let sequence = options.seq.unwrap_or_else(unix_now);
    let name = table
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let sig = sign(bytes, &secret, &revision, sequence, &name)
        .map_err(|e| miette!(code = "atom::signature", "{e}"))?;
    let out = signature_path(table);
    std::fs::write(&out, sig).map_err(|e| tool_error::io("write", &out, &e))?;
    eprintln!(
        "signed `{}`: `{}` (revision `{revision}`, sequence {sequence})",
        table.display(),
        out.display()
    );
    Ok(())
}

/// `git describe --always --dirty` in the table's folder, if it is in a
/// work tree and git runs.
fn git_revision(table: &Path) -> Option<String> {
    let dir = table
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let out = std::process::Command::new("git")
        .args(["describe", "--always", "--dirty"])
        .current_dir(dir)
        .stderr(std::process::Stdio::null())
        .output()
        .ok()?;
    let rev = String::from_utf8(out.stdout).ok()?.trim().to_string();
    (out.status.success() && crate::verify::Claims::valid_revision(&rev)).then_some(rev)
}

/// Reads trusted public keys.
pub fn trusted_keys(paths: &[PathBuf]) -> miette::Result<Vec<TrustedKey>> {
    paths
        .iter()
        .map(|p| {
            let text = read_small(p).map_err(|e| tool_error::io("read", p, &e))?;
            TrustedKey::decode(&text)
                .map_err(|e| miette!(code = "atom::signature", "`{}` is {e}", p.display()))
        })
        .collect()
}

pub fn verify_run(args: VerifyArgs) -> miette::Result<ExitCode> {
    let keys = trusted_keys(&args.keys)?;
    let bytes = crate::table::read_file(&args.table)
        .map_err(|e| tool_error::io("read", &args.table, &e))?;
    let sig_path = signature_path(&args.table);
    let result = match read_small(&sig_path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(crate::verify::Refusal::Unsigned),
        Err(e) => return Err(tool_error::io("read", &sig_path, &e)),
        Ok(sig) => verify(&bytes, &sig, &keys)
            .and_then(|s| check_hash(&s, &sha256_hex(&bytes)).map(|()| s)),
    };
    match result {
        Ok(signed) => {
            let revision = signed.revision().map_or_else(
                || "none claimed (a trusted comment without atom's fields)".to_string(),
                |r| format!("`{r}`"),
            );
            println!(
                "verified `{}`: signed by key {}, revision {revision}, sequence {}",
                args.table.display(),
                signed.key_id,
                signed.sequence()
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(refusal) => {
            eprintln!(
                "{:?}",
                miette!(
                    code = "atom::signature",
                    "`{}`: {refusal}",
                    args.table.display()
                )
            );
            Ok(ExitCode::from(1))
        }
    }
}
