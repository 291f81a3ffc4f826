//! The compiled table: the bundled examples' tests pass through it, builds
//! are reproducible, and corrupt bytes are always an error on load.

use atom::check::check_sources;
use atom::compile::{compile, source_hash};
use atom::project::load_sources;
use atom::table::Table;
use atom::testing::run_tests;

fn example_table() -> (atom::check::model::Model, Vec<u8>) {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let loaded = load_sources(&[root.join("policies")]).unwrap();
    let checked = check_sources(&loaded.sources);
    let model = checked
        .into_complete_model()
        .expect("the examples check clean");
    let bytes = compile(&model, source_hash(&loaded.sources));
    (model, bytes)
}

#[test]
fn every_example_test_passes_through_the_table() {
    let (model, bytes) = example_table();
    let table = Table::from_bytes(&bytes).unwrap();
    let outcomes = run_tests(&model, &table);
    let failed: Vec<_> = outcomes.iter().filter(|o| !o.passed).collect();
    assert!(failed.is_empty(), "{failed:#?}");
    assert!(outcomes.len() >= 25, "{} test lines", outcomes.len());
}

#[test]
fn building_twice_gives_identical_bytes() {
    let (_, a) = example_table();
    let (_, b) = example_table();
    assert_eq!(a, b);
    // Generated sets too, where hash maps are involved in building.
    let mut sources = atom::diag::SourceMap::new();
    for f in atom::gen::generate(9, &atom::gen::Shape::scale(1)) {
        sources.add(f.name, f.text);
    }
    let model = check_sources(&sources).into_complete_model().unwrap();
    let x = compile(&model, source_hash(&sources));
    let y = compile(
        &check_sources(&sources).into_complete_model().unwrap(),
        source_hash(&sources),
    );
    assert_eq!(x, y);
    assert!(Table::from_bytes(&x).is_ok());
}

#[test]
fn every_single_flipped_byte_is_an_error_on_load() {
    let (_, bytes) = example_table();
    assert!(Table::from_bytes(&bytes).is_ok());
    for i in 0..bytes.len() {
        for flip in [0x01u8, 0x80, 0xFF] {
            let mut corrupt = bytes.clone();
            corrupt[i] ^= flip;
            assert!(
                Table::from_bytes(&corrupt).is_err(),
                "flipping byte {i} with {flip:#x} was not detected"
            );
        }
    }
}

#[test]
fn truncated_and_extended_tables_are_errors() {
    let (_, bytes) = example_table();
    for len in [0, 7, 63, 64, 100, bytes.len() / 2, bytes.len() - 1] {
        assert!(
            Table::from_bytes(&bytes[..len]).is_err(),
            "truncated to {len}"
        );
    }
    let mut longer = bytes.clone();
    longer.push(0);
    assert!(Table::from_bytes(&longer).is_err());
}

#[test]
fn the_source_hash_changes_with_the_sources() {
    let (_, bytes) = example_table();
    let table = Table::from_bytes(&bytes).unwrap();
    let mut other = atom::diag::SourceMap::new();
    other.add("x.atom", "action read on resource\n");
    assert_ne!(table.source_hash(), source_hash(&other));
    assert_eq!(table.source_hash().len(), 32);
}

/// The table's source hash is the SHA-256 of each file's length (u64,
/// little-endian) and bytes, in path order, computed here independently
/// from the files on disk.
#[test]
fn the_source_hash_is_the_sha256_of_the_sources() {
    use sha2::{Digest, Sha256};
    let (_, bytes) = example_table();
    let table = Table::from_bytes(&bytes).unwrap();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("policies");
    let mut files: Vec<std::path::PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "atom"))
        .collect();
    files.sort();
    assert!(files.len() >= 3, "{files:?}");
    let mut h = Sha256::new();
    for f in &files {
        let text = std::fs::read(f).unwrap();
        h.update((text.len() as u64).to_le_bytes());
        h.update(&text);
    }
    let expected: [u8; 32] = h.finalize().into();
    assert_eq!(table.source_hash(), expected.as_slice());
}

