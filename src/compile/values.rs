//! Compile: attribute maps and condition constants as `VALUES` and `MAP_ENTRIES`
//! records, each list's items and map's values placed after it (the loader
//! relies on that order to rule out cycles).

use super::strings::Strings;
use crate::check::model::{Attributes, Value};
use crate::table::format::tag;
use crate::table::records::{MapEntryRec, Record, ValueRec};

#[derive(Default)]
pub(super) struct Values {
    values: Vec<(u8, u64)>,
    entries: Vec<(u32, u32)>,
}

impl Values {
    /// A value's index.
    pub fn value(&mut self, v: &Value, strings: &Strings) -> u32 {
        let at = self.values.len();
        self.values.push((0, 0));
        self.fill(at, v, strings);
        at as u32
    }

    fn fill(&mut self, at: usize, v: &Value, strings: &Strings) {
        let record = match v {
            Value::Str(s) => (tag::STR, u64::from(strings.id(s))),
            Value::Int(i) => (tag::INT, *i as u64),
            Value::Dec(d) => (tag::DEC, u64::from(strings.id(d.as_str()))),
            Value::Bool(b) => (tag::BOOL, u64::from(*b)),
            Value::List(items) => {
                let start = self.values.len();
                self.values.extend(std::iter::repeat_n((0, 0), items.len()));
                for (i, item) in items.iter().enumerate() {
                    self.fill(start + i, item, strings);
                }
                (tag::LIST, start as u64 | ((items.len() as u64) << 32))
            }
            Value::Map(entries) => {
                let (start, len) = self.attributes(entries, strings);
                (tag::MAP, u64::from(start) | (u64::from(len) << 32))
            }
        };
        self.values[at] = record;
    }

    /// A map's entries, sorted by key; returns their range.
    pub fn attributes(&mut self, attrs: &Attributes, strings: &Strings) -> (u32, u32) {
        let mut sorted: Vec<&(String, Value)> = attrs.iter().collect();
        sorted.sort_by(|a, b| a.0.cmp(&b.0));
        let start = self.entries.len();
        self.entries
            .extend(std::iter::repeat_n((0, 0), sorted.len()));
        for (i, (k, v)) in sorted.into_iter().enumerate() {
            let value = self.value(v, strings);
            self.entries[start + i] = (strings.id(k), value);
        }
        (start as u32, attrs.len() as u32)
    }

    /// Writes both sections.
    pub fn write(&self, values: &mut Vec<u8>, entries: &mut Vec<u8>) {
        for &(tag, payload) in &self.values {
            ValueRec { tag, payload }.write(values);
        }
        for &(key, value) in &self.entries {
            MapEntryRec { key, value }.write(entries);
        }
    }
}
