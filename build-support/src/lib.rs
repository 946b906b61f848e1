//! protogen-build: generate Rust from `.proto` files in `build.rs`, with no `protoc`.
//!
//! ```no_run
//! // build.rs
//! fn main() -> Result<(), Box<dyn std::error::Error>> {
//!     protogen_build::Builder::new()
//!         .include("schemas")
//!         .compile(&["schemas/shop/v1/order.proto"])?;
//!     Ok(())
//! }
//! ```
//!
//! and in the crate, every package at its proto path: `protogen::include_protos!();`.
//!
//! `.proto` files are compiled by protox; prost-build writes the owned structs from that
//! descriptor set, in memory; protogen's passes (see [`Pass`]) are appended to each package's
//! file. One file per package is written to `OUT_DIR`, plus `_protogen_includes.rs`, which nests
//! them in modules. Output is byte-for-byte deterministic.

mod compile;
mod descriptors;
mod error;
mod output;
mod tenant;

use std::path::{Path, PathBuf};

pub use descriptors::{Descriptors, compile_descriptors};
pub use error::{Error, ErrorKind, Location};
pub use output::{GeneratedFile, Generation};
pub use protogen_codegen::{Pass, Passes};
pub use tenant::TenantLocks;

use protogen_codegen::model::{Model, ModelOptions};
pub use protogen_codegen::passes::graphql::GraphqlOptions;
/// The GraphQL type name of a proto message or enum (full name, with or without the leading dot).
pub use protogen_codegen::passes::graphql::schema::type_name as graphql_type_name;

/// The name of the include file that nests every generated package in modules.
pub const INCLUDES_FILE: &str = "_protogen_includes.rs";

/// The GraphQL schema of the build (the `graphql` pass), beside the include file, which exposes it
/// as `GRAPHQL_SCHEMA`.
pub const GRAPHQL_FILE: &str = "schema.graphql";

/// Configures and runs a generation; reads like the `prost_build::Config` it drives.
#[derive(Clone, Debug, Default)]
pub struct Builder {
    includes: Vec<PathBuf>,
    out_dir: Option<PathBuf>,
    passes: Passes,
    model: ModelOptions,
    attributes: Vec<(AttributeTarget, String, String)>,
    rerun_if_changed: Option<bool>,
    tenant_schemas: Vec<PathBuf>,
    tenant_locks: TenantLocks,
}

#[derive(Clone, Copy, Debug)]
enum AttributeTarget {
    Type,
    Message,
    Enum,
    Field,
}

impl Builder {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a directory that `import`s and input files are resolved against, searched in the
    /// order added. `google/protobuf/*.proto` resolve to protox's bundled copies first.
    pub fn include(&mut self, dir: impl AsRef<Path>) -> &mut Self {
        self.includes.push(dir.as_ref().to_path_buf());
        self
    }

    /// Adds several include directories.
    pub fn includes(&mut self, dirs: impl IntoIterator<Item = impl AsRef<Path>>) -> &mut Self {
        for dir in dirs {
            self.include(dir);
        }
        self
    }

    /// Where to write the generated files; `OUT_DIR` by default.
    pub fn out_dir(&mut self, dir: impl AsRef<Path>) -> &mut Self {
        self.out_dir = Some(dir.as_ref().to_path_buf());
        self
    }

    /// Switches one protogen pass on or off (all are on by default). prost's structs are always
    /// generated.
    pub fn pass(&mut self, pass: Pass, enabled: bool) -> &mut Self {
        self.passes.set(pass, enabled);
        self
    }

    /// Runs exactly these passes.
    pub fn passes(&mut self, passes: Passes) -> &mut Self {
        self.passes = passes;
        self
    }

    /// `bytes` fields matched by these prost paths become `bytes::Bytes` (`"."` for all).
    pub fn bytes(&mut self, paths: impl IntoIterator<Item = impl Into<String>>) -> &mut Self {
        self.model.bytes.extend(paths.into_iter().map(Into::into));
        self
    }