/// Rewrites the checksum after tampering, as a hostile writer would.
fn reseal(bytes: &mut [u8]) {
    use atom::table::{crc32c, format};
    if bytes.len() < format::HEADER_LEN {
        return;
    }
    let crc = crc32c::update(
        crc32c::crc32c(&bytes[..format::CHECKSUM_AT]),
        &bytes[format::CHECKSUM_AT + 4..],
    );
    bytes[format::CHECKSUM_AT..format::CHECKSUM_AT + 4].copy_from_slice(&crc.to_le_bytes());
}

fn decide_a_few(table: &Table<'_>) {
    use atom::eval::{decide, DescribedObject, DescribedSubject, Object, Request, Subject, Value};
    let ctx = vec![("protocol".to_string(), Value::Str("mqtt".into()))];
    let described = DescribedSubject {
        id: "d".into(),
        kind: atom::kinds::EntityKind::Device,
        tenant: Some("factory-a".into()),
        status: atom::kinds::EntityStatus::Active,
        groups: vec!["factory-a/meters".into()],
        attributes: vec![("site".into(), Value::Str("plant-a".into()))],
    };
    let object = DescribedObject {
        id: "o".into(),
        ty: "resource:channel".parse().unwrap(),
        tenant: Some("factory-a".into()),
        group: Some("factory-a/plant-a".into()),
        attributes: vec![],
    };
    for (s, a, o) in [
        ("factory-a/meter-001", "publish", "factory-a/telemetry"),
        ("factory-a/alice", "read", "factory-a/telemetry"),
        ("atomist/sdm-dan", "use", "atomist/dan-github"),
        ("atomist/ann", "manage", "atomist"),
    ] {
        let _ = decide(
            table,
            &Request {
                subject: Subject::Named(s),
                action: a,
                object: Object::Named(o),
                context: &ctx,
            },
        );
        let _ = decide(
            table,
            &Request {
                subject: Subject::Described(&described),
                action: a,
                object: Object::Described(&object),
                context: &ctx,
            },
        );
    }
}

#[test]
fn tampered_tables_with_valid_checksums_fail_to_load_or_decide_safely() {
    let (_, bytes) = example_table();
    let mut loaded = 0;
    for i in atom::table::format::HEADER_LEN..bytes.len() {
        if (atom::table::format::CHECKSUM_AT..atom::table::format::CHECKSUM_AT + 4).contains(&i) {
            continue;
        }
        for flip in [0x01u8, 0x80, 0xFF] {
            let mut corrupt = bytes.clone();
            corrupt[i] ^= flip;
            reseal(&mut corrupt);
            if let Ok(table) = Table::from_bytes(&corrupt) {
                loaded += 1;
                decide_a_few(&table);
            }
        }
    }
    // Many flips (in attribute values, names, statuses) still make a valid table.
    assert!(loaded > 0);
}

/// The byte range of section `s` in a table file.
fn section_bytes(bytes: &[u8], s: usize) -> std::ops::Range<usize> {
    use atom::table::format::{HEADER_LEN, SECTION_COUNT};
    let le = |at: usize| u32::from_le_bytes(bytes[at..at + 4].try_into().unwrap()) as usize;
    let start = HEADER_LEN + SECTION_COUNT * 8 + le(HEADER_LEN + s * 8);
    start..start + le(HEADER_LEN + s * 8 + 4)
}

/// The names a table declares: its objects' and its actions'.
fn declared_names<'t>(t: &Table<'t>) -> Vec<(&'t str, bool)> {
    let objects = (0..t.object_count() as u32).map(|o| (t.object_name(o), true));
    let actions = (0..t.action_count() as u32).map(|a| (t.action_name(a), false));
    objects.chain(actions).collect()
}

