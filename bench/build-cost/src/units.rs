//! The units to measure: corpus units from `units.json`, and the bundled `schemas/`.

use std::path::{Path, PathBuf};

use protogen_build::{Builder, Passes};

pub struct Unit {
    pub name: String,
    includes: Vec<PathBuf>,
    /// Files, or directories of `.proto` files.
    inputs: Vec<PathBuf>,
    tenants: Vec<PathBuf>,
}

impl Unit {
    /// The builder a user would write for this unit, with these passes on.
    pub fn builder(&self, passes: &Passes) -> Builder {
        let mut builder = Builder::new();
        builder
            .includes(&self.includes)
            .passes(passes.clone())
            .emit_rerun_if_changed(false)
            // As the corpus check does: protogen does not compile CEL yet, and a rule skipped
            // costs nothing either way.
            .skip_cel_rules();
        for tenant in &self.tenants {
            builder.tenant_schema(tenant);
        }
        builder
    }

    pub fn inputs(&self) -> &[PathBuf] {
        &self.inputs
    }
}

/// `schemas` is the repository's bundled schemas (`.proto` files and tenant schemas, as
/// `protogen generate -I schemas schemas --tenant schemas/tenants`); any other name is a unit of
/// the corpus's `units.json`.
pub fn find(name: &str, workspace: &Path, corpus: &Path) -> Result<Unit, String> {
    if name == "schemas" {
        let schemas = workspace.join("schemas");
        return Ok(Unit {
            name: name.to_owned(),
            includes: vec![schemas.clone()],
            inputs: vec![schemas.clone()],
            tenants: vec![schemas.join("tenants")],
        });
    }
    let path = corpus.join("units.json");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let json: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let unit = json["units"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|u| u["name"] == name)
        .ok_or_else(|| format!("no unit `{name}` in {}", path.display()))?;
    let strings = |key: &str| -> Vec<String> {
        unit[key]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|s| s.as_str().map(str::to_owned))
            .collect()
    };
    let includes: Vec<PathBuf> = strings("includes").iter().map(|i| corpus.join(i)).collect();
    let inputs = strings("files")
        .iter()
        .map(|file| {
            includes
                .iter()
                .map(|include| include.join(file))
                .find(|p| p.is_file())
                .ok_or_else(|| format!("{name}: {file} is under none of the unit's includes"))
        })
        .collect::<Result<_, _>>()?;
    Ok(Unit {
        name: name.to_owned(),
        includes,
        inputs,
        tenants: Vec::new(),
    })
}