    /// Map fields matched by these prost paths become `BTreeMap` (`"."` for all).
    pub fn btree_map(&mut self, paths: impl IntoIterator<Item = impl Into<String>>) -> &mut Self {
        self.model
            .btree_map
            .extend(paths.into_iter().map(Into::into));
        self
    }

    /// Boxes the message field at this prost path.
    pub fn boxed(&mut self, path: impl Into<String>) -> &mut Self {
        self.model.boxed.push(path.into());
        self
    }

    /// Uses an existing Rust type for a proto path instead of generating it, as
    /// `prost_build::Config::extern_path` (`".common.v1"`, `"::common_protos::v1"`).
    pub fn extern_path(&mut self, proto: impl Into<String>, rust: impl Into<String>) -> &mut Self {
        self.model.extern_paths.push((proto.into(), rust.into()));
        self
    }

    /// Generates `google.protobuf` types instead of using `prost_types`.
    pub fn compile_well_known_types(&mut self) -> &mut Self {
        self.model.compile_well_known_types = true;
        self
    }

    /// An attribute on every message and enum matched by the prost path.
    pub fn type_attribute(
        &mut self,
        path: impl Into<String>,
        attr: impl Into<String>,
    ) -> &mut Self {
        self.attributes
            .push((AttributeTarget::Type, path.into(), attr.into()));
        self
    }

    /// An attribute on every message matched by the prost path.
    pub fn message_attribute(
        &mut self,
        path: impl Into<String>,
        attr: impl Into<String>,
    ) -> &mut Self {
        self.attributes
            .push((AttributeTarget::Message, path.into(), attr.into()));
        self
    }

    /// An attribute on every enum matched by the prost path.
    pub fn enum_attribute(
        &mut self,
        path: impl Into<String>,
        attr: impl Into<String>,
    ) -> &mut Self {
        self.attributes
            .push((AttributeTarget::Enum, path.into(), attr.into()));
        self
    }

    /// An attribute on every field matched by the prost path.
    pub fn field_attribute(
        &mut self,
        path: impl Into<String>,
        attr: impl Into<String>,
    ) -> &mut Self {
        self.attributes
            .push((AttributeTarget::Field, path.into(), attr.into()));
        self
    }

    /// Skips CEL validation rules (`cel`, `cel_expression`, predefined rules) with a warning,
    /// instead of failing the build: protogen does not compile CEL yet. The other rules of the
    /// same fields still apply.
    pub fn skip_cel_rules(&mut self) -> &mut Self {
        self.model.cel = protogen_codegen::model::CelPolicy::Skip;
        self
    }

    /// Adds a tenant schema (a JSON document, see the README's "Tenant schemas"), or a directory
    /// searched recursively for them (`*.json`, lock files and `*.schema.json` excepted). Each is
    /// lowered to a descriptor and compiled beside the `.proto` files, so it generates the same
    /// code a `.proto` file would. Field numbers come from the lock file beside each schema
    /// (`user.lock.json`); see [`TenantLocks`] for what happens when it is missing or stale.
    pub fn tenant_schema(&mut self, path: impl AsRef<Path>) -> &mut Self {
        self.tenant_schemas.push(path.as_ref().to_path_buf());
        self
    }

    /// What to do about tenant schema lock files: [`TenantLocks::Require`] by default.
    pub fn tenant_locks(&mut self, mode: TenantLocks) -> &mut Self {
        self.tenant_locks = mode;
        self
    }

    /// Ignores the validation rules of the selected elements (prost path selectors: `.pkg`,
    /// `.pkg.Msg`, `.pkg.Msg.field`): their `(buf.validate.*)` options are neither checked nor
    /// compiled. For schemas you do not own whose rules you do not want enforced.
    pub fn skip_validation(
        &mut self,
        paths: impl IntoIterator<Item = impl Into<String>>,
    ) -> &mut Self {
        self.model
            .skip_rules
            .extend(paths.into_iter().map(Into::into));
        self
    }

