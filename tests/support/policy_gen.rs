//! Random valid policy sets and requests for property tests.
//!
//! Sizes come from proptest (so failures shrink to small policies); the
//! details come from a seed. Every scope form, nested object and principal
//! groups, roles including roles, deny blocks, conditions of every
//! operator, inactive tenants and entities, platform blocks and `member`
//! joins appear. The generated text must check clean: a generator bug is
//! a test failure, never a skipped case.

use atom::eval::{DescribedObject, DescribedSubject, Value};
use atom::gen::SplitMix64;
use atom::kinds::{EntityKind, EntityStatus};
use proptest::prelude::*;

#[derive(Clone, Debug)]
pub struct Sizes {
    pub tenants: usize,
    pub groups: usize,
    pub entities: usize,
    pub resources: usize,
    pub pgroups: usize,
    pub blocks: usize,
    pub roles: usize,
    pub statements: usize,
}

/// Names a request can use, and the policy text.
pub struct Generated {
    pub text: String,
    pub entities: Vec<String>,
    pub objects: Vec<String>,
    pub pgroups: Vec<String>,
    pub groups: Vec<String>,
    pub tenants: Vec<String>,
}

fn pick<'a, T>(rng: &mut SplitMix64, items: &'a [T]) -> &'a T {
    &items[rng.below(items.len())]
}

const VOCABULARY: &str = "\
action read, write on entity, resource, group, tenant, role, policy, credential, audit_log
action publish, subscribe on resource:channel
action execute on resource:report
action manage on credential
action rotate on signing_key
type resource:channel, resource:report
";

/// Guardrails: a policy may break them (A0006); [`without_breached_guardrails`]
/// then drops guardrail lines until the set checks.
const GLOBAL_GUARDRAILS: &[&str] = &[
    "guardrail deny device write on resource:report absolute",
    "guardrail deny device manage on credential",
    "guardrail deny human rotate on signing_key absolute",
    "guardrail deny device read on group",
    "guardrail deny service publish on resource",
    "guardrail allow device publish on resource:channel",
    "guardrail deny device write on entity",
    "guardrail deny human execute on resource:report",
];

const TENANT_GUARDRAILS: &[&str] = &[
    "guardrail deny device execute on resource:report",
    "guardrail deny human write on entity",
    "guardrail deny device publish on resource:channel",
];

const CONDITIONS: &[&str] = &[
    "entity.attributes.site == object.attributes.site",
    "context.protocol in [\"mqtt\", \"coap\"]",
    "entity.attributes.fw >= 2",
    "object.attributes.env != \"test\"",
    "context.n < 5",
    "entity.kind == \"device\"",
    "tenant.attributes.tier == \"gold\"",
    "entity.attributes contains \"site\"",
    "object.attributes.tags contains \"x\"",
    "context.at >= \"2026-01-01T00:00:00Z\"",
    "entity.attributes.fw < 2.5",
    "context.n <= 2",
    "entity.attributes.fw != 3",
    "object.type == \"resource:channel\"",
    "entity.status == \"active\"",
    "entity.id contains \"e1\"",
    "object.group == context.group",
    "context.nested.level > 1",
    // Spec section 5: `!=` on built-in fields that can be none, on paths
    // that may not resolve, and between two paths.
    "tenant.attributes.tier != \"silver\"",
    "object.type != \"resource:channel\"",
    "object.group != context.group",
    "entity.tenant != object.tenant",
    "object.tenant != \"t0\"",
    "object.group != object.type",
    "entity.attributes.site != object.attributes.site",
    "context.flag != true",
    // `contains` with a longer string or list than the value looked for.
    "context.tags contains \"a\"",
    "context.tags != [\"a\"]",
    "context.s contains \"ab\"",
    "context.s != \"ab\"",
];

