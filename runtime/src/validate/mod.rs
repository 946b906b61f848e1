//! Validation: what the `validate` pass generates calls into this module.
//!
//! Generated `validate()` methods are plain Rust compiled from the schema's rules: each field's
//! checks are calls to the functions in [`check`] with the rule's constants. Nothing here
//! interprets rules. A valid message allocates nothing: the field path is a linked list on the
//! stack ([`Path`]) and becomes a [`Violation`] only when a check fails.

// What generated code (and the tenant checker) calls, not users (see ARCHITECTURE.md, "API
// boundaries"): public so that generated code in users' crates reaches it, hidden from the docs.
#[doc(hidden)]
pub mod check;
#[doc(hidden)]
pub mod format;
mod path;
mod violation;

#[doc(hidden)]
pub use path::{Key, MapKey, Path};
pub use violation::{FieldPathElement, Subscript, Violation, Violations};

/// A message whose schema rules can be checked: every generated message and view implements it.
pub trait Validate {
    /// Checks every rule and returns every violation, in field order.
    fn validate(&self) -> Result<(), Violations> {
        let mut ctx = Ctx::new(false);
        self.validate_into(&mut ctx, None);
        ctx.finish()
    }

    /// Stops at the first violation.
    fn validate_fail_fast(&self) -> Result<(), Violations> {
        let mut ctx = Ctx::new(true);
        self.validate_into(&mut ctx, None);
        ctx.finish()
    }

    /// Adds this message's violations to `ctx`, with field paths below `parent`.
    #[doc(hidden)]
    fn validate_into(&self, ctx: &mut Ctx, parent: Option<&Path<'_>>);
}

impl<T: Validate + ?Sized> Validate for &T {
    fn validate_into(&self, ctx: &mut Ctx, parent: Option<&Path<'_>>) {
        (**self).validate_into(ctx, parent)
    }
}

impl<T: Validate + ?Sized> Validate for Box<T> {
    fn validate_into(&self, ctx: &mut Ctx, parent: Option<&Path<'_>>) {
        (**self).validate_into(ctx, parent)
    }
}

/// The violations found so far, and whether to stop at the first.
#[doc(hidden)]
#[derive(Debug, Default)]
pub struct Ctx {
    violations: Vec<Violation>,
    fail_fast: bool,
}

impl Ctx {
    pub fn new(fail_fast: bool) -> Self {
        Ctx {
            violations: Vec::new(),
            fail_fast,
        }
    }

    /// Fail-fast mode has found its violation: generated code returns early.
    #[inline]
    pub fn done(&self) -> bool {
        self.fail_fast && !self.violations.is_empty()
    }

    pub fn finish(self) -> Result<(), Violations> {
        if self.violations.is_empty() {
            Ok(())
        } else {
            Err(Violations(self.violations))
        }
    }

    /// Records a violation of the rule at `rule` (the rule path below `FieldRules`, e.g.
    /// `string.min_len`, `repeated.items.string.min_len`) with id `rule_id`.
    #[cold]
    #[inline(never)]
    pub fn violation(
        &mut self,
        path: Option<&Path<'_>>,
        rule: &str,
        rule_id: &str,
        message: std::fmt::Arguments<'_>,
    ) {
        if self.done() {
            return;
        }
        self.push(path, rule.to_owned(), rule_id.to_owned(), message);
    }

    /// [`Ctx::violation`] with the rule path and id already owned (built by the caller), so
    /// they are not copied again.
    #[cold]
    #[inline(never)]
    pub(crate) fn violation_owned(
        &mut self,
        path: Option<&Path<'_>>,
        rule: String,
        rule_id: String,
        message: std::fmt::Arguments<'_>,
    ) {
        if self.done() {
            return;
        }
        self.push(path, rule, rule_id, message);
    }

    fn push(
        &mut self,
        path: Option<&Path<'_>>,
        rule: String,
        rule_id: String,
        message: std::fmt::Arguments<'_>,
    ) {
        let (field, for_key) = path.map(Path::elements).unwrap_or_default();
        self.violations.push(Violation {
            field,
            rule,
            rule_id,
            message: message.to_string(),
            for_key,
        });
    }

    /// The violations recorded so far.
    pub fn violations(&self) -> &[Violation] {
        &self.violations
    }
}