/// Reseals a changed table and loads it: `false` if it is refused; `true`
/// if it loads and finds each of `names` (object or action) exactly as
/// `original` does (a panic naming `what` if not).
fn refused_or_the_same(
    original: &Table<'_>,
    changed: &mut [u8],
    names: &[(&str, bool)],
    what: &str,
) -> bool {
    reseal(changed);
    let Ok(t) = Table::from_bytes(changed) else {
        return false;
    };
    for &(name, object) in names {
        if object {
            let found = (t.object_named(name), t.entity_named(name));
            let want = (original.object_named(name), original.entity_named(name));
            assert_eq!(found, want, "{name} after {what}");
        } else {
            let found = t.action_named(name);
            assert_eq!(found, original.action_named(name), "{name} after {what}");
        }
    }
    true
}

#[test]
fn a_changed_name_index_slot_fails_to_load_or_finds_the_same_records() {
    // The index slots repeat what the records say (where the name is, its
    // entity); the loader checks that they agree, so a table that loads
    // finds exactly the records the names in its records name.
    use atom::table::format::section;
    let (_, bytes) = example_table();
    let original = Table::from_bytes(&bytes).unwrap();
    let names = declared_names(&original);
    let (mut refused, mut loaded) = (0, 0);
    for s in [section::OBJECT_INDEX, section::ACTION_INDEX] {
        for i in section_bytes(&bytes, s) {
            for flip in [0x01u8, 0x80] {
                let mut changed = bytes.clone();
                changed[i] ^= flip;
                let what = format!("flipping {flip:#x} at byte {i}");
                if refused_or_the_same(&original, &mut changed, &names, &what) {
                    loaded += 1;
                } else {
                    refused += 1;
                }
            }
        }
    }
    assert!(refused > 1000, "{refused} changes refused, {loaded} loaded");
}

#[test]
fn moved_name_index_slots_fail_to_load_or_find_the_same_records() {
    // Two slots swapped: each slot still agrees with its record, so only
    // the check that a slot is reachable from its name's home (no empty
    // slot between) can refuse a swap that would hide a name.
    use atom::table::format::section;
    let (_, bytes) = example_table();
    let original = Table::from_bytes(&bytes).unwrap();
    let names = declared_names(&original);
    let (mut refused, mut loaded) = (0, 0);
    for s in [section::OBJECT_INDEX, section::ACTION_INDEX] {
        let range = section_bytes(&bytes, s);
        let slots = range.len() / 16;
        for i in 0..slots {
            // Every pair in the small action index; near neighbours (where
            // linear probing puts displaced names) in the object index.
            let last = if s == section::ACTION_INDEX {
                slots
            } else {
                slots.min(i + 6)
            };
            for j in i + 1..last {
                let mut changed = bytes.clone();
                let (a, b) = (range.start + i * 16, range.start + j * 16);
                for k in 0..16 {
                    changed.swap(a + k, b + k);
                }
                if changed == bytes {
                    continue;
                }
                let what = format!("swapping slots {i} and {j} of section {s}");
                if refused_or_the_same(&original, &mut changed, &names, &what) {
                    loaded += 1;
                } else {
                    refused += 1;
                }
            }
        }
    }
    assert!(refused > 100, "{refused} swaps refused, {loaded} loaded");
    assert!(
        loaded > 0,
        "no swap left every name reachable ({refused} refused)"
    );
}

#[test]
fn crc32c_agrees_with_the_reference_crate() {
    let mut state = 7u64;
    for len in [0usize, 1, 7, 8, 9, 63, 64, 65, 1000, 4097] {
        let data: Vec<u8> = (0..len)
            .map(|_| {
                state = state
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                (state >> 33) as u8
            })
            .collect();
        assert_eq!(
            atom::table::crc32c::crc32c(&data),
            crc32c::crc32c(&data),
            "length {len}"
        );
    }
}

