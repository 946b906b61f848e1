//! Lint: buf's MINIMAL, BASIC, STANDARD, COMMENTS and UNARY_RPC rules (and
//! STABLE_PACKAGE_NO_IMPORT_UNSTABLE) over the checked files of an image, with buf's ids, messages
//! and spans, `buf.yaml`'s `ignore`/`ignore_only` and `// buf:lint:ignore RULE` comments.
//! Each module holds the rules of one kind of element.

mod case;
mod elements;
mod files;
mod services;

use crate::config::CheckConfig;
use crate::finding::{self, Finding};
use crate::image::{Image, Index, Loc};
use crate::span::Span;

/// Every lint failure of the image's checked files that the configuration's rules report,
/// sorted as buf prints them.
pub fn lint(image: &Image, config: &CheckConfig) -> Vec<Finding> {
    let index = Index::new(image);
    let mut check = Lint {
        index: &index,
        image,
        config,
        out: Vec::new(),
    };
    files::check(&mut check);
    elements::check(&mut check);
    services::check(&mut check);
    let mut findings = check.out;
    finding::sort(&mut findings);
    findings
}

/// The prefix of a comment line that turns a rule off for an element and everything in it.
const IGNORE_PREFIX: &str = "buf:lint:ignore";

pub(crate) struct Lint<'a, 'b> {
    pub index: &'b Index<'a>,
    pub image: &'a Image,
    config: &'b CheckConfig,
    out: Vec<Finding>,
}

impl Lint<'_, '_> {
    pub fn on(&self, rule: &str) -> bool {
        self.config.rules.contains(rule)
    }

    pub fn options(&self) -> &crate::config::LintOptions {
        &self.config.lint
    }

    /// Reports `message` under `rule` at an element (its span, or 1:1 without one), unless a
    /// `buf:lint:ignore RULE` comment on it or an enclosing element, or buf.yaml, says not to.
    pub fn add(&mut self, rule: &'static str, at: &Loc, message: String) {
        if !self.on(rule) || self.comment_ignores(rule, at) {
            return;
        }
        let span = self.index.span(at);
        self.push(rule, at.file, span, message);
    }

    /// Reports at a file, 1:1.
    pub fn add_to_file(&mut self, rule: &'static str, file: usize, message: String) {
        if self.on(rule) {
            self.push(rule, file, None, message);
        }
    }

    fn push(&mut self, rule: &'static str, file: usize, span: Option<Span>, message: String) {
        let path = self.index.files[file].name().to_owned();
        if self.config.ignored(rule, Some(&path), None) {
            return;
        }
        self.out.push(Finding {
            path: Some(path),
            span: span.unwrap_or(Span::NONE),
            rule,
            message,
            against_path: None,
            pointer: None,
        });
    }

    /// Whether a leading comment of the element, or of any element containing it, has a line
    /// `buf:lint:ignore RULE`.
    fn comment_ignores(&self, rule: &str, at: &Loc) -> bool {
        if self.config.lint.disallow_comment_ignores {
            return false;
        }
        let file = &self.index.files[at.file];
        (1..=at.path.len()).any(|len| {
            file.location(&at.path[..len])
                .and_then(|l| l.leading_comments.as_deref())
                .is_some_and(|comment| {
                    comment.lines().any(|line| {
                        line.trim()
                            .strip_prefix(IGNORE_PREFIX)
                            .is_some_and(|rest| rest.split_whitespace().next() == Some(rule))
                    })
                })
        })
    }

    /// Whether a leading comment has a line of documentation (not blank, not an ignore).
    pub fn documented(&self, at: &Loc) -> bool {
        let file = &self.index.files[at.file];
        file.location(&at.path)
            .and_then(|l| l.leading_comments.as_deref())
            .is_some_and(|comment| {
                comment.split('\n').any(|line| {
                    let line = line.trim();
                    !line.is_empty() && !line.starts_with(IGNORE_PREFIX)
                })
            })
    }
}
