//! Every front door answers as the library does: random policy sets, and
//! declared and described requests with contexts, each asked through
//! `atom::eval::decide`, `atom query --requests`, `POST /v1/decide`,
//! AuthZEN evaluations (a batch) and evaluation (one at a time), and gRPC
//! `Check`. Every door must give the same allow and reason, and the same
//! block wherever it reports one; an invalid request must be refused by
//! every door that can carry it.
//!
//! What a door cannot carry is not asked there: gRPC carries declared
//! names and string context values only, and AuthZEN describes (rather
//! than refuses) a resource id the table does not declare (spec section
//! 14), so those requests skip AuthZEN.
//!
//! `ATOM_DOORS_CASES` sets how many policy sets are generated (each with
//! [`REQUESTS_PER_POLICY`] requests); the default asks 20,000 requests.
#![cfg(feature = "serve")]

mod support;

use atom::compile::{compile, source_hash};
use atom::eval::{decide, DescribedObject, DescribedSubject, Object, Request, Subject, Value};
use atom::gen::SplitMix64;
use atom::kinds::{ObjectKind, Reason, TenantStatus};
use atom::table::Table;
use serde_json::{json, Value as Json};
use support::policy_gen::{
    policy, request, targets, without_breached_guardrails, Sizes, What, Who,
};
use support::server::Server;

const REQUESTS_PER_POLICY: usize = 400;

fn cases() -> u64 {
    std::env::var("ATOM_DOORS_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(50)
}

/// What a door says about one request.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Said {
    /// The request is not valid (a description that section 6.1 refuses).
    Invalid,
    Decided {
        allow: bool,
        reason: String,
        /// The deciding block, where the door reports one.
        block: Option<String>,
    },
}

/// One generated request and the library's answer.
struct Case {
    who: Who,
    action: String,
    what: What,
    context: Vec<(String, Value)>,
    want: Said,
}

fn value_json(v: &Value) -> Json {
    match v {
        Value::Str(s) => json!(s),
        Value::Int(i) => json!(i),
        Value::Dec(d) => Json::Number(d.as_str().parse().expect("a decimal is a JSON number")),
        Value::Bool(b) => json!(b),
        Value::List(items) => Json::Array(items.iter().map(value_json).collect()),
        Value::Map(entries) => map_json(entries),
    }
}

fn map_json(entries: &[(String, Value)]) -> Json {
    Json::Object(
        entries
            .iter()
            .map(|(k, v)| (k.clone(), value_json(v)))
            .collect(),
    )
}

fn subject_json(d: &DescribedSubject) -> Json {
    let mut s = json!({
        "id": d.id, "kind": d.kind.name(), "status": d.status.name(),
        "groups": d.groups, "attributes": map_json(&d.attributes),
    });
    if let Some(t) = &d.tenant {
        s["tenant"] = json!(t);
    }
    s
}

fn object_json(d: &DescribedObject) -> Json {
    let mut o =
        json!({ "id": d.id, "type": d.ty.to_string(), "attributes": map_json(&d.attributes) });
    if let Some(t) = &d.tenant {
        o["tenant"] = json!(t);
    }
    if let Some(g) = &d.group {
        o["group"] = json!(g);
    }
    o
}

/// The request in the `atom query --requests` format.
fn atom_json(c: &Case) -> Json {
    json!({
        "subject": match &c.who { Who::Named(n) => json!(n), Who::Described(d) => subject_json(d) },
        "action": c.action,
        "object": match &c.what { What::Named(n) => json!(n), What::Described(d) => object_json(d) },
        "context": map_json(&c.context),
    })
}

fn qualified(id: &str, tenant: Option<&String>) -> String {
    tenant.map_or(id.to_string(), |t| format!("{t}/{id}"))
}

