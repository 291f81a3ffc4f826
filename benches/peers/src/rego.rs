//! Peers: the workload as a Rego policy over a data document, run by
//! regorus's interpreter and as a compiled RVM program.
//!
//! The data holds what atom's table holds: per subject, its status,
//! attributes and the blocks it receives for each action (flattened through
//! groups and roles); per object, its kind, type, tenant, parent group and
//! ancestor groups; the blocks with their boundary, scope and conditions;
//! applicability; tenant statuses. The policy is a deny-overrides rule.

use std::sync::Arc;

use atom::check::model::{self as m, Model};
use regorus::languages::rego::compiler::Compiler;
use regorus::rvm::program::Program;
use regorus::rvm::vm::RegoVM;
use regorus::{Engine, Value};
use serde_json::{json, Map, Value as Json};

use crate::{
    applicability, attributes_json, conditions, is_deny, object_facts, scope_kind, Cond, Req,
};

pub const POLICY: &str = r#"package atom
import rego.v1

default allow := false

subject := data.atom.subjects[input.subject]
object := data.atom.objects[input.object]

applicable if data.atom.actions[input.action].kinds[object.kind]
applicable if data.atom.actions[input.action].types[object.type]

tenant_ok if object.tenant == ""
tenant_ok if data.atom.tenants[object.tenant] == "active"

in_boundary(block) if block.tenant == ""
in_boundary(block) if block.tenant == object.tenant

scope_ok(block) if block.scope == "all"
scope_ok(block) if { block.scope == "kind"; object.kind == block.x }
scope_ok(block) if { block.scope == "type"; object.type == block.x }
scope_ok(block) if { block.scope == "object"; input.object == block.x }
scope_ok(block) if { block.scope == "type_in"; object.type == block.x; object.group == block.g }
scope_ok(block) if { block.scope == "type_within"; object.type == block.x; object.ancestors[block.g] }
scope_ok(block) if { block.scope == "type_beneath"; object.type == block.x; object.ancestors[block.g]; object.group != block.g }
scope_ok(block) if { block.scope == "group_in"; object.kind == "group"; object.group == block.g }
scope_ok(block) if { block.scope == "group_within"; object.kind == "group"; object.ancestors[block.g] }
scope_ok(block) if { block.scope == "group_beneath"; object.kind == "group"; object.ancestors[block.g]; object.group != block.g }
scope_ok(block) if { block.scope == "kind_in"; object.kind == block.x; object.group == block.g }
scope_ok(block) if { block.scope == "kind_within"; object.kind == block.x; object.ancestors[block.g] }
scope_ok(block) if { block.scope == "kind_beneath"; object.kind == block.x; object.ancestors[block.g]; object.group != block.g }
scope_ok(block) if { block.scope == "all_in"; object.group == block.g }
scope_ok(block) if { block.scope == "all_within"; object.ancestors[block.g] }
scope_ok(block) if { block.scope == "all_beneath"; object.ancestors[block.g]; object.group != block.g }

cond_ok(c) if { c.op == "attr_eq"; subject.attrs[c.key] == object.attrs[c.key] }
cond_ok(c) if { c.op == "ctx_in"; input.context[c.key] in c.values }

failing(block) if { some c in block.conds; not cond_ok(c) }

matches(b) if {
	block := data.atom.blocks[b]
	in_boundary(block)
	scope_ok(block)
	not failing(block)
}

deny if {
	some b in subject.grants[input.action]
	data.atom.blocks[b].deny
	matches(b)
}

allow if {
	subject.status == "active"
	tenant_ok
	applicable
	not deny
	some b in subject.grants[input.action]
	not data.atom.blocks[b].deny
	matches(b)
}
"#;

