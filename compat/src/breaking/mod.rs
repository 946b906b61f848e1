//! Breaking-change detection: buf's breaking rules (ids, categories, pairing and messages) over
//! two images. Elements are paired as buf pairs them: files by path; messages, enums and services
//! by full name wherever they are declared; fields by number; enum values by number; methods by
//! name. Each module here holds the rules of one kind of element.

mod enums;
mod fields;
mod files;
mod messages;
mod ranges;
mod services;

pub(crate) use messages::is_synthetic;

use crate::config::CheckConfig;
use crate::finding::{self, Finding};
use crate::image::{Image, Index, Loc};
use crate::span::Span;

/// Every breaking change of `current` against `previous` that the configuration's rules report,
/// sorted as buf prints them.
pub fn breaking(current: &Image, previous: &Image, config: &CheckConfig) -> Vec<Finding> {
    let new = Index::new(current);
    let old = Index::new(previous);
    let mut check = Check {
        new: &new,
        old: &old,
        config,
        out: Vec::new(),
    };
    files::check(&mut check);
    messages::check(&mut check);
    fields::check(&mut check);
    enums::check(&mut check);
    services::check(&mut check);
    let mut findings = check.out;
    finding::sort(&mut findings);
    findings
}

/// Where a finding goes in the new schema.
pub(crate) enum At<'l> {
    /// An element of the new schema (its span, or 1:1 when it has none).
    Element(&'l Loc),
    /// The first element that has a source location, in this order.
    FirstOf(&'l [Loc]),
    /// A file of the new schema, at 1:1.
    File(usize),
    /// Nowhere in the new schema (a deleted file or package).
    Nowhere,
}

pub(crate) struct Check<'a, 'b> {
    pub new: &'b Index<'a>,
    pub old: &'b Index<'a>,
    config: &'b CheckConfig,
    out: Vec<Finding>,
}

impl<'a> Check<'a, '_> {
    /// Whether a rule is on (checks skip their work when it is not).
    pub fn on(&self, rule: &str) -> bool {
        self.config.rules.contains(rule)
    }

    /// Reports `message` under `rule` at `at`; `against` is the element in the old schema.
    pub fn add(&mut self, rule: &'static str, at: At<'_>, against: Option<&Loc>, message: String) {
        if !self.on(rule) {
            return;
        }
        let (file, span) = match at {
            At::Element(loc) => (Some(loc.file), self.new.span(loc)),
            At::FirstOf(locs) => match locs.iter().find(|l| self.new.has_location(l)) {
                Some(loc) => (Some(loc.file), self.new.span(loc)),
                None => (locs.first().map(|l| l.file), None),
            },
            At::File(file) => (Some(file), None),
            At::Nowhere => (None, None),
        };
        let path = file.map(|f| self.new.files[f].name().to_owned());
        let against_path = against.map(|l| self.old.files[l.file].name().to_owned());
        if self
            .config
            .ignored(rule, path.as_deref(), against_path.as_deref())
        {
            return;
        }
        self.out.push(Finding {
            path,
            span: span.unwrap_or(Span::NONE),
            rule,
            message,
            against_path,
            pointer: None,
        });
    }
}
