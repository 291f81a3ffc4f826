//! Described subjects and objects (spec section 6.1), and the other
//! soundness rules of sections 4-6, with the exact inputs that once broke
//! them: guardrails hold at request time, descriptions are checked as
//! strictly as source, ids are qualified, decimals are exact, `!=` is the
//! negation of `==`, principal groups are objects, and a tenant's human
//! members may read it.

use atom::check::check_sources;
use atom::compile::{compile, source_hash};
use atom::diag::render::render_human;
use atom::diag::SourceMap;
use atom::eval::explain::{explain, Outcome};
use atom::eval::{
    decide, Decimal, Decision, DescribedObject, DescribedSubject, InvalidRequest, Object, Reason,
    Request, Subject, Value,
};
use atom::kinds::{EntityKind, EntityStatus};
use atom::table::Table;

/// Compiles one policy file into table bytes; panics with the diagnostics
/// when it does not check.
fn table_of(text: &str) -> Vec<u8> {
    let mut sources = SourceMap::new();
    sources.add("policy.atom", text.to_string());
    let checked = check_sources(&sources);
    let Some(model) = checked.complete_model() else {
        panic!("{}", render_human(&sources, &checked.diagnostics));
    };
    compile(model, source_hash(&sources))
}

fn device(groups: &[&str]) -> DescribedSubject {
    DescribedSubject {
        id: "rogue".into(),
        kind: EntityKind::Device,
        tenant: Some("t".into()),
        status: EntityStatus::Active,
        groups: groups.iter().map(|g| g.to_string()).collect(),
        attributes: Vec::new(),
    }
}

fn ask(
    table: &Table<'_>,
    subject: Subject<'_>,
    action: &str,
    object: Object<'_>,
    context: &[(String, Value)],
) -> Result<Decision, InvalidRequest> {
    decide(
        table,
        &Request {
            subject,
            action,
            object,
            context,
        },
    )
}

const STAFFED_AT_RUNTIME: &str = r#"
action read, delete on resource
type resource:channel
guardrail deny device delete on resource:channel absolute
tenant t {
  entity human alice
  resource channel telemetry
  principal-group people { alice }
  principal-group on-call { }          // staffed at runtime
  block admin { allow read, delete on resource:channel }
  assign-role-placeholder
}
"#;

fn staffed(assignments: &str) -> String {
    STAFFED_AT_RUNTIME.replace(
        "assign-role-placeholder",
        &format!("role admins {{ admin }}\n  {assignments}"),
    )
}

#[test]
fn a_device_described_into_a_group_of_humans_gets_nothing_a_guardrail_forbids_devices() {
    let bytes = table_of(&staffed("assign admins to people, on-call"));
    let table = Table::from_bytes(&bytes).unwrap();
    for group in ["t/people", "t/on-call"] {
        let rogue = device(&[group]);
        let d = ask(
            &table,
            Subject::Described(&rogue),
            "delete",
            Object::Named("t/telemetry"),
            &[],
        )
        .unwrap();
        assert_eq!(
            (d.allow, d.reason),
            (false, Reason::NoMatchingAllow),
            "{group}"
        );
        // What the guardrail does not forbid still reaches it.
        let read = ask(
            &table,
            Subject::Described(&rogue),
            "read",
            Object::Named("t/telemetry"),
            &[],
        )
        .unwrap();
        assert!(read.allow, "{group}: read is not forbidden to devices");
        // A described human in the same group is still allowed.
        let human = DescribedSubject {
            kind: EntityKind::Human,
            ..device(&[group])
        };
        let d = ask(
            &table,
            Subject::Described(&human),
            "delete",
            Object::Named("t/telemetry"),
            &[],
        )
        .unwrap();
        assert_eq!((d.allow, d.reason), (true, Reason::AllowedBy), "{group}");
    }
    // `--explain` names the guardrail.
    let rogue = device(&["t/people"]);
    let e = explain(
        &table,
        &Request {
            subject: Subject::Described(&rogue),
            action: "delete",
            object: Object::Named("t/telemetry"),
            context: &[],
        },
    )
    .unwrap();
    assert!(
        e.considered.iter().any(|c| matches!(&c.outcome,
            Outcome::Forbidden(rule) if rule == "guardrail deny device delete on resource:channel absolute")),
        "{:?}",
        e.considered
    );
}