/// The data document.
pub fn data(model: &Model) -> Result<Json, String> {
    let entity_grants = model.entity_grants();
    let mut subjects = Map::new();
    for (e, entity) in model.entities.iter().enumerate() {
        let mut by_action: std::collections::BTreeMap<String, Vec<u32>> = Default::default();
        for (b, _) in &entity_grants[e] {
            for a in &model.block(*b).actions {
                let list = by_action
                    .entry(model.actions[a.index()].name.clone())
                    .or_default();
                if !list.contains(&b.0) {
                    list.push(b.0);
                }
            }
        }
        let status = match entity.status {
            m::EntityStatus::Active => "active",
            m::EntityStatus::Inactive => "inactive",
            m::EntityStatus::Suspended => "suspended",
        };
        subjects.insert(
            model.entity_name(m::EntityId(e as u32)),
            json!({ "status": status, "attrs": attributes_json(&model.object(entity.object).attributes), "grants": by_action }),
        );
    }
    let mut objects = Map::new();
    for (i, o) in model.objects.iter().enumerate() {
        let id = m::ObjectId(i as u32);
        let f = object_facts(model, id);
        let ancestors: Map<String, Json> = f
            .ancestors
            .iter()
            .map(|g| (g.clone(), json!(true)))
            .collect();
        objects.insert(
            model.qualified_name(id),
            json!({ "kind": f.kind, "type": f.ty, "tenant": f.tenant, "group": f.group, "ancestors": ancestors, "attrs": attributes_json(&o.attributes) }),
        );
    }
    let mut blocks = Vec::new();
    for b in &model.blocks {
        let (scope, x, g) = scope_kind(model, crate::scope_of(b));
        let conds: Vec<Json> = conditions(b)?
            .into_iter()
            .map(|c| match c {
                Cond::AttrEq(k) => json!({ "op": "attr_eq", "key": k }),
                Cond::CtxIn(k, v) => json!({ "op": "ctx_in", "key": k, "values": v }),
            })
            .collect();
        let tenant = model
            .object(b.object)
            .tenant
            .map(|t| model.tenants[t.index()].name.clone())
            .unwrap_or_default();
        blocks.push(json!({ "deny": is_deny(b), "tenant": tenant, "scope": scope, "x": x, "g": g, "conds": conds }));
    }
    let actions: Map<String, Json> = applicability(model)
        .into_iter()
        .map(|(a, (kinds, types))| {
            let set =
                |v: Vec<String>| Json::Object(v.into_iter().map(|k| (k, json!(true))).collect());
            (a, json!({ "kinds": set(kinds), "types": set(types) }))
        })
        .collect();
    let tenants: Map<String, Json> = model
        .tenants
        .iter()
        .map(|t| {
            (
                t.name.clone(),
                json!(if t.status == m::TenantStatus::Active {
                    "active"
                } else {
                    "inactive"
                }),
            )
        })
        .collect();
    Ok(
        json!({ "atom": { "subjects": subjects, "objects": objects, "blocks": blocks, "actions": actions, "tenants": tenants } }),
    )
}

pub fn input(r: &Req) -> Value {
    let j = json!({ "subject": r.subject, "action": r.action, "object": r.object, "context": { "protocol": r.protocol } });
    Value::from_json_str(&j.to_string()).expect("valid input")
}

/// The interpreter, with policy and data loaded.
pub struct RegoInterpreter {
    pub engine: Engine,
}

impl RegoInterpreter {
    pub fn new(data: &Json) -> Result<Self, String> {
        let mut engine = Engine::new();
        engine
            .add_policy("atom.rego".to_string(), POLICY.to_string())
            .map_err(|e| e.to_string())?;
        engine
            .add_data(Value::from_json_str(&data.to_string()).map_err(|e| e.to_string())?)
            .map_err(|e| e.to_string())?;
        Ok(RegoInterpreter { engine })
    }

    pub fn decide(&mut self, input: &Value) -> bool {
        self.engine.set_input(input.clone());
        self.engine
            .eval_rule("data.atom.allow".to_string())
            .map(|v| v == Value::from(true))
            .unwrap_or(false)
    }
}

/// The compiled RVM program in a VM, with data loaded.
pub struct RegoVm {
    pub vm: RegoVM,
    pub program: Arc<Program>,
}

impl RegoVm {
    pub fn new(data: &Json) -> Result<Self, String> {
        let mut engine = Engine::new();
        engine
            .add_policy("atom.rego".to_string(), POLICY.to_string())
            .map_err(|e| e.to_string())?;
        let entry: regorus::Rc<str> = "data.atom.allow".into();
        let compiled = engine
            .compile_with_entrypoint(&entry)
            .map_err(|e| e.to_string())?;
        let program = Compiler::compile_from_policy(&compiled, &["data.atom.allow"])
            .map_err(|e| e.to_string())?;
        let mut vm = RegoVM::new();
        vm.load_program(program.clone());
        vm.set_data(Value::from_json_str(&data.to_string()).map_err(|e| e.to_string())?)
            .map_err(|e| e.to_string())?;
        Ok(RegoVm { vm, program })
    }

    pub fn decide(&mut self, input: &Value) -> bool {
        self.vm.set_input(input.clone());
        self.vm
            .execute()
            .map(|v| v == Value::from(true))
            .unwrap_or(false)
    }
}