/// The examples' test blocks, with the two reasons a test line cannot
/// express (it may only name declared things, spec section 7), cover every
/// reason of spec section 6.
#[test]
fn the_examples_cover_every_reason() {
    use atom::eval::{decide, Object, Request, Subject};
    use atom::kinds::Reason;
    let (model, bytes) = example_table();
    let table = Table::from_bytes(&bytes).unwrap();
    let mut seen: Vec<Reason> = run_tests(&model, &table)
        .iter()
        .map(|o| o.decision.reason)
        .collect();
    let expected_in_tests: Vec<Reason> = model
        .tests
        .iter()
        .flat_map(|t| &t.lines)
        .filter_map(|l| l.reason)
        .collect();
    for (subject, object, reason) in [
        (
            "factory-a/nobody",
            "factory-a/telemetry",
            Reason::SubjectNotFound,
        ),
        (
            "factory-a/alice",
            "factory-a/nothing",
            Reason::ObjectNotFound,
        ),
    ] {
        let d = decide(
            &table,
            &Request {
                subject: Subject::Named(subject),
                action: "read",
                object: Object::Named(object),
                context: &[],
            },
        )
        .expect("a request by names is valid");
        assert_eq!(d.reason, reason);
        seen.push(d.reason);
    }
    for r in Reason::ALL {
        assert!(seen.contains(&r), "no example reaches {}", r.name());
        if !matches!(
            r,
            Reason::SubjectNotFound | Reason::ObjectNotFound | Reason::AllowedBy
        ) {
            assert!(
                expected_in_tests.contains(&r),
                "no example test line says `because {}`",
                r.name()
            );
        }
    }
}

/// An owned table decides exactly as the borrowed one, and can be shared
/// among threads (a server holds tables in `Arc`s and swaps them whole).
#[test]
fn an_owned_table_decides_like_a_borrowed_one_from_several_threads() {
    use atom::eval::{decide_declared, Decision};
    use atom::table::OwnedTable;
    fn shareable<T: Send + Sync + 'static>(_: &T) {}
    let (model, bytes) = example_table();
    let borrowed = Table::from_bytes(&bytes).unwrap();
    let owned = OwnedTable::from_bytes(bytes.clone()).unwrap();
    shareable(&owned);
    assert_eq!(owned.bytes(), bytes.as_slice());
    let names: Vec<String> = (0..model.objects.len())
        .map(|o| model.qualified_name(atom::check::model::ObjectId(o as u32)))
        .collect();
    let actions: Vec<String> = model.actions.iter().map(|a| a.name.clone()).collect();
    let names = std::sync::Arc::new(names);
    let actions = std::sync::Arc::new(actions);
    let ask = move |t: &Table<'_>| -> Vec<Decision> {
        let mut out = Vec::new();
        for s in names.iter() {
            for a in actions.iter() {
                for o in names.iter() {
                    out.push(decide_declared(t, s, a, o, &[]));
                }
            }
        }
        out
    };
    let expected = ask(&borrowed);
    assert!(
        expected.iter().any(|d| d.allow),
        "some requests are allowed"
    );
    let threads: Vec<_> = (0..2)
        .map(|_| {
            let owned = owned.clone();
            let ask = ask.clone();
            std::thread::spawn(move || ask(&owned.table()))
        })
        .collect();
    for t in threads {
        assert_eq!(t.join().unwrap(), expected);
    }
}