pub fn policy(seed: u64, sizes: &Sizes) -> Generated {
    let mut rng = SplitMix64::new(seed);
    let mut text = String::from(VOCABULARY);
    for _ in 0..rng.below(4) {
        let rule: &&str = pick(&mut rng, GLOBAL_GUARDRAILS);
        text.push_str(rule);
        text.push('\n');
    }
    let mut g = Generated {
        text: String::new(),
        entities: vec!["p-dev".into(), "p-admin".into()],
        objects: vec![
            "p-dev".into(),
            "p-admin".into(),
            "p-read".into(),
            "p-role".into(),
        ],
        pgroups: Vec::new(),
        groups: Vec::new(),
        tenants: Vec::new(),
    };
    text.push_str(
        "entity device p-dev { site = \"a\", fw = 3 }\nentity human p-admin { site = \"b\" }\n",
    );
    let platform_scope = pick(
        &mut rng,
        &["all", "resource", "resource:channel", "credential"],
    );
    let platform_action = if *platform_scope == "credential" {
        "manage"
    } else {
        "read"
    };
    text.push_str(&format!(
        "block p-read {{ {} {platform_action} on {platform_scope} }}\nrole p-role {{ p-read }}\nassign p-role to p-admin\n",
        if rng.chance(20) { "deny" } else { "allow" }
    ));

    for t in 0..sizes.tenants {
        let tn = format!("t{t}");
        g.tenants.push(tn.clone());
        g.objects.push(tn.clone());
        let status = if rng.chance(90) {
            ""
        } else {
            *pick(&mut rng, &[" inactive", " frozen"])
        };
        text.push_str(&format!(
            "tenant {tn}{status} {{\n  attributes {{ tier = \"{}\" }}\n",
            pick(&mut rng, &["gold", "silver"])
        ));

        let mut ctx = Ctx {
            rng: &mut rng,
            text: &mut text,
            g: &mut g,
            tn: &tn,
            sizes,
        };
        let groups = object_groups(&mut ctx);
        let entities = entities(&mut ctx, &groups);
        let resources = resources(&mut ctx, &groups);
        // A tenant may be reopened: the rest of it in a second declaration.
        if ctx.rng.chance(30) {
            ctx.text.push_str(&format!("}}\ntenant {tn} {{\n"));
        }
        let joined = credentials_and_joins(&mut ctx, &groups);
        let pgroups = principal_groups(&mut ctx, &entities, joined);
        let blocks = blocks(&mut ctx, &groups, &entities, &resources);
        let roles = roles(&mut ctx, &blocks);
        statements(&mut ctx, &entities, &pgroups, joined, &blocks, &roles);
        text.push_str("}\n");
    }
    g.text = text;
    g
}

/// One tenant being generated.
struct Ctx<'c> {
    rng: &'c mut SplitMix64,
    text: &'c mut String,
    g: &'c mut Generated,
    tn: &'c str,
    sizes: &'c Sizes,
}

/// The random source, the text, the names generated so far, the sizes, and
/// a function that qualifies a name with the tenant.
type TenantParts<'p, 'c> = (
    &'p mut SplitMix64,
    &'p mut String,
    &'p mut Generated,
    &'c Sizes,
    Box<dyn Fn(&str) -> String + 'c>,
);

impl<'c> Ctx<'c> {
    fn parts<'p>(&'p mut self) -> TenantParts<'p, 'c> {
        let tn = self.tn;
        (
            &mut *self.rng,
            &mut *self.text,
            &mut *self.g,
            self.sizes,
            Box::new(move |n: &str| format!("{tn}/{n}")),
        )
    }
}

/// ` in G` for a random object group of the tenant (or nothing).
fn in_group(rng: &mut SplitMix64, groups: &[String]) -> String {
    if groups.is_empty() || rng.chance(20) {
        String::new()
    } else {
        format!(" in {}", pick(rng, groups))
    }
}

/// Object groups, a third nested under an earlier one.
fn object_groups(ctx: &mut Ctx<'_>) -> Vec<String> {
    let (rng, text, g, sizes, q) = ctx.parts();
    let mut groups = Vec::new();
    for i in 0..sizes.groups {
        let name = format!("g{i}");
        let parent = if i > 0 && rng.chance(60) {
            format!(" in g{}", rng.below(i))
        } else {
            String::new()
        };
        text.push_str(&format!("  object-group {name}{parent}\n"));
        g.objects.push(q(&name));
        g.groups.push(q(&name));
        groups.push(name);
    }

    groups
}