    /// Prepended to every GraphQL type name made from a proto name (`shop_v1_Order` becomes
    /// `Apishop_v1_Order` with `"Api"`): for merging the schema into one with names of its own.
    pub fn graphql_prefix(&mut self, prefix: impl Into<String>) -> &mut Self {
        let mut options = self.passes.graphql_options().clone();
        options.prefix = prefix.into();
        self.passes.set_graphql_options(options);
        self
    }

    /// Whether to print `cargo:rerun-if-changed` for every input file, imports included. On by
    /// default when run from a build script (`OUT_DIR` is set).
    pub fn emit_rerun_if_changed(&mut self, yes: bool) -> &mut Self {
        self.rerun_if_changed = Some(yes);
        self
    }

    /// Generates code for `files` (and directories of `.proto` files) and writes it to the
    /// output directory. A `.proto` error fails with its `file:line:col` and source lines.
    pub fn compile(&self, files: &[impl AsRef<Path>]) -> Result<Generation, Error> {
        let out_dir = match &self.out_dir {
            Some(dir) => dir.clone(),
            None => std::env::var_os("OUT_DIR").map(PathBuf::from).ok_or_else(|| {
                Error::new(
                    ErrorKind::Config,
                    "OUT_DIR is not set: call protogen_build from build.rs or set Builder::out_dir",
                )
            })?,
        };
        let generation = self.generate(files)?;
        generation.write(&out_dir)?;
        let rerun = self
            .rerun_if_changed
            .unwrap_or_else(|| std::env::var_os("OUT_DIR").is_some());
        if rerun {
            for input in &generation.inputs {
                println!("cargo:rerun-if-changed={}", input.display());
            }
        }
        if std::env::var_os("OUT_DIR").is_some() {
            for warning in &generation.warnings {
                println!("cargo:warning={warning}");
            }
        }
        Ok(generation)
    }

    /// Generates code for `files` in memory, writing nothing.
    pub fn generate(&self, files: &[impl AsRef<Path>]) -> Result<Generation, Error> {
        let (model, compiled, tenant_warnings) = self.model(files)?;
        let graphql = if self.passes.is_enabled(Pass::Graphql) {
            Some(self.graphql_sdl(&model, &compiled)?)
        } else {
            None
        };
        let prost = self.run_prost(&compiled.pool)?;
        let mut generation =
            output::assemble(&model, &self.passes, prost, compiled.inputs, graphql);
        generation.warnings.extend(tenant_warnings);
        Ok(generation)
    }

    /// The GraphQL schema (SDL) of `files`, as `schema.graphql` holds it, without generating
    /// code (what `protogen sdl` prints).
    pub fn graphql_schema(&self, files: &[impl AsRef<Path>]) -> Result<String, Error> {
        let (model, compiled, _) = self.model(files)?;
        self.graphql_sdl(&model, &compiled)
    }

    /// The GraphQL schema (SDL) of `files` and the compiled descriptors: what `protogen project`
    /// answers a query from a dynamic message with.
    pub fn graphql_schema_and_pool(
        &self,
        files: &[impl AsRef<Path>],
    ) -> Result<(String, prost_reflect::DescriptorPool), Error> {
        let (model, compiled, _) = self.model(files)?;
        Ok((self.graphql_sdl(&model, &compiled)?, compiled.pool))
    }