#[test]
fn a_kind_wide_scope_is_checked_against_the_kind_with_no_type() {
    let text = r#"
action read, delete on resource
guardrail deny device delete on resource absolute
tenant t {
  entity device meter
  block wide { allow delete on resource }
  grant wide to meter
}
"#;
    let mut sources = SourceMap::new();
    sources.add("policy.atom", text.to_string());
    let checked = check_sources(&sources);
    assert!(checked.complete_model().is_none());
    assert!(
        checked.diagnostics.iter().any(|d| d.code.id == "A0006"),
        "{}",
        render_human(&sources, &checked.diagnostics)
    );
}

const DESCRIBED: &str = r#"
action read, publish on resource
type resource:channel
tenant t {
  entity device meter { fw = "3" }
  resource channel telemetry
  principal-group meters { meter }
  block pub { allow publish on resource:channel }
  block no-rogue { deny publish on resource:channel when entity.id == "t/rogue" }
  block no-old { deny publish on resource:channel when entity.attributes.fw != "3" }
  block no-low { deny publish on resource:channel when entity.attributes.load < 0.3 }
  assign-placeholder
}
tenant u {
  principal-group others { }
}
principal-group platform-group { }
"#;

fn described_table() -> Vec<u8> {
    table_of(&DESCRIBED.replace(
        "assign-placeholder",
        "role r { pub, no-rogue, no-old, no-low }\n  assign r to meters",
    ))
}

fn publish(table: &Table<'_>, s: &DescribedSubject) -> Result<Decision, InvalidRequest> {
    ask(
        table,
        Subject::Described(s),
        "publish",
        Object::Named("t/telemetry"),
        &[],
    )
}

#[test]
fn a_described_id_is_qualified_so_a_deny_on_it_applies() {
    let bytes = described_table();
    let table = Table::from_bytes(&bytes).unwrap();
    let mut rogue = device(&["t/meters"]);
    rogue.attributes = vec![("fw".into(), Value::Str("3".into()))];
    let d = publish(&table, &rogue).unwrap();
    assert_eq!(d.reason, Reason::DeniedBy);
    let mut other = rogue.clone();
    other.id = "fine".into();
    assert_eq!(publish(&table, &other).unwrap().reason, Reason::AllowedBy);
}

#[test]
fn not_equal_holds_when_the_attribute_is_there_and_of_another_value_or_type() {
    let bytes = described_table();
    let table = Table::from_bytes(&bytes).unwrap();
    let mut s = device(&["t/meters"]);
    s.id = "fine".into();
    // No `fw` at all: the path does not resolve, `!= "3"` is false and the
    // deny does not apply (spec section 5, as in Atom).
    assert_eq!(publish(&table, &s).unwrap().reason, Reason::AllowedBy);
    // `fw = 3` (a number, not the string "3"): unequal, the deny applies.
    s.attributes = vec![("fw".into(), Value::Int(3))];
    assert_eq!(publish(&table, &s).unwrap().reason, Reason::DeniedBy);
    s.attributes = vec![("fw".into(), Value::Str("3".into()))];
    assert_eq!(publish(&table, &s).unwrap().reason, Reason::AllowedBy);
}

#[test]
fn decimals_compare_exactly() {
    let bytes = described_table();
    let table = Table::from_bytes(&bytes).unwrap();
    let mut s = device(&["t/meters"]);
    s.id = "fine".into();
    let dec = |t: &str| Value::Dec(Decimal::parse(t).unwrap());
    for (load, denied) in [
        ("0.30000000000000004", false), // a float would round this to 0.3
        ("0.29999999999999999", true),  // ... and this one too
        ("0.3", false),
        ("0.1", true),
    ] {
        s.attributes = vec![
            ("fw".into(), Value::Str("3".into())),
            ("load".into(), dec(load)),
        ];
        let d = publish(&table, &s).unwrap();
        assert_eq!(d.reason == Reason::DeniedBy, denied, "load {load}");
    }
}

