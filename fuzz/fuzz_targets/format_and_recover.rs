//! Any text through the tolerant front end and the formatter: parsing
//! (with recovery) and a workspace analysis never panic, every span lies in
//! the text, and whatever `format` accepts it formats idempotently and
//! soundly (it never reports `Unsound`).
#![no_main]

use atom::diag::FileId;
use atom::format::{format, FormatError};
use atom::workspace::Workspace;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let parsed = atom::syntax::parse(FileId(0), text);
    for d in &parsed.diagnostics {
        assert!(d.primary.span.end as usize <= text.len());
    }
    let mut ws = Workspace::default();
    ws.set_file("a.atom", text);
    ws.set_file("b.atom", "action read on resource\ntype resource:doc\n");
    let _ = ws.analysis();
    match format(FileId(0), text) {
        Ok(formatted) => {
            let again = format(FileId(0), &formatted);
            assert!(matches!(&again, Ok(t) if *t == formatted), "not idempotent");
        }
        Err(FormatError::Syntax(_)) => {}
        Err(FormatError::Unsound(why)) => panic!("unsound: {why}"),
    }
});
