//! Compile: the string table, sorted and without duplicates, so that string
//! ids order as the strings do (the evaluator binary-searches map keys).

use std::collections::{BTreeMap, BTreeSet};

use crate::check::model::{self as m, Model, Value};

pub(super) struct Strings {
    ids: BTreeMap<String, u32>,
}

fn value_strings(v: &Value, out: &mut BTreeSet<String>) {
    match v {
        Value::Str(s) => {
            out.insert(s.clone());
        }
        Value::List(items) => items.iter().for_each(|i| value_strings(i, out)),
        Value::Map(entries) => attribute_strings(entries, out),
        Value::Dec(d) => {
            out.insert(d.as_str().to_string());
        }
        Value::Int(_) | Value::Bool(_) => {}
    }
}

fn attribute_strings(attrs: &m::Attributes, out: &mut BTreeSet<String>) {
    for (k, v) in attrs {
        out.insert(k.clone());
        value_strings(v, out);
    }
}

impl Strings {
    /// Every string the table will hold.
    pub fn collect(model: &Model) -> Strings {
        let mut set = BTreeSet::new();
        for i in 0..model.types.len() {
            set.insert(model.type_name(m::TypeId(i as u32)));
        }
        for a in &model.actions {
            set.insert(a.name.clone());
        }
        for t in &model.tenants {
            set.insert(t.name.clone());
            attribute_strings(&t.attributes, &mut set);
        }
        for (i, o) in model.objects.iter().enumerate() {
            set.insert(model.qualified_name(m::ObjectId(i as u32)));
            set.extend(o.doc.clone());
            attribute_strings(&o.attributes, &mut set);
        }
        for g in 0..model.principal_groups.len() {
            set.insert(model.group_name(m::PrincipalGroupId(g as u32)));
        }
        for g in 0..model.guardrails.len() {
            set.insert(model.guardrail_text(m::GuardrailId(g as u32)));
        }
        for b in &model.blocks {
            for c in b.checked_conditions() {
                set.extend(c.left.keys.iter().cloned());
                match &c.right {
                    m::Operand::Path(p) => set.extend(p.keys.iter().cloned()),
                    m::Operand::Value(v) => value_strings(v, &mut set),
                }
            }
        }
        let ids = set
            .into_iter()
            .enumerate()
            .map(|(i, s)| (s, i as u32))
            .collect();
        Strings { ids }
    }

    /// The id of a collected string. Every string the compiler writes was
    /// collected above from the same model, so a miss is a compiler bug; it
    /// maps to an id the loader rejects rather than to a wrong string.
    pub fn id(&self, s: &str) -> u32 {
        self.ids.get(s).copied().unwrap_or(u32::MAX)
    }

    /// The strings in id order.
    pub fn all(&self) -> impl Iterator<Item = &str> {
        self.ids.keys().map(String::as_str)
    }
}