#[test]
fn invalid_descriptions_are_errors_that_name_the_key() {
    let bytes = described_table();
    let table = Table::from_bytes(&bytes).unwrap();
    let key = |s: DescribedSubject| publish(&table, &s).map(|_| ()).map_err(|e| e.key);
    assert_eq!(key(device(&["t/nope"])), Err("subject.groups"));
    assert_eq!(key(device(&["u/others"])), Err("subject.groups"));
    assert_eq!(key(device(&["platform-group"])), Err("subject.groups"));
    assert_eq!(
        key(DescribedSubject {
            id: "meter".into(),
            ..device(&[])
        }),
        Err("subject.id"),
        "`t/meter` is declared"
    );
    let many: Vec<&str> = vec!["t/meters"; 1025];
    assert_eq!(key(device(&many)), Err("subject.groups"));
    // An undeclared tenant: not found, not invalid.
    let elsewhere = DescribedSubject {
        tenant: Some("nowhere".into()),
        ..device(&[])
    };
    assert_eq!(
        publish(&table, &elsewhere).map(|d| d.reason),
        Ok(Reason::SubjectNotFound)
    );
    let object = |ty: &str, group: Option<&str>| DescribedObject {
        id: "o".into(),
        ty: ty.parse().unwrap(),
        tenant: Some("t".into()),
        group: group.map(str::to_string),
        attributes: Vec::new(),
    };
    let s = device(&["t/meters"]);
    for (o, want) in [
        (object("resource:chanel", None), "object.type"),
        (object("resource:channel", Some("t/meters")), "object.group"),
    ] {
        let got = ask(
            &table,
            Subject::Described(&s),
            "read",
            Object::Described(&o),
            &[],
        );
        assert_eq!(got.map(|_| ()).map_err(|e| e.key), Err(want), "{o:?}");
    }
}

#[test]
fn one_group_named_many_times_counts_once() {
    let bytes = described_table();
    let table = Table::from_bytes(&bytes).unwrap();
    let mut s = device(&vec!["t/meters"; 1024]);
    s.id = "fine".into();
    s.attributes = vec![("fw".into(), Value::Str("3".into()))];
    let d = publish(&table, &s).unwrap();
    assert_eq!(d.reason, Reason::AllowedBy);
}

#[test]
fn principal_groups_are_objects_of_kind_group() {
    let text = r#"
action read, write on group, entity
tenant t {
  entity human alice
  entity human bob
  principal-group admins { alice }
  principal-group staff { bob }
  object-group site
  block manage-staff { allow write on staff }
  block read-groups { allow read on group }
  block read-site-groups { allow read on group within site }
  grant manage-staff, read-groups, read-site-groups to admins
  test "groups" {
    allow alice write staff
    deny alice write admins because no_matching_allow
    allow alice read admins
  }
}
"#;
    let bytes = table_of(&text.replace(
        "grant manage-staff, read-groups, read-site-groups to admins",
        "grant manage-staff to admins\n  grant read-groups to admins\n  grant read-site-groups to admins",
    ));
    let table = Table::from_bytes(&bytes).unwrap();
    let d = ask(
        &table,
        Subject::Named("t/alice"),
        "write",
        Object::Named("t/staff"),
        &[],
    )
    .unwrap();
    assert_eq!(d.reason, Reason::AllowedBy);
    let d = ask(
        &table,
        Subject::Named("t/bob"),
        "read",
        Object::Named("t/admins"),
        &[],
    )
    .unwrap();
    assert_eq!(d.reason, Reason::NoMatchingAllow, "bob holds nothing");
}

#[test]
fn a_human_member_of_a_tenant_may_read_it_unless_denied() {
    let text = r#"
action read, manage on tenant
entity human ann
entity device probe
tenant t {
  member ann
  member probe
  entity human local
}
tenant u {
  member ann
  block no-read { deny read on all }
  grant no-read to ann
}
"#;
    let bytes = table_of(text);
    let table = Table::from_bytes(&bytes).unwrap();
    let q = |s: &str, a: &str, o: &str| {
        ask(&table, Subject::Named(s), a, Object::Named(o), &[]).unwrap()
    };
    let d = q("ann", "read", "t");
    assert_eq!((d.allow, d.reason), (true, Reason::AllowedBy));
    assert!(d.membership.is_some() && d.block.is_none());
    assert_eq!(q("ann", "manage", "t").reason, Reason::NoMatchingAllow);
    assert_eq!(
        q("probe", "read", "t").reason,
        Reason::NoMatchingAllow,
        "a device"
    );
    assert_eq!(
        q("t/local", "read", "t").reason,
        Reason::NoMatchingAllow,
        "not a member"
    );
    assert_eq!(
        q("ann", "read", "u").reason,
        Reason::DeniedBy,
        "a deny overrides it"
    );
}