    /// The model of `files` and the compiled inputs: protox, tenant schemas lowered, the rules
    /// merged; the inputs read include the tenant schemas and their lock files.
    fn model(
        &self,
        files: &[impl AsRef<Path>],
    ) -> Result<(Model, compile::Compiled, Vec<String>), Error> {
        let inputs: Vec<PathBuf> = files.iter().map(|f| f.as_ref().to_path_buf()).collect();
        let inputs = compile::expand_inputs(&inputs)?;
        let tenants = tenant::load(&self.tenant_schemas, self.tenant_locks)?;
        if inputs.is_empty() && tenants.files.is_empty() {
            let message = if self.tenant_schemas.is_empty() {
                "no .proto files to compile"
            } else {
                "no .proto files or tenant schemas to compile"
            };
            return Err(Error::new(ErrorKind::Config, message));
        }
        let mut compiled = compile::compile(&self.includes, &inputs, &tenants.files)?;
        compiled.tenant_paths = tenants.paths;
        let names: Vec<&str> = compiled.files.iter().map(String::as_str).collect();
        let mut options = self.model.clone();
        options.rules.fields.extend(tenants.rules.fields);
        // Without the validate pass, rules are not read, so they cannot fail the build.
        if !self.passes.is_enabled(Pass::Validate) {
            options.skip_rules.push(".".to_owned());
        }
        let model = Model::build(&compiled.pool, &names, &options)
            .map_err(|err| Error::from_model(err, |name| self.on_disk(&compiled, name)))?;
        compiled.inputs.extend(tenants.inputs);
        Ok((model, compiled, tenants.warnings))
    }

    fn graphql_sdl(&self, model: &Model, compiled: &compile::Compiled) -> Result<String, Error> {
        let schema =
            protogen_codegen::passes::graphql::Schema::build(model, self.passes.graphql_options())
                .map_err(|err| Error::from_model(err, |name| self.on_disk(compiled, name)))?;
        Ok(protogen_codegen::passes::graphql::sdl::print(&schema))
    }

    /// Where the file the pool calls `name` is on disk: a tenant schema's path, or the first
    /// include root holding it.
    fn on_disk(&self, compiled: &compile::Compiled, name: &str) -> Option<PathBuf> {
        compiled
            .tenant_paths
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, path)| path.clone())
            .or_else(|| error::find_on_disk(&self.includes, name))
    }

    fn prost_config(&self) -> prost_build::Config {
        let mut config = prost_build::Config::new();
        config.bytes(&self.model.bytes);
        config.btree_map(&self.model.btree_map);
        for path in &self.model.boxed {
            config.boxed(path);
        }
        for (proto, rust) in &self.model.extern_paths {
            config.extern_path(proto, rust);
        }
        if self.model.compile_well_known_types {
            config.compile_well_known_types();
        }
        for (target, path, attr) in &self.attributes {
            match target {
                AttributeTarget::Type => config.type_attribute(path, attr),
                AttributeTarget::Message => config.message_attribute(path, attr),
                AttributeTarget::Enum => config.enum_attribute(path, attr),
                AttributeTarget::Field => config.field_attribute(path, attr),
            };
        }
        config
    }

    fn run_prost(
        &self,
        pool: &prost_reflect::DescriptorPool,
    ) -> Result<Vec<(String, String)>, Error> {
        let requests = pool
            .files()
            .map(|file| {
                let module = prost_build::Module::from_protobuf_package_name(file.package_name());
                (module, file.file_descriptor_proto().clone())
            })
            .collect();
        let mut config = self.prost_config();
        // prost-build asserts on inputs it considers impossible; the model has already rejected
        // the ones we know of, and anything else must still end as an error, not a panic.
        let generated =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| config.generate(requests)))
                .map_err(|panic| {
                    let reason = panic
                        .downcast_ref::<String>()
                        .map(String::as_str)
                        .or_else(|| panic.downcast_ref::<&str>().copied())
                        .unwrap_or("unknown reason");
                    Error::new(ErrorKind::Schema, format!("prost-build failed: {reason}"))
                })?
                .map_err(|err| Error::new(ErrorKind::Config, format!("prost-build: {err}")))?;
        Ok(generated
            .into_iter()
            .map(|(module, code)| (module.to_file_name_or("_"), code))
            .collect())
    }
}