/// The request as an AuthZEN evaluation, or `None` where AuthZEN means
/// something else by it (an undeclared resource id is a description).
fn authzen_json(t: &Table<'_>, c: &Case) -> Option<Json> {
    let subject = match &c.who {
        Who::Named(n) => {
            let kind = t
                .object_named(n)
                .filter(|o| t.object_entity(*o) != atom::table::format::NONE)
                .map_or("device".to_string(), |o| {
                    let e = t.object_entity(o);
                    atom::kinds::EntityKind::from_code(t.entity_kind(e))
                        .map_or("device".to_string(), |k| k.name().to_string())
                });
            json!({ "type": kind, "id": n })
        }
        Who::Described(d) => {
            let mut props = subject_json(d);
            props
                .as_object_mut()
                .expect("an object")
                .remove("attributes");
            props["attributes"] = map_json(&d.attributes);
            json!({ "type": d.kind.name(), "id": qualified(&d.id, d.tenant.as_ref()), "properties": props })
        }
    };
    let resource = match &c.what {
        What::Named(n) => {
            let o = t.object_named(n)?;
            let kind = ObjectKind::from_code(t.object_kind(o))?.name();
            json!({ "type": kind, "id": n })
        }
        What::Described(d) => {
            let mut props = match map_json(&d.attributes) {
                Json::Object(m) => m,
                _ => serde_json::Map::new(),
            };
            if let Some(t) = &d.tenant {
                props.insert("tenant".into(), json!(t));
            }
            if let Some(g) = &d.group {
                props.insert("group".into(), json!(g));
            }
            json!({ "type": d.ty.to_string(), "id": qualified(&d.id, d.tenant.as_ref()), "properties": props })
        }
    };
    Some(json!({
        "subject": subject,
        "action": { "name": c.action },
        "resource": resource,
        "context": map_json(&c.context),
    }))
}

/// What `atom query --requests` and `/v1/decide` say.
fn said_atom(answer: &Json) -> Said {
    if answer.get("error").is_some() {
        return Said::Invalid;
    }
    Said::Decided {
        allow: answer["allow"].as_bool().expect("`allow` is a boolean"),
        reason: answer["reason"].as_str().expect("`reason`").to_string(),
        block: answer["block"].as_str().map(str::to_string),
    }
}

/// What an AuthZEN decision says.
fn said_authzen(answer: &Json) -> Said {
    if answer["context"].get("error").is_some() {
        return Said::Invalid;
    }
    Said::Decided {
        allow: answer["decision"]
            .as_bool()
            .expect("`decision` is a boolean"),
        reason: answer["context"]["reason"]
            .as_str()
            .expect("`reason`")
            .to_string(),
        block: answer["context"]["block"].as_str().map(str::to_string),
    }
}

/// Atom's gRPC reason string for a decision (spec section 14), written
/// here independently of the server's mapping.
fn atom_reason(t: &Table<'_>, d: &atom::eval::Decision, action: &str, object: &str) -> String {
    match d.reason {
        Reason::SubjectNotFound => "subject not found".into(),
        Reason::SubjectInactive => "subject is not active".into(),
        Reason::ObjectNotFound => "resource not found".into(),
        Reason::TenantInactive => {
            let o = t
                .object_named(object)
                .expect("a tenant-inactive object is declared");
            let status = TenantStatus::from_code(t.tenant_status(t.object_tenant(o)))
                .expect("a known status");
            format!("tenant is {}", status.name())
        }
        Reason::NotApplicable => format!("unknown action '{action}'"),
        Reason::DeniedBy => match d.via.map(|v| t.via(v)) {
            Some((false, _, role, _)) => {
                format!("explicitly denied by role '{}' block", t.object_name(role))
            }
            _ => "explicitly denied by direct policy".into(),
        },
        Reason::AllowedBy => "allowed".into(),
        Reason::NoMatchingAllow => "no matching allow policy".into(),
    }
}

fn sizes(rng: &mut SplitMix64) -> Sizes {
    Sizes {
        tenants: 1 + rng.below(2),
        groups: rng.below(5),
        entities: 2 + rng.below(4),
        resources: rng.below(6),
        pgroups: rng.below(5),
        blocks: 2 + rng.below(6),
        roles: rng.below(5),
        statements: 2 + rng.below(6),
    }
}

/// A request aimed at a grant: a declared entity, an action one of its
/// grants gives, and the first of a few objects on which the library
/// allows or denies by a block (or the last tried), with a random context.
fn aimed(
    t: &Table<'_>,
    rng: &mut SplitMix64,
    g: &support::policy_gen::Generated,
) -> Option<support::policy_gen::Parts> {
    let subject = g.entities[rng.below(g.entities.len())].clone();
    let e = t.object_entity(t.object_named(&subject)?);
    let grants: Vec<u32> = t.entity_grants(e).map(|(a, _, _)| a).collect();
    if grants.is_empty() {
        return None;
    }
    let action = t.action_name(grants[rng.below(grants.len())]).to_string();
    let (_, _, _, context) = request(rng, g);
    let mut object = String::new();
    for _ in 0..20 {
        object = g.objects[rng.below(g.objects.len())].clone();
        let r = Request {
            subject: Subject::Named(&subject),
            action: &action,
            object: Object::Named(&object),
            context: &context,
        };
        if decide(t, &r).is_ok_and(|d| d.block.is_some()) {
            break;
        }
    }
    Some((Who::Named(subject), action, What::Named(object), context))
}