#[test]
fn four_hundred_thousand_copies_of_one_group_are_refused_at_once() {
    let bytes = described_table();
    let table = Table::from_bytes(&bytes).unwrap();
    let flood = device(&vec!["t/meters"; 400_000]);
    let got = publish(&table, &flood).map(|_| ()).map_err(|e| e.key);
    assert_eq!(got, Err("subject.groups"));
}

/// Grouped credentials and `all in G`: a described credential in a group is
/// reached like a declared one; a described object of a kind that never
/// sits in object groups may not name one (it could otherwise reach more
/// than a declared object with the same facts).
#[test]
fn described_objects_name_a_group_only_for_kinds_that_sit_in_groups() {
    let bytes = table_of(
        r#"action read on entity, resource, group, tenant, role, credential
tenant t {
  object-group vault
  object credential old-key in vault
  entity human ann
  block all-keys { allow read on all within vault }
  grant all-keys to ann
}
"#,
    );
    let table = Table::from_bytes(&bytes).unwrap();
    let object = |ty: &str| DescribedObject {
        id: "new-key".into(),
        ty: ty.parse().unwrap(),
        tenant: Some("t".into()),
        group: Some("t/vault".into()),
        attributes: Vec::new(),
    };
    let ann = Subject::Named("t/ann");
    let declared = ask(&table, ann, "read", Object::Named("t/old-key"), &[]).unwrap();
    assert_eq!(declared.reason, Reason::AllowedBy);
    let credential = object("credential");
    let described = ask(&table, ann, "read", Object::Described(&credential), &[]).unwrap();
    assert_eq!(described.reason, Reason::AllowedBy);
    let role = object("role");
    let refused = ask(&table, ann, "read", Object::Described(&role), &[]).unwrap_err();
    assert_eq!(refused.key, "object.group");
    assert!(
        refused.message.contains("does not sit in object groups"),
        "{}",
        refused.message
    );
}

/// Kinds and statuses are vocabulary words in the typed request, so a word
/// outside the vocabulary is refused where a request is decoded, naming the
/// key and the words it may be (the library cannot be handed one).
#[test]
fn words_outside_the_vocabulary_are_refused_by_the_decoder() {
    let request = |subject: serde_json::Value, object: serde_json::Value| {
        atom::request::parse_request(&serde_json::json!({
            "subject": subject, "action": "read", "object": object,
        }))
    };
    let subject = |kind: &str, status: &str| serde_json::json!({"id": "rogue", "kind": kind, "status": status, "tenant": "t"});
    let object = |ty: &str| serde_json::json!({"id": "o", "type": ty, "tenant": "t"});
    let refused = |r: Result<atom::request::OwnedRequest, atom::decision::Invalid>| {
        let e = r.err().expect("refused");
        (e.key.unwrap_or_default(), e.message)
    };
    let (key, message) = refused(request(subject("robot", "active"), object("credential")));
    assert_eq!(key, "subject.kind");
    assert_eq!(
        message,
        "`robot` is not an entity kind (human, device, service, workload, application)"
    );
    let (key, message) = refused(request(subject("device", "awake"), object("credential")));
    assert_eq!(key, "subject.status");
    assert!(
        message.starts_with("`awake` is not a status (active"),
        "{message}"
    );
    let (key, message) = refused(request(subject("device", "active"), object("spaceship")));
    assert_eq!(key, "object.type");
    assert!(
        message.starts_with("`spaceship` is not an object kind (entity"),
        "{message}"
    );
    // The words of the vocabulary decode to the typed request.
    let ok = request(subject("human", "suspended"), object("resource:channel")).unwrap();
    let (atom::request::Either::Described(s), atom::request::Either::Described(o)) =
        (&ok.subject, &ok.object)
    else {
        panic!("described");
    };
    assert_eq!(
        (s.kind, s.status),
        (EntityKind::Human, EntityStatus::Suspended)
    );
    assert_eq!(o.ty.to_string(), "resource:channel");
}