/// Entities of random kinds, statuses and attributes.
fn entities(ctx: &mut Ctx<'_>, groups: &[String]) -> Vec<String> {
    let (rng, text, g, sizes, q) = ctx.parts();
    let mut entities = Vec::new();
    for i in 0..sizes.entities {
        let name = format!("e{i}");
        let kind = pick(rng, &["device", "device", "human", "service"]);
        let parent = in_group(rng, groups);
        let status = if rng.chance(80) {
            ""
        } else {
            *pick(rng, &[" inactive", " suspended"])
        };
        let attrs = if rng.chance(80) {
            format!(
                " {{ site = \"{}\", fw = {} }}",
                pick(rng, &["a", "b"]),
                rng.below(4)
            )
        } else {
            String::new()
        };
        text.push_str(&format!("  entity {kind} {name}{parent}{status}{attrs}\n"));
        g.entities.push(q(&name));
        g.objects.push(q(&name));
        entities.push(name);
    }
    entities
}

/// Channels and reports, in random groups.
fn resources(ctx: &mut Ctx<'_>, groups: &[String]) -> Vec<String> {
    let (rng, text, g, sizes, q) = ctx.parts();
    let mut resources = Vec::new();
    for i in 0..sizes.resources {
        let name = format!("r{i}");
        let sub = pick(rng, &["channel", "channel", "report"]);
        let parent = in_group(rng, groups);
        let attrs = match rng.below(3) {
            0 => String::new(),
            1 => format!(
                " {{ site = \"{}\", env = \"{}\" }}",
                pick(rng, &["a", "b"]),
                pick(rng, &["prod", "test"])
            ),
            _ => " { site = \"a\", tags = [\"x\", \"y\"], env = \"prod\" }".to_string(),
        };
        text.push_str(&format!("  resource {sub} {name}{parent}{attrs}\n"));
        g.objects.push(q(&name));
        resources.push(name);
    }
    resources
}

/// A credential and a key, maybe in object groups; maybe a tenant
/// guardrail; maybe `member p-dev` (returned).
fn credentials_and_joins(ctx: &mut Ctx<'_>, groups: &[String]) -> bool {
    let (rng, text, g, _, q) = ctx.parts();
    let (key_in, jwt_in) = (in_group(rng, groups), in_group(rng, groups));
    text.push_str(&format!(
        "  object credential key{key_in} {{ owner = \"e0\" }}\n  object signing_key jwt{jwt_in}\n"
    ));
    g.objects.push(q("key"));
    g.objects.push(q("jwt"));
    if rng.chance(40) {
        text.push_str(&format!("  {}\n", pick(rng, TENANT_GUARDRAILS)));
    }
    let joined = rng.chance(50);
    if joined {
        text.push_str("  member p-dev\n");
    }

    joined
}

/// Principal groups, half nested, with random members.
fn principal_groups(ctx: &mut Ctx<'_>, entities: &[String], joined: bool) -> Vec<String> {
    let (rng, text, g, sizes, q) = ctx.parts();
    let mut pgroups = Vec::new();
    for i in 0..sizes.pgroups {
        let name = format!("pg{i}");
        let parent = if i > 0 && rng.chance(50) {
            format!(" in pg{}", rng.below(i))
        } else {
            String::new()
        };
        let mut members: Vec<String> = (0..rng.below(4))
            .filter(|_| !entities.is_empty())
            .map(|_| pick(rng, entities).clone())
            .collect();
        if joined && rng.chance(30) {
            members.push("p-dev".into());
        }
        members.sort();
        members.dedup();
        text.push_str(&format!(
            "  principal-group {name}{parent} {{ {} }}\n",
            members.join(", ")
        ));
        g.pgroups.push(q(&name));
        pgroups.push(name);
    }

    pgroups
}

