//! `buf.yaml` (version v2): the `breaking` and `lint` sections, at the top level or in a module
//! entry, so a repository that uses buf gets the same answer from protogen.

use std::collections::BTreeMap;

use yaml_rust2::{Yaml, YamlLoader};

use crate::rules::{Kind, RuleSet};

/// The configuration of one check (breaking or lint).
#[derive(Clone, Debug)]
pub struct CheckConfig {
    pub rules: RuleSet,
    /// Files or directories (relative to the module root) whose findings are dropped.
    pub ignore: Vec<String>,
    /// Per rule (or category), files or directories whose findings of that rule are dropped.
    pub ignore_only: BTreeMap<String, Vec<String>>,
    /// Breaking only: skip packages whose last component is not a stable version (`v1alpha1`,
    /// `v1beta2`, `v1test`).
    pub ignore_unstable_packages: bool,
    pub lint: LintOptions,
}

/// buf's lint settings.
#[derive(Clone, Debug)]
pub struct LintOptions {
    pub enum_zero_value_suffix: String,
    pub rpc_allow_same_request_response: bool,
    pub rpc_allow_google_protobuf_empty_requests: bool,
    pub rpc_allow_google_protobuf_empty_responses: bool,
    pub service_suffix: String,
    /// When set, `// buf:lint:ignore RULE` comments are not honoured.
    pub disallow_comment_ignores: bool,
}

impl Default for LintOptions {
    fn default() -> Self {
        LintOptions {
            enum_zero_value_suffix: "_UNSPECIFIED".into(),
            rpc_allow_same_request_response: false,
            rpc_allow_google_protobuf_empty_requests: false,
            rpc_allow_google_protobuf_empty_responses: false,
            service_suffix: "Service".into(),
            disallow_comment_ignores: false,
        }
    }
}

impl CheckConfig {
    /// buf's defaults for this kind of check (FILE, STANDARD), nothing ignored.
    pub fn default_for(kind: Kind) -> Self {
        CheckConfig {
            rules: RuleSet::default_for(kind),
            ignore: Vec::new(),
            ignore_only: BTreeMap::new(),
            ignore_unstable_packages: false,
            lint: LintOptions::default(),
        }
    }

    /// Exactly these rules or categories.
    pub fn with_rules(kind: Kind, use_: &[&str]) -> Result<Self, String> {
        let use_: Vec<String> = use_.iter().map(|s| (*s).to_owned()).collect();
        Ok(CheckConfig {
            rules: RuleSet::resolve(kind, &use_, &[])?,
            ..CheckConfig::default_for(kind)
        })
    }

    /// Whether a finding of `rule` in `path` (new schema) or `against` (old) is ignored.
    pub fn ignored(&self, rule: &str, path: Option<&str>, against: Option<&str>) -> bool {
        let under = |prefixes: &[String]| {
            [path, against]
                .into_iter()
                .flatten()
                .any(|p| prefixes.iter().any(|prefix| is_under(p, prefix)))
        };
        if under(&self.ignore) {
            return true;
        }
        self.ignore_only
            .iter()
            .filter(|(name, _)| *name == rule || self.category_has(name, rule))
            .any(|(_, paths)| under(paths))
    }

    fn category_has(&self, category: &str, rule: &str) -> bool {
        crate::rules::BREAKING
            .iter()
            .chain(crate::rules::LINT)
            .any(|r| r.id == rule && r.categories.contains(&category))
    }
}

/// `a/b/c.proto` is under `a/b`, `a/b/c.proto` and `.`, not under `a/bc`.
fn is_under(path: &str, prefix: &str) -> bool {
    let prefix = prefix.trim_end_matches('/');
    prefix == "." || path == prefix || path.starts_with(&format!("{prefix}/"))
}

/// Both sections of a `buf.yaml`.
#[derive(Clone, Debug)]
pub struct BufYaml {
    pub breaking: CheckConfig,
    pub lint: CheckConfig,
    /// The module directory, relative to the buf.yaml (`.` when the file has no `modules`).
    pub module_path: String,
}

impl Default for BufYaml {
    fn default() -> Self {
        BufYaml {
            breaking: CheckConfig::default_for(Kind::Breaking),
            lint: CheckConfig::default_for(Kind::Lint),
            module_path: ".".into(),
        }
    }
}

impl BufYaml {
    /// Parses a buf.yaml. With several `modules`, `module` picks one by path (else the first).
    pub fn parse(text: &str, module: Option<&str>) -> Result<Self, String> {
        let docs = YamlLoader::load_from_str(text).map_err(|e| {
            let m = e.marker();
            format!("{}:{}: {}", m.line(), m.col() + 1, e.info())
        })?;
        let Some(doc) = docs.into_iter().next() else {
            return Ok(BufYaml::default());
        };
        let root = mapping(&doc, "buf.yaml")?;
        match root.get("version").and_then(|v| v.as_str()) {
            Some("v2") => {}
            Some(other) => {
                return Err(format!(
                    "version: {other:?} is not supported; protogen reads buf.yaml version v2"
                ));
            }
            None => return Err("version: missing; protogen reads buf.yaml version v2".into()),
        }
        for key in root.keys() {
            if !matches!(
                key.as_str(),
                "version" | "modules" | "deps" | "breaking" | "lint" | "plugins" | "policies"
            ) {
                return Err(format!("unknown key {key:?}"));
            }
        }
        let mut out = BufYaml {
            breaking: section(root.get("breaking").copied(), Kind::Breaking, "breaking")?,
            lint: section(root.get("lint").copied(), Kind::Lint, "lint")?,
            module_path: ".".into(),
        };
        if let Some(modules) = root.get("modules") {
            let modules = modules
                .as_vec()
                .ok_or("modules: expected a list of modules")?;
            let chosen = modules
                .iter()
                .find(|m| module.is_some() && m["path"].as_str() == module)
                .or(modules.first());
            if let Some(entry) = chosen {
                let entry = mapping(entry, "modules[]")?;
                if let Some(path) = entry.get("path").and_then(|v| v.as_str()) {
                    out.module_path = path.to_owned();
                }
                if let Some(b) = entry.get("breaking") {
                    out.breaking = section(Some(b), Kind::Breaking, "modules[].breaking")?;
                }
                if let Some(l) = entry.get("lint") {
                    out.lint = section(Some(l), Kind::Lint, "modules[].lint")?;
                }
            }
        }
        Ok(out)
    }
}