/// The library's answers to a policy's generated requests: half aimed at
/// grants, half random.
fn cases_for(t: &Table<'_>, rng: &mut SplitMix64, g: &support::policy_gen::Generated) -> Vec<Case> {
    (0..REQUESTS_PER_POLICY)
        .map(|i| {
            let aimed = if i % 2 == 0 { aimed(t, rng, g) } else { None };
            let (who, action, what, context) = aimed.unwrap_or_else(|| request(rng, g));
            let (subject, object) = targets(&who, &what);
            let r = Request {
                subject,
                action: &action,
                object,
                context: &context,
            };
            let want = match decide(t, &r) {
                Ok(d) => Said::Decided {
                    allow: d.allow,
                    reason: d.reason.name().to_string(),
                    block: d
                        .block
                        .map(|b| atom::eval::explain::block_name(t, b).to_string()),
                },
                Err(_) => Said::Invalid,
            };
            Case {
                who,
                action,
                what,
                context,
                want,
            }
        })
        .collect()
}

/// Asks every request through `atom query --requests`.
fn through_query(dir: &std::path::Path, cases: &[Case]) -> Vec<Said> {
    let lines: Vec<String> = cases.iter().map(|c| atom_json(c).to_string()).collect();
    std::fs::write(dir.join("requests.jsonl"), lines.join("\n") + "\n").unwrap();
    let out = support::cli::atom(
        dir,
        &[
            "query",
            "--table",
            "t.atomc",
            "--requests",
            "requests.jsonl",
        ],
    );
    let answers: Vec<Json> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("an answer line is JSON"))
        .collect();
    assert_eq!(answers.len(), cases.len(), "one answer a request line");
    answers.iter().map(said_atom).collect()
}

/// Asks every request through `POST /v1/decide`, as one array.
fn through_decide(s: &Server, cases: &[Case]) -> Vec<Said> {
    let body = Json::Array(cases.iter().map(atom_json).collect());
    let a = s.post("/v1/decide", &body);
    assert_eq!(a.status, 200, "{}", a.text);
    a.body
        .as_array()
        .expect("an array")
        .iter()
        .map(said_atom)
        .collect()
}

/// Asks the requests AuthZEN can carry as one `evaluations` batch, and
/// every fifth alone through `evaluation`.
fn through_authzen(s: &Server, t: &Table<'_>, cases: &[Case]) -> Vec<Option<(Said, Option<Said>)>> {
    let items: Vec<Option<Json>> = cases.iter().map(|c| authzen_json(t, c)).collect();
    let batch: Vec<Json> = items.iter().flatten().cloned().collect();
    let a = s.post("/access/v1/evaluations", &json!({ "evaluations": batch }));
    assert_eq!(a.status, 200, "{}", a.text);
    let mut batch_answers = a.body["evaluations"]
        .as_array()
        .expect("evaluations")
        .iter();
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let item = item.as_ref()?;
            let batched = said_authzen(batch_answers.next().expect("one answer an evaluation"));
            let alone = (i % 5 == 0).then(|| {
                let a = s.post("/access/v1/evaluation", item);
                match a.status {
                    200 => said_authzen(&a.body),
                    400 => Said::Invalid,
                    other => panic!("evaluation answered {other}: {}", a.text),
                }
            });
            Some((batched, alone))
        })
        .collect()
}

/// The context gRPC can carry: string values only.
fn string_context(context: &[(String, Value)]) -> Vec<(String, Value)> {
    context
        .iter()
        .filter(|(_, v)| matches!(v, Value::Str(_)))
        .cloned()
        .collect()
}

