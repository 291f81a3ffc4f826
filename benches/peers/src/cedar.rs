//! Peers: the workload as Cedar policies and entities.
//!
//! Objects (entities included), principal groups and roles are Cedar
//! entities. A principal group's parents are its parent group and the roles
//! assigned to it; an entity's parents are its object group, the principal
//! groups it is a member of and the roles assigned to it; a role's parents
//! are the roles it includes (holding the outer role means holding the
//! inner). Each (role, block) and each direct grant is one `permit` or
//! `forbid`; applicability, subject status and tenant status are `forbid`
//! guards.

use std::str::FromStr;

use atom::check::model::{self as m, Model};
use cedar_policy::{Authorizer, Context, Entities, EntityUid, PolicySet, Request};
use serde_json::json;

use crate::{
    applicability, attributes_json, conditions, is_deny, object_facts, scope_kind, Cond, Req,
};

type Json = serde_json::Value;

fn lit(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

fn uid(ty: &str, id: &str) -> Json {
    json!({ "type": ty, "id": id })
}

pub struct CedarPeer {
    pub policies: PolicySet,
    pub entities: Entities,
    pub policy_count: usize,
}

fn block_condition(model: &Model, b: &m::Block) -> Result<String, String> {
    let mut parts = Vec::new();
    let tenant = model
        .object(b.object)
        .tenant
        .map(|t| model.tenants[t.index()].name.clone());
    if let Some(t) = tenant {
        parts.push(format!("resource.tenant == {}", lit(&t)));
    }
    let (kind, x, g) = scope_kind(model, crate::scope_of(b));
    let obj = |id: &str| format!("Atom::Object::{}", lit(id));
    match kind {
        "all" => {}
        "kind" => parts.push(format!("resource.kind == {}", lit(&x))),
        "type" => parts.push(format!("resource.type == {}", lit(&x))),
        "object" => parts.push(format!("resource == {}", obj(&x))),
        "type_in" => parts.push(format!("resource.type == {} && resource.group == {}", lit(&x), lit(&g))),
        "type_within" => parts.push(format!("resource.type == {} && resource in {}", lit(&x), obj(&g))),
        "type_beneath" => parts.push(format!("resource.type == {} && resource in {} && resource.group != {}", lit(&x), obj(&g), lit(&g))),
        "group_in" => parts.push(format!("resource.kind == \"group\" && resource.group == {}", lit(&g))),
        "group_within" => parts.push(format!("resource.kind == \"group\" && resource in {} && resource != {}", obj(&g), obj(&g))),
        "group_beneath" => parts.push(format!("resource.kind == \"group\" && resource in {} && resource.group != {} && resource != {}", obj(&g), lit(&g), obj(&g))),
        "kind_in" => parts.push(format!("resource.kind == {} && resource.group == {}", lit(&x), lit(&g))),
        "kind_within" => parts.push(format!("resource.kind == {} && resource in {} && resource != {}", lit(&x), obj(&g), obj(&g))),
        "kind_beneath" => parts.push(format!("resource.kind == {} && resource in {} && resource.group != {} && resource != {}", lit(&x), obj(&g), lit(&g), obj(&g))),
        "all_in" => parts.push(format!("resource.group == {}", lit(&g))),
        "all_within" => parts.push(format!("resource in {} && resource != {}", obj(&g), obj(&g))),
        "all_beneath" => parts.push(format!("resource in {} && resource.group != {} && resource != {}", obj(&g), lit(&g), obj(&g))),
        _ => return Err(format!("scope {kind}")),
    }
    for c in conditions(b)? {
        match c {
            Cond::AttrEq(k) => parts.push(format!(
                "principal.a has {k} && resource.a has {k} && principal.a.{k} == resource.a.{k}"
            )),
            Cond::CtxIn(k, values) => {
                let list: Vec<String> = values.iter().map(|v| lit(v)).collect();
                parts.push(format!(
                    "context has {k} && [{}].contains(context.{k})",
                    list.join(", ")
                ))
            }
        }
    }
    Ok(if parts.is_empty() {
        String::new()
    } else {
        format!(" when {{ {} }}", parts.join(" && "))
    })
}

impl CedarPeer {
    pub fn new(model: &Model) -> Result<CedarPeer, String> {
        let mut text = String::new();
        let mut count = 0;
        let mut policy = |text: &mut String,
                          effect: &str,
                          principal: &str,
                          b: &m::Block|
         -> Result<(), String> {
            let actions: Vec<String> = b
                .actions
                .iter()
                .map(|a| format!("Action::{}", lit(&model.actions[a.index()].name)))
                .collect();
            text.push_str(&format!(
                "{effect}(principal in {principal}, action in [{}], resource){};\n",
                actions.join(", "),
                block_condition(model, b)?
            ));
            count += 1;
            Ok(())
        };
        for (r, role) in model.roles.iter().enumerate() {
            for (item, _) in &role.items {
                if let m::RoleItem::Block(b) = item {
                    let block = model.block(*b);
                    let principal =
                        format!("Atom::Role::{}", lit(&model.role_name(m::RoleId(r as u32))));
                    policy(
                        &mut text,
                        if is_deny(block) { "forbid" } else { "permit" },
                        &principal,
                        block,
                    )?;
                }
            }
        }
        for g in &model.grants {
            if let m::Given::Block(b) = g.given {
                for (s, _) in &g.subjects {
                    let principal = match s {
                        m::Subject::Entity(e) => {
                            format!("Atom::Object::{}", lit(&model.entity_name(*e)))
                        }
                        m::Subject::Group(pg) => {
                            format!("Atom::Group::{}", lit(&model.group_name(*pg)))
                        }
                    };
                    let block = model.block(b);
                    policy(
                        &mut text,
                        if is_deny(block) { "forbid" } else { "permit" },
                        &principal,
                        block,
                    )?;
                }
            }
        }
        for (action, (kinds, types)) in applicability(model) {
            let mut rows: Vec<String> = kinds
                .iter()
                .map(|k| format!("resource.kind == {}", lit(k)))
                .collect();
            rows.extend(types.iter().map(|t| format!("resource.type == {}", lit(t))));
            let unless = if rows.is_empty() {
                "false".to_string()
            } else {
                rows.join(" || ")
            };
            text.push_str(&format!(
                "forbid(principal, action == Action::{}, resource) unless {{ {unless} }};\n",
                lit(&action)
            ));
        }
        text.push_str("forbid(principal, action, resource) unless { principal has status && principal.status == \"active\" };\n");
        text.push_str(
            "forbid(principal, action, resource) when { resource.tenant_status != \"active\" };\n",
        );
        let policies = PolicySet::from_str(&text).map_err(|e| format!("cedar policies: {e}"))?;

        // Entities.
        let mut entities = Vec::new();
        let mut entity_parents: Vec<Vec<Json>> = vec![Vec::new(); model.entities.len()];
        let mut group_parents: Vec<Vec<Json>> = model
            .principal_groups
            .iter()
            .map(|g| {
                g.parent
                    .map(|p| uid("Atom::Group", &model.group_name(p)))
                    .into_iter()
                    .collect()
            })
            .collect();
        for (i, g) in model.principal_groups.iter().enumerate() {
            for e in &g.members {
                entity_parents[e.index()].push(uid(
                    "Atom::Group",
                    &model.group_name(m::PrincipalGroupId(i as u32)),
                ));
            }
        }
        for g in &model.grants {
            if let m::Given::Role(r) = g.given {
                let role = uid("Atom::Role", &model.role_name(r));
                for (s, _) in &g.subjects {
                    match s {
                        m::Subject::Entity(e) => entity_parents[e.index()].push(role.clone()),
                        m::Subject::Group(pg) => group_parents[pg.index()].push(role.clone()),
                    }
                }
            }
        }
        for (i, o) in model.objects.iter().enumerate() {
            let id = m::ObjectId(i as u32);
            let f = object_facts(model, id);
            let mut parents: Vec<Json> = f
                .ancestors
                .first()
                .map(|g| uid("Atom::Object", g))
                .into_iter()
                .collect();
            let mut attrs = json!({
                "kind": f.kind, "type": f.ty, "tenant": f.tenant, "tenant_status": f.tenant_status, "group": f.group,
                "a": attributes_json(&o.attributes),
            });
            if let m::ObjectRole::Entity(e) = o.role {
                parents.extend(entity_parents[e.index()].iter().cloned());
                let status = match model.entity(e).status {
                    m::EntityStatus::Active => "active",
                    m::EntityStatus::Inactive => "inactive",
                    m::EntityStatus::Suspended => "suspended",
                };
                attrs["status"] = json!(status);
            }
            entities.push(json!({ "uid": uid("Atom::Object", &model.qualified_name(id)), "attrs": attrs, "parents": parents }));
        }
        for (i, parents) in group_parents.into_iter().enumerate() {
            entities.push(json!({ "uid": uid("Atom::Group", &model.group_name(m::PrincipalGroupId(i as u32))), "attrs": {}, "parents": parents }));
        }
        for (r, role) in model.roles.iter().enumerate() {
            let parents: Vec<Json> = role
                .items
                .iter()
                .filter_map(|(item, _)| match item {
                    m::RoleItem::Role(inner) => Some(uid("Atom::Role", &model.role_name(*inner))),
                    m::RoleItem::Block(_) => None,
                })
                .collect();
            entities.push(json!({ "uid": uid("Atom::Role", &model.role_name(m::RoleId(r as u32))), "attrs": {}, "parents": parents }));
        }
        let entities = Entities::from_json_value(Json::Array(entities), None)
            .map_err(|e| format!("cedar entities: {e}"))?;
        Ok(CedarPeer {
            policies,
            entities,
            policy_count: count,
        })
    }

    /// The request as Cedar parts (built once per request, outside the timed loop).
    pub fn request(&self, r: &Req) -> Request {
        let p = EntityUid::from_str(&format!("Atom::Object::{}", lit(&r.subject)))
            .expect("a valid uid");
        let a = EntityUid::from_str(&format!("Action::{}", lit(&r.action))).expect("a valid uid");
        let o =
            EntityUid::from_str(&format!("Atom::Object::{}", lit(&r.object))).expect("a valid uid");
        let context = Context::from_json_value(json!({ "protocol": r.protocol }), None)
            .expect("a valid context");
        Request::new(p, a, o, context, None).expect("a valid request")
    }

    pub fn decide(&self, authorizer: &Authorizer, request: &Request) -> bool {
        authorizer
            .is_authorized(request, &self.policies, &self.entities)
            .decision()
            == cedar_policy::Decision::Allow
    }
}
