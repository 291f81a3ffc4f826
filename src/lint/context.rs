//! Lint: what every rule may read (the model and its closures), and findings.

use crate::check::closure::Via;
use crate::check::model::*;
use crate::diag::{Fix, Label, Span};

/// The model with the closures rules need, computed once.
pub struct Ctx<'m> {
    pub model: &'m Model,
    pub role_blocks: Vec<Vec<BlockId>>,
    /// Per entity, every block that reaches it and how.
    pub entity_grants: Vec<Vec<(BlockId, Via)>>,
    /// Per block, the entities it reaches (sorted).
    pub receivers: Vec<Vec<EntityId>>,
    pub group_children: Vec<Vec<PrincipalGroupId>>,
    /// Objects by owning tenant (the last list holds the platform's).
    pub objects_by_tenant: Vec<Vec<ObjectId>>,
    /// Facts about files of the set that the model leaves out (a partial
    /// analysis of one file's part of the set); empty for a whole set.
    pub outside: Outside,
}

/// What the lints need to know about the files a partial analysis leaves
/// out: the attribute keys they declare (`unknown-attribute` looks across
/// the whole set).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Outside {
    pub entity_keys: std::collections::BTreeSet<String>,
    /// Keys of every object's attributes (entities included).
    pub object_keys: std::collections::BTreeSet<String>,
    pub tenant_keys: std::collections::BTreeSet<String>,
}

impl<'m> Ctx<'m> {
    pub fn new(model: &'m Model) -> Self {
        let entity_grants = model.entity_grants();
        let mut receivers = vec![Vec::new(); model.blocks.len()];
        for (e, list) in entity_grants.iter().enumerate() {
            for (b, _) in list {
                let r: &mut Vec<EntityId> = &mut receivers[b.index()];
                if r.last() != Some(&EntityId(e as u32)) {
                    r.push(EntityId(e as u32));
                }
            }
        }
        let mut objects_by_tenant = vec![Vec::new(); model.tenants.len() + 1];
        for (i, o) in model.objects.iter().enumerate() {
            objects_by_tenant[o.tenant.map_or(model.tenants.len(), |t| t.index())]
                .push(ObjectId(i as u32));
        }
        Ctx {
            model,
            objects_by_tenant,
            role_blocks: model.role_blocks(),
            entity_grants,
            receivers,
            group_children: model.principal_group_children(),
            outside: Outside::default(),
        }
    }

    /// Blocks named by any role or direct grant.
    pub fn given_blocks(&self) -> Vec<bool> {
        let mut used = vec![false; self.model.blocks.len()];
        for role in &self.model.roles {
            for (item, _) in &role.items {
                if let RoleItem::Block(b) = item {
                    used[b.index()] = true;
                }
            }
        }
        for g in &self.model.grants {
            if let Given::Block(b) = g.given {
                used[b.index()] = true;
            }
        }
        used
    }

    /// The span of a block's declared name.
    pub fn block_span(&self, b: BlockId) -> Span {
        self.model.object(self.model.block(b).object).span
    }

    pub fn block_name(&self, b: BlockId) -> String {
        self.model.block_name(b)
    }

    /// The objects a block's boundary contains: its tenant's, or all for a platform block.
    pub fn objects_in_boundary(&self, b: BlockId) -> Box<dyn Iterator<Item = ObjectId> + '_> {
        match self.model.object(self.model.block(b).object).tenant {
            Some(t) => Box::new(self.objects_by_tenant[t.index()].iter().copied()),
            None => Box::new(self.objects_by_tenant.iter().flatten().copied()),
        }
    }

    /// Whether a block has no conditions.
    pub fn unconditional(&self, b: BlockId) -> bool {
        self.model
            .block(b)
            .conditions
            .as_ref()
            .is_some_and(Vec::is_empty)
    }
}

/// One finding of a rule.
#[derive(Clone, Debug)]
pub struct Finding {
    pub message: String,
    pub primary: Span,
    pub label: String,
    pub secondary: Vec<Label>,
    pub help: Option<String>,
    pub notes: Vec<String>,
    /// A safe automatic fix (`atom check --fix`, an editor's quick fix): it
    /// changes no decision.
    pub fix: Option<Fix>,
}

impl Finding {
    pub fn new(primary: Span, message: impl Into<String>, label: impl Into<String>) -> Self {
        Finding {
            message: message.into(),
            primary,
            label: label.into(),
            secondary: Vec::new(),
            help: None,
            notes: Vec::new(),
            fix: None,
        }
    }

    /// Attaches a safe fix: replace `span` with `replacement`.
    pub fn fix(
        mut self,
        title: impl Into<String>,
        span: Span,
        replacement: impl Into<String>,
    ) -> Self {
        self.fix = Some(Fix {
            title: title.into(),
            span,
            replacement: replacement.into(),
        });
        self
    }

    pub fn secondary(mut self, span: Span, message: impl Into<String>) -> Self {
        self.secondary.push(Label::new(span, message));
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }
}