fn mapping<'y>(yaml: &'y Yaml, what: &str) -> Result<BTreeMap<String, &'y Yaml>, String> {
    let hash = yaml
        .as_hash()
        .ok_or_else(|| format!("{what}: expected a mapping"))?;
    hash.iter()
        .map(|(k, v)| {
            k.as_str()
                .map(|k| (k.to_owned(), v))
                .ok_or_else(|| format!("{what}: keys must be strings"))
        })
        .collect()
}

fn strings(yaml: &Yaml, what: &str) -> Result<Vec<String>, String> {
    yaml.as_vec()
        .ok_or_else(|| format!("{what}: expected a list"))?
        .iter()
        .map(|v| {
            v.as_str()
                .map(str::to_owned)
                .ok_or_else(|| format!("{what}: expected strings"))
        })
        .collect()
}

fn section(yaml: Option<&Yaml>, kind: Kind, what: &str) -> Result<CheckConfig, String> {
    let mut config = CheckConfig::default_for(kind);
    let Some(yaml) = yaml else {
        return Ok(config);
    };
    let map = mapping(yaml, what)?;
    let list = |key: &str| -> Result<Vec<String>, String> {
        map.get(key)
            .map_or(Ok(Vec::new()), |v| strings(v, &format!("{what}.{key}")))
    };
    let flag = |key: &str| map.get(key).and_then(|v| v.as_bool()).unwrap_or(false);
    let (use_, except) = (list("use")?, list("except")?);
    config.rules = RuleSet::resolve(kind, &use_, &except).map_err(|e| format!("{what}: {e}"))?;
    config.ignore = list("ignore")?;
    if let Some(only) = map.get("ignore_only") {
        for (rule, paths) in mapping(only, &format!("{what}.ignore_only"))? {
            let paths = strings(paths, &format!("{what}.ignore_only.{rule}"))?;
            config.ignore_only.insert(rule, paths);
        }
    }
    config.ignore_unstable_packages = flag("ignore_unstable_packages");
    let lint = &mut config.lint;
    if let Some(s) = map.get("enum_zero_value_suffix").and_then(|v| v.as_str()) {
        lint.enum_zero_value_suffix = s.to_owned();
    }
    if let Some(s) = map.get("service_suffix").and_then(|v| v.as_str()) {
        lint.service_suffix = s.to_owned();
    }
    lint.rpc_allow_same_request_response = flag("rpc_allow_same_request_response");
    lint.rpc_allow_google_protobuf_empty_requests =
        flag("rpc_allow_google_protobuf_empty_requests");
    lint.rpc_allow_google_protobuf_empty_responses =
        flag("rpc_allow_google_protobuf_empty_responses");
    lint.disallow_comment_ignores = flag("disallow_comment_ignores");
    Ok(config)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_breaking_and_lint_sections() {
        let yaml = "version: v2\nbreaking:\n  use: [WIRE_JSON]\n  except: [FIELD_SAME_NAME]\n  \
                    ignore: [a/b]\n  ignore_only:\n    FIELD_SAME_JSON_NAME: [c.proto]\nlint:\n  \
                    use: [MINIMAL]\n  service_suffix: Api\n";
        let config = BufYaml::parse(yaml, None).unwrap();
        assert!(config.breaking.rules.contains("FIELD_SAME_JSON_NAME"));
        assert!(!config.breaking.rules.contains("FIELD_SAME_NAME"));
        assert!(!config.breaking.rules.contains("FIELD_SAME_CARDINALITY"));
        assert!(config.breaking.ignored("X", Some("a/b/c.proto"), None));
        assert!(!config.breaking.ignored("X", Some("a/bc.proto"), None));
        assert!(
            config
                .breaking
                .ignored("FIELD_SAME_JSON_NAME", Some("c.proto"), None)
        );
        assert!(
            !config
                .breaking
                .ignored("FIELD_SAME_TYPE", Some("c.proto"), None)
        );
        assert!(config.lint.rules.contains("PACKAGE_DEFINED"));
        assert!(!config.lint.rules.contains("ENUM_PASCAL_CASE"));
        assert_eq!(config.lint.lint.service_suffix, "Api");
    }

    #[test]
    fn refuses_what_it_cannot_read() {
        assert!(
            BufYaml::parse("version: v1\n", None)
                .unwrap_err()
                .contains("v2")
        );
        let err = BufYaml::parse("version: v2\nbreaking:\n  use: [NOPE]\n", None).unwrap_err();
        assert!(
            err.contains("\"NOPE\" is not a known breaking rule"),
            "{err}"
        );
        assert!(BufYaml::parse("version: v2\nbreakin: {}\n", None).is_err());
    }
}