/// Blocks of every scope form, some denies, some conditions.
fn blocks(
    ctx: &mut Ctx<'_>,
    groups: &[String],
    entities: &[String],
    resources: &[String],
) -> Vec<String> {
    let (rng, text, g, sizes, q) = ctx.parts();
    let mut blocks = Vec::new();
    for i in 0..sizes.blocks {
        let name = format!("b{i}");
        let effect = if rng.chance(25) { "deny" } else { "allow" };
        let group = groups.first().map(|_| pick(rng, groups).clone());
        let mut options: Vec<(&str, String)> = vec![
            ("read, write", "all".into()),
            ("read, publish", "resource".into()),
            ("publish, read", "resource:channel".into()),
            ("execute", "resource:report".into()),
            ("read", "entity:device".into()),
            ("manage, read", "credential".into()),
            ("read", "group".into()),
            ("read", "tenant".into()),
            ("rotate", "signing_key".into()),
        ];
        if !resources.is_empty() {
            options.push(("read", pick(rng, resources).clone()));
        }
        if !entities.is_empty() {
            options.push(("read, write", pick(rng, entities).clone()));
        }
        if let Some(gname) = &group {
            let rel = *pick(rng, &["in", "within", "beneath"]);
            options.push(("publish, read", format!("resource:channel {rel} {gname}")));
            options.push(("execute", format!("resource:report {rel} {gname}")));
            options.push(("read", format!("group {rel} {gname}")));
            options.push(("read, publish", format!("resource {rel} {gname}")));
            options.push(("read", format!("entity {rel} {gname}")));
            options.push(("read, write", format!("all {rel} {gname}")));
            options.push(("manage, read", format!("credential {rel} {gname}")));
            options.push(("read", gname.clone()));
        }
        let (actions, scope) = pick(rng, &options).clone();
        let conditions: Vec<&str> = (0..rng.below(3)).map(|_| *pick(rng, CONDITIONS)).collect();
        let when = if conditions.is_empty() {
            String::new()
        } else {
            format!(" when {}", conditions.join(" and "))
        };
        text.push_str(&format!(
            "  block {name} {{ {effect} {actions} on {scope}{when} }}\n"
        ));
        g.objects.push(q(&name));
        blocks.push(name);
    }
    blocks
}

/// Roles of random blocks, some including an earlier role.
fn roles(ctx: &mut Ctx<'_>, blocks: &[String]) -> Vec<String> {
    let (rng, text, g, sizes, q) = ctx.parts();
    let mut roles = Vec::new();
    for i in 0..sizes.roles {
        let name = format!("ro{i}");
        let mut items: Vec<String> = (0..1 + rng.below(3))
            .filter(|_| !blocks.is_empty())
            .map(|_| pick(rng, blocks).clone())
            .collect();
        if i > 0 && rng.chance(40) {
            items.push(format!("ro{}", rng.below(i)));
        }
        items.sort();
        items.dedup();
        text.push_str(&format!("  role {name} {{ {} }}\n", items.join(", ")));
        g.objects.push(q(&name));
        roles.push(name);
    }
    roles
}

/// Assignments and direct grants to random subjects.
fn statements(
    ctx: &mut Ctx<'_>,
    entities: &[String],
    pgroups: &[String],
    joined: bool,
    blocks: &[String],
    roles: &[String],
) {
    let (rng, text, _, sizes, _) = ctx.parts();
    let mut subjects: Vec<String> = entities.iter().chain(pgroups.iter()).cloned().collect();
    if joined {
        subjects.push("p-dev".into());
    }
    for _ in 0..sizes.statements {
        if subjects.is_empty() {
            break;
        }
        let who: Vec<String> = (0..1 + rng.below(2))
            .map(|_| pick(rng, &subjects).clone())
            .collect();
        if !roles.is_empty() && rng.chance(60) {
            text.push_str(&format!(
                "  assign {} to {}\n",
                pick(rng, roles),
                who.join(", ")
            ));
        } else if !blocks.is_empty() {
            text.push_str(&format!(
                "  grant {} to {}\n",
                pick(rng, blocks),
                who.join(", ")
            ));
        }
    }
}

/// A random request's parts: subject, action, object, context.
pub enum Who {
    Named(String),
    Described(DescribedSubject),
}

pub enum What {
    Named(String),
    Described(DescribedObject),
}

/// A request: subject, action, object, context.
pub type Parts = (Who, String, What, Vec<(String, Value)>);