/// A table with `n` devices, each assigned one 40-block role directly and
/// each in one of two principal groups that are assigned another role.
fn shared_grants_table(n: usize) -> Vec<u8> {
    let mut text = String::from("action read on resource\ntype resource:doc\ntenant t {\n");
    for b in 0..40 {
        text.push_str(&format!(
            "  resource doc r{b}\n  block b{b} {{ allow read on r{b} }}\n"
        ));
    }
    let blocks: Vec<String> = (0..40).map(|b| format!("b{b}")).collect();
    text.push_str(&format!("  role wide {{ {} }}\n", blocks.join(", ")));
    text.push_str("  role narrow { b0, b1 }\n");
    for d in 0..n {
        text.push_str(&format!("  entity device d{d}\n  assign wide to d{d}\n"));
    }
    let half = |odd: usize| {
        (0..n)
            .filter(|d| d % 2 == odd)
            .map(|d| format!("d{d}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    text.push_str(&format!("  principal-group even {{ {} }}\n", half(0)));
    text.push_str(&format!("  principal-group odd {{ {} }}\n", half(1)));
    text.push_str("  assign narrow to even\n  assign narrow to odd\n}\n");
    let mut sources = atom::diag::SourceMap::new();
    sources.add("shared.atom", text);
    let model = check_sources(&sources)
        .into_complete_model()
        .expect("the shared-grants set checks clean");
    compile(&model, source_hash(&sources))
}

#[test]
fn grants_are_stored_per_role_and_group_set_not_per_entity() {
    use atom::table::format::section;
    let small = shared_grants_table(10);
    let large = shared_grants_table(1_000);
    let (s, l) = (
        Table::from_bytes(&small).unwrap(),
        Table::from_bytes(&large).unwrap(),
    );
    // The 40-block role is one list however many devices hold it, and each
    // group set (even, odd) one merged list: 40 + 2 + 2 + 2 entries.
    assert_eq!(s.count(section::GRANTS), 46);
    assert_eq!(l.count(section::GRANTS), 46);
    // A device names its groups' merged list in its record, and has one
    // source for its own assignment (stored per device only because each
    // assignment's path differs); each group one source.
    assert_eq!(l.count(section::SOURCES), 1_000 + 2);
    // And the table grows by a few dozen bytes a device, not by its 40 grants.
    let per_device = (large.len() - small.len()) / 990;
    assert!(per_device < 150, "{per_device} bytes a device");
    // Decisions still see every grant.
    let allowed =
        |t: &Table<'_>, d: &str, r: &str| atom::eval::decide_declared(t, d, "read", r, &[]).allow;
    assert!(allowed(&l, "t/d999", "t/r39"));
    assert!(allowed(&l, "t/d998", "t/r1"));
}

#[test]
fn object_names_of_any_length_are_found_by_name() {
    // Names under 65,535 bytes are stored as a byte range, longer ones by
    // string id (`format::LONG_NAME`): both decide and read back.
    for len in [1, 65_534, 65_535, 70_000] {
        let name = "d".repeat(len);
        let text = format!(
            "action read on resource\ntype resource:doc\nresource doc r\n\
             entity device {name}\nblock b {{ allow read on r }}\ngrant b to {name}\n"
        );
        let mut sources = atom::diag::SourceMap::new();
        sources.add("long.atom", text);
        let model = check_sources(&sources)
            .into_complete_model()
            .expect("checks clean");
        let bytes = compile(&model, source_hash(&sources));
        let t = Table::from_bytes(&bytes).unwrap();
        let o = t.object_named(&name).expect("found by name");
        assert_eq!(t.object_name(o), name);
        assert!(atom::eval::decide_declared(&t, &name, "read", "r", &[]).allow);
        assert!(t.object_named(&"d".repeat(len + 1)).is_none());
    }
}

#[test]
fn the_fuzz_seeds_are_the_examples_in_the_current_format() {
    // `fuzz/seeds/*` are a mode byte and the examples' table; a seed in an
    // old layout would not load, and the fuzzer would start from nothing.
    // Regenerate: `atom build policies -o t.atomc`, then prefix 0x00
    // (`examples-sealed`) or 0x01 (`examples-reseal`).
    let (_, bytes) = example_table();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds");
    for (name, mode) in [("examples-sealed", 0u8), ("examples-reseal", 1)] {
        let seed = std::fs::read(root.join(name)).unwrap();
        assert_eq!(seed[0], mode, "{name}");
        assert!(
            Table::from_bytes(&seed[1..]).is_ok(),
            "{name} does not load"
        );
        assert!(
            seed[1..] == bytes[..],
            "{name} is not the examples' current table"
        );
    }
}
