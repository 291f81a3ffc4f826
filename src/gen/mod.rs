//! Workload generation: deterministic, valid policy sets of any size, for
//! scale tests and benchmarks.
//!
//! [`generate`] writes a vocabulary file and one file per tenant. Each tenant
//! has a tree of object groups (sites, lines, cells), devices, humans and
//! services, channels, reports and credentials in those groups, principal
//! groups (some nested), blocks of every scope form (about 10% deny, 10%
//! conditional), roles (some including earlier roles), assignments and
//! direct grants. The output checks clean: no grant reaches a guardrail.
//!
//! Randomness comes from SplitMix64 seeded by the caller, so a seed and a
//! shape always give the same bytes (a general-purpose RNG crate does not
//! promise a stable stream across its versions).

use std::fmt::Write;

/// SplitMix64: a tiny, well-known generator with a fixed output stream.
#[derive(Clone, Debug)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    pub fn new(seed: u64) -> Self {
        SplitMix64(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`; 0 for `n == 0`).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next_u64() % n as u64) as usize
        }
    }

    /// True with probability `percent`/100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }
}

/// How much of everything a generated policy set has.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Shape {
    pub tenants: usize,
    /// Per tenant, from here on.
    pub devices: usize,
    pub humans: usize,
    pub services: usize,
    pub channels: usize,
    pub reports: usize,
    pub credentials: usize,
    /// Sites; each has 3 lines of 2 cells.
    pub sites: usize,
    pub principal_groups: usize,
    pub blocks: usize,
    pub roles: usize,
    /// The share of blocks with a condition, in percent.
    pub conditional_percent: u64,
}

impl Shape {
    /// The standard shape at scale `s`: about 1,000 devices and 400 blocks
    /// per unit of scale, in two tenants per unit.
    pub fn scale(s: usize) -> Shape {
        Shape {
            tenants: 2 * s.max(1),
            devices: 500,
            humans: 50,
            services: 10,
            channels: 100,
            reports: 20,
            credentials: 30,
            sites: 4,
            principal_groups: 50,
            blocks: 200,
            roles: 20,
            conditional_percent: 10,
        }
    }

    /// The shape of the checker's scale target: per 20 tenants, 100,000
    /// entities, 10,000 blocks, 2,000 roles and 1,000 principal groups.
    pub fn large(tenants: usize) -> Shape {
        Shape {
            tenants: tenants.max(1),
            devices: 4_500,
            humans: 400,
            services: 100,
            channels: 300,
            reports: 50,
            credentials: 100,
            sites: 6,
            principal_groups: 50,
            blocks: 500,
            roles: 100,
            conditional_percent: 10,
        }
    }

    pub fn total_blocks(&self) -> usize {
        self.tenants * self.blocks
    }

    pub fn total_entities(&self) -> usize {
        self.tenants * (self.devices + self.humans + self.services)
    }
}

/// One generated file.
#[derive(Clone, Debug)]
pub struct GeneratedFile {
    pub name: String,
    pub text: String,
}

/// The platform vocabulary every generated tenant uses.
pub const VOCABULARY: &str = "\
// Generated workload: the platform vocabulary.
action read, write, delete on entity, resource, group, tenant, role, policy, credential, audit_log
action publish, subscribe on resource:channel
action execute on resource:report
action manage, revoke on credential
action policy.manage, role.manage on role, policy
type resource:channel, resource:report
guardrail allow device publish, subscribe on resource:channel
guardrail deny device policy.manage on policy absolute
guardrail deny device role.manage on role absolute
guardrail deny service role.manage on role
";

/// Generates a policy set: `vocabulary.atom`, then `tenant-N.atom` files.
/// The table a generated set compiles to (for benchmarks). `None` if the
/// set does not check clean, which would be a generator bug.
pub fn compiled(seed: u64, shape: &Shape) -> Option<Vec<u8>> {
    let mut sources = crate::diag::SourceMap::new();
    for f in generate(seed, shape) {
        sources.add(f.name, f.text);
    }
    let model = crate::check::check_sources(&sources).into_complete_model()?;
    Some(crate::compile::compile(
        &model,
        crate::compile::source_hash(&sources),
    ))
}

pub fn generate(seed: u64, shape: &Shape) -> Vec<GeneratedFile> {
    let mut files = vec![GeneratedFile {
        name: "vocabulary.atom".to_string(),
        text: VOCABULARY.to_string(),
    }];
    for t in 0..shape.tenants {
        let mut rng = SplitMix64::new(seed ^ (t as u64).wrapping_mul(0xA24B_AED4_963E_E407));
        files.push(GeneratedFile {
            name: format!("tenant-{t}.atom"),
            text: tenant(t, shape, &mut rng),
        });
    }
    files
}

struct Groups {
    sites: Vec<String>,
    lines: Vec<String>,
    cells: Vec<String>,
}

impl Groups {
    fn any(&self, rng: &mut SplitMix64) -> &str {
        let all = self.sites.len() + self.lines.len() + self.cells.len();
        let i = rng.below(all);
        if i < self.sites.len() {
            &self.sites[i]
        } else if i < self.sites.len() + self.lines.len() {
            &self.lines[i - self.sites.len()]
        } else {
            &self.cells[i - self.sites.len() - self.lines.len()]
        }
    }
}

fn tenant(t: usize, shape: &Shape, rng: &mut SplitMix64) -> String {
    let mut out = String::new();
    // `write!` to a `String` cannot fail; results are ignored below.
    let _ = writeln!(out, "// Generated workload: tenant {t}.\ntenant t{t} {{");
    let _ = writeln!(
        out,
        "  attributes {{ tier = \"{}\" }}",
        ["gold", "silver"][t % 2]
    );
    let groups = object_groups(&mut out, shape);
    objects(&mut out, shape, &groups, rng);
    principal_groups(&mut out, shape, rng);
    blocks(&mut out, shape, &groups, rng);
    roles_and_statements(&mut out, shape, rng);
    let _ = writeln!(out, "}}");
    out
}

/// The tree of object groups: sites, 3 lines each, 2 cells each.
fn object_groups(out: &mut String, shape: &Shape) -> Groups {
    let mut groups = Groups {
        sites: Vec::new(),
        lines: Vec::new(),
        cells: Vec::new(),
    };
    for s in 0..shape.sites.max(1) {
        let site = format!("site-{s}");
        let _ = writeln!(out, "  object-group {site} {{ site = \"{site}\" }}");
        for l in 0..3 {
            let line = format!("line-{s}-{l}");
            let _ = writeln!(out, "  object-group {line} in {site}");
            for c in 0..2 {
                let cell = format!("cell-{s}-{l}-{c}");
                let _ = writeln!(out, "  object-group {cell} in {line}");
                groups.cells.push(cell);
            }
            groups.lines.push(line);
        }
        groups.sites.push(site);
    }
    groups
}

/// Entities, resources and credentials.
fn objects(out: &mut String, shape: &Shape, groups: &Groups, rng: &mut SplitMix64) {
    let sites = groups.sites.len();
    for d in 0..shape.devices {
        let cell = &groups.cells[rng.below(groups.cells.len())];
        let status = if rng.chance(3) { " inactive" } else { "" };
        let _ = writeln!(
            out,
            "  entity device dev-{d} in {cell}{status} {{ site = \"site-{}\", fw = {} }}",
            rng.below(sites),
            rng.below(5)
        );
    }
    for h in 0..shape.humans {
        let _ = writeln!(
            out,
            "  entity human user-{h} {{ site = \"site-{}\", team = \"t{}\" }}",
            rng.below(sites),
            h % 4
        );
    }
    for s in 0..shape.services {
        let _ = writeln!(
            out,
            "  entity service svc-{s} {{ site = \"site-{}\" }}",
            rng.below(sites)
        );
    }
    for c in 0..shape.channels {
        let group = groups.any(rng).to_string();
        let _ = writeln!(
            out,
            "  resource channel ch-{c} in {group} {{ site = \"site-{}\", env = \"{}\" }}",
            rng.below(sites),
            ["prod", "test"][rng.below(2)]
        );
    }
    for r in 0..shape.reports {
        let group = groups.any(rng).to_string();
        let _ = writeln!(out, "  resource report rep-{r} in {group}");
    }
    for c in 0..shape.credentials {
        let _ = writeln!(
            out,
            "  object credential cred-{c} {{ owner = \"user-{}\" }}",
            rng.below(shape.humans.max(1))
        );
    }
}

/// Principal groups: even ones hold devices, odd ones humans and services;
/// a quarter nest under an earlier group holding the same kind.
fn principal_groups(out: &mut String, shape: &Shape, rng: &mut SplitMix64) {
    for g in 0..shape.principal_groups {
        let devices = g % 2 == 0;
        let parent = if g >= 2 && rng.chance(25) {
            let p = g - 2 * (1 + rng.below(g / 2));
            format!(" in pg-{p}")
        } else {
            String::new()
        };
        let members: Vec<String> = (0..1 + rng.below(12))
            .map(|_| {
                if devices {
                    format!("dev-{}", rng.below(shape.devices.max(1)))
                } else if rng.chance(80) || shape.services == 0 {
                    format!("user-{}", rng.below(shape.humans.max(1)))
                } else {
                    format!("svc-{}", rng.below(shape.services))
                }
            })
            .filter(|m| !(m.starts_with("dev-") && shape.devices == 0))
            .filter(|m| !(m.starts_with("user-") && shape.humans == 0))
            .collect();
        let mut unique = members;
        unique.sort();
        unique.dedup();
        let _ = writeln!(
            out,
            "  principal-group pg-{g}{parent} {{ {} }}",
            unique.join(", ")
        );
    }
}

/// Blocks cycle through the scope forms; the actions fit the target.
fn blocks(out: &mut String, shape: &Shape, groups: &Groups, rng: &mut SplitMix64) {
    for b in 0..shape.blocks {
        let effect = if rng.chance(10) { "deny" } else { "allow" };
        let group = groups.any(rng).to_string();
        let (actions, scope) = match b % 10 {
            0 => ("read", "all".to_string()),
            1 => ("read, write", "resource".to_string()),
            2 => ("publish, subscribe", "resource:channel".to_string()),
            3 => (
                "publish",
                format!("ch-{}", rng.below(shape.channels.max(1))),
            ),
            4 => ("subscribe, read", format!("resource:channel in {group}")),
            5 => ("publish", format!("resource:channel beneath {group}")),
            6 => ("execute", format!("resource:report within {group}")),
            7 => ("read", format!("group within {group}")),
            8 => ("manage", "credential".to_string()),
            _ => ("read", format!("group in {group}")),
        };
        let scope = if scope.starts_with("ch-") && shape.channels == 0 {
            "resource:channel".to_string()
        } else {
            scope
        };
        let condition = if rng.chance(shape.conditional_percent) {
            if rng.chance(50) {
                " when entity.attributes.site == object.attributes.site"
            } else {
                " when context.protocol in [\"mqtt\", \"coap\"]"
            }
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "  block b-{b} {{ {effect} {actions} on {scope}{condition} }}"
        );
    }
}

/// Roles (3 to 8 blocks each; a fifth include an earlier role), their
/// assignments to every principal group, and direct grants to every 25th device.
fn roles_and_statements(out: &mut String, shape: &Shape, rng: &mut SplitMix64) {
    for r in 0..shape.roles {
        let mut items: Vec<String> = (0..3 + rng.below(6))
            .map(|_| format!("b-{}", rng.below(shape.blocks.max(1))))
            .collect();
        if r > 0 && rng.chance(20) {
            items.push(format!("role-{}", rng.below(r)));
        }
        items.sort();
        items.dedup();
        if shape.blocks == 0 {
            items.retain(|i| i.starts_with("role-"));
        }
        let _ = writeln!(out, "  role role-{r} {{ {} }}", items.join(", "));
    }
    if shape.roles > 0 {
        for g in 0..shape.principal_groups {
            for _ in 0..1 + rng.below(2) {
                let _ = writeln!(out, "  assign role-{} to pg-{g}", rng.below(shape.roles));
            }
        }
    }
    if shape.blocks > 0 {
        for d in 0..shape.devices / 25 {
            let _ = writeln!(
                out,
                "  grant b-{} to dev-{}",
                rng.below(shape.blocks),
                d * 25
            );
        }
    }
}

/// A generated request by names: subject, action, object, and whether it
/// carries the context the generated conditions look for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GeneratedRequest {
    pub subject: String,
    pub action: String,
    pub object: String,
}

/// A deterministic stream of requests against a set generated with the
/// same shape: mostly devices publishing to or reading channels of their
/// own tenant, plus humans and services on reports, credentials and groups.
pub fn requests(seed: u64, shape: &Shape, n: usize) -> Vec<GeneratedRequest> {
    let mut rng = SplitMix64::new(seed ^ 0x00C0_FFEE);
    (0..n)
        .map(|_| {
            let t = rng.below(shape.tenants.max(1));
            let subject = match rng.below(10) {
                0..=6 if shape.devices > 0 => format!("t{t}/dev-{}", rng.below(shape.devices)),
                7 | 8 if shape.humans > 0 => format!("t{t}/user-{}", rng.below(shape.humans)),
                _ if shape.services > 0 => format!("t{t}/svc-{}", rng.below(shape.services)),
                _ => format!("t{t}/dev-0"),
            };
            let (action, object) = match rng.below(10) {
                0..=5 if shape.channels > 0 => (
                    ["publish", "subscribe", "read"][rng.below(3)],
                    format!("t{t}/ch-{}", rng.below(shape.channels)),
                ),
                6 | 7 if shape.reports > 0 => (
                    ["execute", "read"][rng.below(2)],
                    format!("t{t}/rep-{}", rng.below(shape.reports)),
                ),
                8 if shape.credentials > 0 => (
                    "manage",
                    format!("t{t}/cred-{}", rng.below(shape.credentials)),
                ),
                _ => (
                    "read",
                    format!("t{t}/site-{}", rng.below(shape.sites.max(1))),
                ),
            };
            GeneratedRequest {
                subject,
                action: action.to_string(),
                object,
            }
        })
        .collect()
}

/// An undeclared device in the tenant of a generated request's subject,
/// described as a member of that tenant's first two device groups (`pg-0`
/// and `pg-2`): the described-subject counterpart of `requests`.
pub fn described_device(request: &GeneratedRequest) -> crate::eval::DescribedSubject {
    let tenant = request
        .subject
        .split('/')
        .next()
        .unwrap_or("t0")
        .to_string();
    crate::eval::DescribedSubject {
        id: "new-device".into(),
        kind: crate::kinds::EntityKind::Device,
        groups: vec![format!("{tenant}/pg-0"), format!("{tenant}/pg-2")],
        tenant: Some(tenant),
        status: crate::kinds::EntityStatus::Active,
        attributes: vec![("site".into(), crate::eval::Value::Str("site-0".into()))],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_bytes() {
        let a = generate(7, &Shape::scale(1));
        let b = generate(7, &Shape::scale(1));
        let c = generate(8, &Shape::scale(1));
        assert_eq!(a.len(), 3);
        assert!(a.iter().zip(&b).all(|(x, y)| x.text == y.text));
        assert!(a.iter().zip(&c).skip(1).any(|(x, y)| x.text != y.text));
    }

    #[test]
    fn splitmix_matches_its_reference_stream() {
        // The first outputs of SplitMix64 seeded with 0, as published with the algorithm.
        let mut r = SplitMix64::new(0);
        assert_eq!(r.next_u64(), 0xE220_A839_7B1D_CDAF);
        assert_eq!(r.next_u64(), 0x6E78_9E6A_A1B9_65F4);
    }
}