/// The subject and object of generated parts, borrowed for a request.
pub fn targets<'a>(
    who: &'a Who,
    what: &'a What,
) -> (atom::eval::Subject<'a>, atom::eval::Object<'a>) {
    use atom::eval::{Object, Subject};
    let subject = match who {
        Who::Named(n) => Subject::Named(n),
        Who::Described(d) => Subject::Described(d),
    };
    let object = match what {
        What::Named(n) => Object::Named(n),
        What::Described(d) => Object::Described(d),
    };
    (subject, object)
}

pub fn request(rng: &mut SplitMix64, g: &Generated) -> Parts {
    let who = random_subject(rng, g);
    let action = pick(
        rng,
        &[
            "read",
            "write",
            "publish",
            "execute",
            "manage",
            "rotate",
            "subscribe",
            "fly",
        ],
    )
    .to_string();
    let what = random_object(rng, g);
    let context = random_context(rng, g);
    (who, action, what, context)
}

/// A named entity, a described subject (sometimes invalid), or nobody.
fn random_subject(rng: &mut SplitMix64, g: &Generated) -> Who {
    match rng.below(10) {
        0..=6 => Who::Named(pick(rng, &g.entities).clone()),
        7 | 8 => {
            let tenant = g.tenants.first().map(|_| pick(rng, &g.tenants).clone());
            // Mostly the tenant's own groups; sometimes any group (invalid
            // outside the tenant), or one that does not exist.
            let own: Vec<String> = g
                .pgroups
                .iter()
                .filter(|p| {
                    tenant
                        .as_ref()
                        .is_some_and(|t| p.starts_with(&format!("{t}/")))
                })
                .cloned()
                .collect();
            let pool = if own.is_empty() || rng.chance(10) {
                &g.pgroups
            } else {
                &own
            };
            let mut groups: Vec<String> = (0..rng.below(3))
                .filter(|_| !pool.is_empty())
                .map(|_| pick(rng, pool).clone())
                .collect();
            if rng.chance(5) {
                groups.push("t0/no-such-group".to_string());
            }
            Who::Described(described_subject(rng, tenant, groups))
        }
        _ => Who::Named("t0/nobody".into()),
    }
}

/// A named object, a described one (sometimes of an unknown type or
/// tenant), or something undeclared.
fn random_object(rng: &mut SplitMix64, g: &Generated) -> What {
    match rng.below(10) {
        0..=6 => What::Named(pick(rng, &g.objects).clone()),
        7 | 8 => What::Described(DescribedObject {
            id: "thing".into(),
            ty: pick(
                rng,
                &[
                    "resource:channel",
                    "resource:report",
                    "credential",
                    "group",
                    "resource:unknown",
                ],
            )
            .parse()
            .expect("object kinds of the vocabulary"),
            tenant: if rng.chance(85) && !g.tenants.is_empty() {
                Some(pick(rng, &g.tenants).clone())
            } else if rng.chance(50) {
                None
            } else {
                Some("nowhere".into())
            },
            group: (!g.groups.is_empty() && rng.chance(70)).then(|| pick(rng, &g.groups).clone()),
            attributes: vec![
                (
                    "site".into(),
                    Value::Str(pick(rng, &["a", "b"]).to_string()),
                ),
                ("env".into(), Value::Str("prod".into())),
                ("tags".into(), Value::List(vec![Value::Str("x".into())])),
            ],
        }),
        _ => What::Named(pick(rng, &["t0/ghost", "t0/pg0", "nowhere"]).to_string()),
    }
}

