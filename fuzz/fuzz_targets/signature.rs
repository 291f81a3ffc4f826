//! Fuzz: the signature side of signed tables: public key and signature
//! files (minisign's text formats) and the trusted comment's claims, as a
//! server reads them from disk. None may panic, whatever the bytes.
#![no_main]

use atom::verify::{check_sequence, verify, Claims, TrustedKey};
use libfuzzer_sys::fuzz_target;

/// A real public key, so that signatures naming its id reach the
/// Ed25519 check.
const KEY: &str = "untrusted comment: minisign public key\nRWR5OoCPBadL9djCf1RSIo8FzU/NvMNAPRyeDjTj8JuDcRPthHgnwSQw\n";

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = TrustedKey::decode(&text);
    let _ = Claims::parse(&text);
    // The input split in two: a signature file and the bytes it signs.
    let cut = data.first().map_or(0, |&b| usize::from(b)).min(data.len());
    let (sig, table) = data.split_at(cut);
    let sig = String::from_utf8_lossy(sig);
    let keys: Vec<TrustedKey> = TrustedKey::decode(KEY).into_iter().collect();
    if let Ok(signed) = verify(table, &sig, &keys) {
        let _ = check_sequence(signed.sequence(), Some(u64::MAX / 2));
    }
    // Signatures written the way atom writes them, with fuzzed comment lines.
    let crafted = format!(
        "untrusted comment: x\nRUR5OoCPBadL9aLzXsRsij1Bmu2QbY1p5XeGuP27tHsEhAEDr52X7LNo6cnwrLUQ3HvAY3yG/DDboYqUhL7Y9ohBfRpXkoyGOAw=\ntrusted comment: {}\n+eh9JtZTzuhbDvsduRG9J4n71nWiXNyqBC4IEBDaNZFwCeolOkHFzJ3QiChKJIT6f95qoCKHPOwbTh2M57kHDA==\n",
        text.replace('\n', "")
    );
    let _ = verify(table, &crafted, &keys);
});