/// Asks every request with declared names through gRPC `Check` (string
/// context values only), against the library's answer with that context.
fn check_grpc(s: &Server, t: &Table<'_>, cases: &[Case], label: &dyn Fn(usize) -> String) -> usize {
    use atom::serve::grpc::proto::authz_service_client::AuthzServiceClient;
    use atom::serve::grpc::proto::CheckRequest;
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let mut client = AuthzServiceClient::connect(s.grpc.clone()).await.unwrap();
        let mut asked = 0;
        for (i, c) in cases.iter().enumerate() {
            let (Who::Named(subject), What::Named(object)) = (&c.who, &c.what) else {
                continue;
            };
            let context = string_context(&c.context);
            let r = Request {
                subject: Subject::Named(subject),
                action: &c.action,
                object: Object::Named(object),
                context: &context,
            };
            let d = decide(t, &r).expect("named requests are valid");
            let kind = t
                .object_named(object)
                .and_then(|o| ObjectKind::from_code(t.object_kind(o)));
            // Half by `resource_id`, half by `object_kind` and `object_id`.
            let (resource_id, object_kind, object_id) = match kind {
                Some(k) if i % 2 == 0 => (String::new(), k.name().to_string(), object.clone()),
                _ => (object.clone(), String::new(), String::new()),
            };
            let want_kind = if object_kind.is_empty() {
                "resource"
            } else {
                object_kind.as_str()
            };
            let answer = client
                .check(CheckRequest {
                    subject_id: subject.clone(),
                    action: c.action.clone(),
                    resource_id,
                    context: context
                        .iter()
                        .map(|(k, v)| match v {
                            Value::Str(s) => (k.clone(), s.clone()),
                            _ => unreachable!("string values only"),
                        })
                        .collect(),
                    object_kind: object_kind.clone(),
                    object_id,
                })
                .await
                .unwrap_or_else(|e| panic!("{}: {e}", label(i)))
                .into_inner();
            let want = atom_reason(t, &d, &c.action, object)
                .replace("resource not found", &format!("{want_kind} not found"));
            assert_eq!(
                (answer.allowed, answer.reason.as_str()),
                (d.allow, want.as_str()),
                "gRPC: {}",
                label(i)
            );
            asked += 1;
        }
        asked
    })
}

#[test]
fn every_door_answers_as_the_library() {
    let mut counts = [0usize; 5];
    let mut reasons = std::collections::BTreeMap::new();
    for seed in 0..cases() {
        let mut rng = SplitMix64::new(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0xD00D);
        let sizes = sizes(&mut rng);
        let g = policy(rng.next_u64(), &sizes);
        let Some((_, sources, model)) = without_breached_guardrails(&g.text) else {
            continue;
        };
        let bytes = compile(&model, source_hash(&sources));
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("t.atomc"), &bytes).unwrap();
        let t = Table::from_bytes(&bytes).unwrap();
        let cases = cases_for(&t, &mut rng, &g);
        let label = |i: usize| {
            let c = &cases[i];
            format!(
                "request {} {:?}: {}\npolicy:\n{}",
                i,
                c.want,
                atom_json(c),
                g.text
            )
        };
        for c in &cases {
            let reason = match &c.want {
                Said::Decided { reason, .. } => reason.clone(),
                Said::Invalid => "invalid".to_string(),
            };
            *reasons.entry(reason).or_insert(0usize) += 1;
        }
        for (i, said) in through_query(dir.path(), &cases).iter().enumerate() {
            assert_eq!(said, &cases[i].want, "atom query --requests: {}", label(i));
        }
        counts[0] += cases.len();
        let s = Server::start(dir.path(), &["t.atomc", "--insecure-allow-unsigned"]);
        s.wait_ready(None);
        for (i, said) in through_decide(&s, &cases).iter().enumerate() {
            assert_eq!(said, &cases[i].want, "POST /v1/decide: {}", label(i));
        }
        counts[1] += cases.len();
        for (i, answer) in through_authzen(&s, &t, &cases).iter().enumerate() {
            let Some((batched, alone)) = answer else {
                continue;
            };
            assert_eq!(batched, &cases[i].want, "AuthZEN evaluations: {}", label(i));
            counts[2] += 1;
            if let Some(alone) = alone {
                assert_eq!(alone, &cases[i].want, "AuthZEN evaluation: {}", label(i));
                counts[3] += 1;
            }
        }
        counts[4] += check_grpc(&s, &t, &cases, &label);
    }
    eprintln!(
        "asked: query {}, /v1/decide {}, AuthZEN evaluations {}, evaluation {}, gRPC {}; reasons {reasons:?}",
        counts[0], counts[1], counts[2], counts[3], counts[4]
    );
    assert!(counts[0] >= 20_000 || cases() < 50, "{counts:?}");
    for reason in [
        "allowed_by",
        "denied_by",
        "no_matching_allow",
        "subject_not_found",
        "object_not_found",
        "not_applicable",
    ] {
        assert!(
            reasons.contains_key(reason),
            "no request was decided {reason}: {reasons:?}"
        );
    }
}