/// A context that satisfies some generated conditions and not others.
fn random_context(rng: &mut SplitMix64, g: &Generated) -> Vec<(String, Value)> {
    let mut context = Vec::new();
    if rng.chance(60) {
        context.push((
            "protocol".to_string(),
            Value::Str(pick(rng, &["mqtt", "http"]).to_string()),
        ));
    }
    if rng.chance(50) {
        context.push((
            "n".to_string(),
            if rng.chance(80) {
                Value::Int(rng.below(10) as i64)
            } else {
                {
                    let texts: [&str; 4] = ["4.5", "0.1", "9007199254740993.5", "-2.25"];
                    let text: &&str = pick(rng, &texts);
                    dec(text)
                }
            },
        ));
    }
    if rng.chance(40) {
        context.push((
            "at".to_string(),
            Value::Str(
                pick(
                    rng,
                    &["2025-06-01T00:00:00Z", "2026-03-01T12:00:00+01:00", "soon"],
                )
                .to_string(),
            ),
        ));
    }
    if rng.chance(30) && !g.groups.is_empty() {
        context.push((
            "group".to_string(),
            Value::Str(pick(rng, &g.groups).clone()),
        ));
    }
    if rng.chance(30) {
        context.push((
            "nested".to_string(),
            Value::Map(vec![("level".to_string(), Value::Int(rng.below(3) as i64))]),
        ));
    }
    if rng.chance(30) {
        context.push(("flag".to_string(), Value::Bool(rng.chance(50))));
    }
    if rng.chance(40) {
        let lists: [&[&str]; 4] = [&[], &["a"], &["a", "b"], &["b"]];
        let items = pick(rng, &lists).iter().map(|x| Value::Str(x.to_string()));
        context.push(("tags".to_string(), Value::List(items.collect())));
    }
    if rng.chance(40) {
        let s = pick(rng, &["ab", "xaby", "a", ""]).to_string();
        context.push(("s".to_string(), Value::Str(s)));
    }
    context
}

/// A decimal value from its text.
pub fn dec(text: &str) -> Value {
    Value::Dec(atom::eval::Decimal::parse(text).unwrap_or_else(|e| panic!("{text}: {e}")))
}

/// A described subject of a random kind and status (words outside the
/// vocabulary are the decoders' to refuse: `tests/described.rs`).
pub fn described_subject(
    rng: &mut SplitMix64,
    tenant: Option<String>,
    groups: Vec<String>,
) -> DescribedSubject {
    DescribedSubject {
        id: "visitor".into(),
        kind: *pick(
            rng,
            &[
                EntityKind::Device,
                EntityKind::Device,
                EntityKind::Human,
                EntityKind::Service,
            ],
        ),
        tenant,
        status: *pick(
            rng,
            &[
                EntityStatus::Active,
                EntityStatus::Active,
                EntityStatus::Active,
                EntityStatus::Inactive,
            ],
        ),
        groups,
        attributes: if rng.chance(70) {
            vec![
                (
                    "site".into(),
                    Value::Str(pick(rng, &["a", "b"]).to_string()),
                ),
                ("fw".into(), Value::Int(rng.below(4) as i64)),
            ]
        } else {
            vec![]
        },
    }
}

/// The generated text with guardrail lines dropped, last first, until no
/// A0006 remains; `None` when the set has any other error (a generator bug).
pub fn without_breached_guardrails(
    text: &str,
) -> Option<(String, atom::diag::SourceMap, atom::check::model::Model)> {
    let mut text = text.to_string();
    loop {
        let mut sources = atom::diag::SourceMap::new();
        sources.add("generated.atom", text.clone());
        let checked = atom::check::check_sources(&sources);
        if checked.diagnostics.iter().any(|d| d.code.id != "A0006") {
            return None;
        }
        if let Some(model) = checked.into_complete_model() {
            return Some((text, sources, model));
        }
        let lines: Vec<&str> = text.lines().collect();
        let last = lines
            .iter()
            .rposition(|l| l.trim_start().starts_with("guardrail "))?;
        text = lines
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != last)
            .map(|(_, l)| format!("{l}\n"))
            .collect();
    }
}

/// Random sizes for generated policy sets, small enough for many cases.
pub fn sizes() -> impl Strategy<Value = Sizes> {
    (
        1..=2usize,
        0..=4usize,
        1..=5usize,
        0..=5usize,
        0..=4usize,
        1..=7usize,
        0..=4usize,
        1..=7usize,
    )
        .prop_map(
            |(tenants, groups, entities, resources, pgroups, blocks, roles, statements)| Sizes {
                tenants,
                groups,
                entities,
                resources,
                pgroups,
                blocks,
                roles,
                statements,
            },
        )
}
