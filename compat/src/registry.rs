//! A schema registry kept in a directory (commit it to git or put it on shared storage):
//! immutable, numbered versions of named modules, each pushed only if it is compatible with the
//! versions before it under the module's compatibility mode.
//!
//! Layout: `DIR/protogen-registry` (marks the directory), and per version
//! `DIR/modules/<name>/<version>/` holding `files/` (the sources as pushed), `image.binpb` (the
//! compiled descriptors with source info) and `version.json` (number, digest, mode).
//!
//! A push writes the whole version into a temporary directory beside the versions and renames
//! it to its number: a rename onto an existing version fails, so two concurrent pushes never get
//! the same number (the loser checks again against the winner and takes the next one), and an
//! interrupted push leaves at most a temporary directory, which is never read as a version.
//!
//! The registry takes schemas from people it should not trust: names and file paths that would
//! land outside it, symlinks, too many or too large files are refused before anything is
//! written, and compilation (the caller's) sees only the files read here.

use std::collections::BTreeMap;
use std::fmt;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::breaking;
use crate::config::CheckConfig;
use crate::finding::Finding;
use crate::image::Image;
use crate::rules::{Kind, RuleSet};

const MARKER: &str = "protogen-registry";

/// How much a pushed module may hold.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    pub max_files: usize,
    pub max_file_bytes: u64,
    pub max_total_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_files: 1000,
            max_file_bytes: 1 << 20,
            max_total_bytes: 16 << 20,
        }
    }
}

/// Kafka schema registry compatibility modes, as rules over buf's breaking checks (documented in
/// docs/compat.md):
/// - `Backward`: readers on the new version read what the previous version wrote — the new
///   schema checked against the previous one with buf's WIRE_JSON rules (so a deleted field
///   must have its number and name reserved);
/// - `Forward`: readers on the previous version read what the new one writes — the previous
///   schema checked against the new one with the WIRE_JSON rules that are not about deletions
///   (seen that way round, a deletion is an addition, which old readers skip);
/// - `Full`: both; the `*Transitive` modes check against every earlier version, not only the
///   last; `None` checks nothing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Compat {
    None,
    Backward,
    BackwardTransitive,
    Forward,
    ForwardTransitive,
    Full,
    FullTransitive,
}

impl Compat {
    pub fn name(self) -> &'static str {
        match self {
            Compat::None => "none",
            Compat::Backward => "backward",
            Compat::BackwardTransitive => "backward_transitive",
            Compat::Forward => "forward",
            Compat::ForwardTransitive => "forward_transitive",
            Compat::Full => "full",
            Compat::FullTransitive => "full_transitive",
        }
    }

    pub fn parse(name: &str) -> Option<Compat> {
        [
            Compat::None,
            Compat::Backward,
            Compat::BackwardTransitive,
            Compat::Forward,
            Compat::ForwardTransitive,
            Compat::Full,
            Compat::FullTransitive,
        ]
        .into_iter()
        .find(|c| c.name() == name)
    }

    fn transitive(self) -> bool {
        matches!(
            self,
            Compat::BackwardTransitive | Compat::ForwardTransitive | Compat::FullTransitive
        )
    }

    fn backward(self) -> bool {
        matches!(
            self,
            Compat::Backward | Compat::BackwardTransitive | Compat::Full | Compat::FullTransitive
        )
    }

    fn forward(self) -> bool {
        matches!(
            self,
            Compat::Forward | Compat::ForwardTransitive | Compat::Full | Compat::FullTransitive
        )
    }
}

/// Why a registry operation failed.
#[derive(Debug)]
pub enum Error {
    /// The input is refused (a bad name or path, a symlink, a limit), with the reason.
    Refused(String),
    /// The new version breaks the versions it was checked against.
    Incompatible {
        against: u32,
        findings: Vec<Finding>,
    },
    NotFound(String),
    Io(PathBuf, io::Error),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Refused(why) => f.write_str(why),
            Error::Incompatible { against, findings } => write!(
                f,
                "incompatible with version {against}: {} breaking change{}",
                findings.len(),
                if findings.len() == 1 { "" } else { "s" }
            ),
            Error::NotFound(what) => write!(f, "{what} not found"),
            Error::Io(path, err) => write!(f, "{}: {err}", path.display()),
        }
    }
}

impl std::error::Error for Error {}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> Error + '_ {
    move |err| Error::Io(path.to_path_buf(), err)
}

/// A module's files: path (relative, `/`-separated) -> content.
pub type Files = BTreeMap<String, Vec<u8>>;

/// Checks a module name: one or more `/`-separated segments of lower-case letters, digits, `.`,
/// `-` and `_`, none empty, `.` or `..`.
pub fn check_name(name: &str) -> Result<(), Error> {
    let ok = !name.is_empty()
        && name.len() <= 200
        && name.split('/').all(|seg| {
            !seg.is_empty()
                && seg != "."
                && seg != ".."
                && seg
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b))
        });
    if ok {
        Ok(())
    } else {
        Err(Error::Refused(format!(
            "module name {name:?} is not allowed: use `/`-separated segments of a-z, 0-9, '.', \
             '-' and '_' (no empty, '.' or '..' segments), like acme/user"
        )))
    }
}

/// Checks a file path of a module: relative, `/`-separated, no `.`, `..` or empty segments.
pub fn check_path(path: &str) -> Result<(), Error> {
    let bad = path.is_empty()
        || path.starts_with('/')
        || path.contains('\\')
        || path.contains(':')
        || path
            .split('/')
            .any(|s| s.is_empty() || s == "." || s == "..");
    if bad {
        return Err(Error::Refused(format!(
            "file path {path:?} would land outside the module: paths must be relative, with no \
             '.', '..' or empty segments"
        )));
    }
    Ok(())
}

/// Reads the `.proto` files under `dir` (and a `buf.yaml` beside them), refusing symlinks and
/// whatever breaks the limits.
pub fn read_module(dir: &Path, limits: Limits) -> Result<Files, Error> {
    let mut files = Files::new();
    let mut total = 0u64;
    read_dir(dir, dir, limits, &mut files, &mut total)?;
    if files.keys().all(|p| !p.ends_with(".proto")) {
        return Err(Error::Refused(format!(
            "{}: no .proto files to push",
            dir.display()
        )));
    }
    Ok(files)
}

fn read_dir(
    root: &Path,
    dir: &Path,
    limits: Limits,
    files: &mut Files,
    total: &mut u64,
) -> Result<(), Error> {
    let mut entries: Vec<_> = fs::read_dir(dir)
        .map_err(io_err(dir))?
        .collect::<Result<_, _>>()
        .map_err(io_err(dir))?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let path = entry.path();
        let meta = fs::symlink_metadata(&path).map_err(io_err(&path))?;
        if meta.file_type().is_symlink() {
            return Err(Error::Refused(format!(
                "{}: symlinks are not pushed (a module is its own files)",
                path.display()
            )));
        }
        if meta.is_dir() {
            read_dir(root, &path, limits, files, total)?;
            continue;
        }
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let pushed = name.ends_with(".proto") || (dir == root && name == "buf.yaml");
        if !pushed {
            continue;
        }
        let relative = relative(root, &path)?;
        check_path(&relative)?;
        if meta.len() > limits.max_file_bytes {
            return Err(Error::Refused(format!(
                "{relative}: {} bytes, more than the {} a file may have",
                meta.len(),
                limits.max_file_bytes
            )));
        }
        *total += meta.len();
        if *total > limits.max_total_bytes {
            return Err(Error::Refused(format!(
                "the module is larger than the {} bytes a module may have",
                limits.max_total_bytes
            )));
        }
        if files.len() >= limits.max_files {
            return Err(Error::Refused(format!(
                "the module has more than the {} files a module may have",
                limits.max_files
            )));
        }
        files.insert(relative, fs::read(&path).map_err(io_err(&path))?);
    }
    Ok(())
}

fn relative(root: &Path, path: &Path) -> Result<String, Error> {
    let rest = path
        .strip_prefix(root)
        .map_err(|_| Error::Refused(format!("{}: outside the module", path.display())))?;
    let parts: Option<Vec<&str>> = rest.components().map(|c| c.as_os_str().to_str()).collect();
    parts
        .map(|p| p.join("/"))
        .ok_or_else(|| Error::Refused(format!("{}: not UTF-8", path.display())))
}

/// The content digest of a module: SHA-256 over each file's path and content, in path order.
pub fn digest(files: &Files) -> String {
    let mut hasher = Sha256::new();
    for (path, content) in files {
        hasher.update((path.len() as u64).to_le_bytes());
        hasher.update(path.as_bytes());
        hasher.update((content.len() as u64).to_le_bytes());
        hasher.update(content);
    }
    let hash = hasher.finalize();
    let hex: String = hash.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
}

/// One stored version.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Version {
    pub number: u32,
    pub digest: String,
    pub compat: String,
}

/// What a push did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Pushed {
    /// Stored as a new version.
    New(Version),
    /// The same content is already the latest version; nothing was written.
    Unchanged(Version),
}

/// A registry directory.
pub struct Registry {
    root: PathBuf,
}

impl Registry {
    /// Creates the registry directory (and its marker) if needed.
    pub fn init(root: &Path) -> Result<Registry, Error> {
        fs::create_dir_all(root.join("modules")).map_err(io_err(root))?;
        let marker = root.join(MARKER);
        if !marker.exists() {
            fs::write(&marker, "protogen schema registry, format 1\n").map_err(io_err(&marker))?;
        }
        Ok(Registry {
            root: root.to_path_buf(),
        })
    }

    /// Opens an existing registry.
    pub fn open(root: &Path) -> Result<Registry, Error> {
        if !root.join(MARKER).is_file() {
            return Err(Error::NotFound(format!(
                "registry {} (run `protogen registry init`)",
                root.display()
            )));
        }
        Ok(Registry {
            root: root.to_path_buf(),
        })
    }

    fn module_dir(&self, name: &str) -> Result<PathBuf, Error> {
        check_name(name)?;
        Ok(self.root.join("modules").join(name))
    }

    /// Module names, sorted.
    pub fn modules(&self) -> Result<Vec<String>, Error> {
        let mut out = Vec::new();
        let base = self.root.join("modules");
        collect_modules(&base, &base, &mut out)?;
        out.sort();
        Ok(out)
    }

    /// A module's versions, oldest first.
    pub fn versions(&self, name: &str) -> Result<Vec<Version>, Error> {
        let dir = self.module_dir(name)?;
        let mut out = Vec::new();
        let Ok(entries) = fs::read_dir(&dir) else {
            return Ok(out);
        };
        for entry in entries {
            let entry = entry.map_err(io_err(&dir))?;
            let Some(number) = entry
                .file_name()
                .to_str()
                .and_then(|n| n.parse::<u32>().ok())
            else {
                continue; // temporary directories of pushes, or nested modules
            };
            out.push(read_version(&entry.path(), number)?);
        }
        out.sort_by_key(|v| v.number);
        Ok(out)
    }

    /// The stored files of a version.
    pub fn files(&self, name: &str, number: u32) -> Result<Files, Error> {
        let dir = self.version_dir(name, number)?.join("files");
        let mut files = Files::new();
        let mut total = 0;
        let limits = Limits {
            max_files: usize::MAX,
            max_file_bytes: u64::MAX,
            max_total_bytes: u64::MAX,
        };
        read_dir(&dir, &dir, limits, &mut files, &mut total)?;
        Ok(files)
    }

    /// The compiled image of a version (every file checked).
    pub fn image(&self, name: &str, number: u32) -> Result<Image, Error> {
        let path = self.version_dir(name, number)?.join("image.binpb");
        let bytes = fs::read(&path).map_err(io_err(&path))?;
        Image::from_descriptor_set(&bytes)
            .map_err(|e| Error::Refused(format!("{}: {e}", path.display())))
    }

    fn version_dir(&self, name: &str, number: u32) -> Result<PathBuf, Error> {
        let dir = self.module_dir(name)?.join(number.to_string());
        if !dir.join("version.json").is_file() {
            return Err(Error::NotFound(format!("{name}@{number}")));
        }
        Ok(dir)
    }

    /// Stores `files` (compiled by the caller into `image`, an encoded descriptor set) as the
    /// next version of `name` if it is compatible under `compat`; the same content as the
    /// latest version is a no-op that returns it.
    pub fn push(
        &self,
        name: &str,
        files: &Files,
        image: &[u8],
        compat: Compat,
    ) -> Result<Pushed, Error> {
        for path in files.keys() {
            check_path(path)?;
        }
        let dir = self.module_dir(name)?;
        fs::create_dir_all(&dir).map_err(io_err(&dir))?;
        let digest = digest(files);
        let new = Image::from_descriptor_set(image)
            .map_err(|e| Error::Refused(format!("the compiled image does not decode: {e}")))?;
        let staged = self.stage(&dir, files, image)?;
        // Optimistic: check against the versions as they are now, then claim the next number by
        // renaming; if another push claimed it first, check again against that one.
        let result = loop {
            let versions = self.versions(name)?;
            if let Some(last) = versions.last()
                && last.digest == digest
            {
                break Ok(Pushed::Unchanged(last.clone()));
            }
            if let Err(err) = self.check(name, &new, &versions, compat) {
                break Err(err);
            }
            let number = versions.last().map_or(1, |v| v.number + 1);
            let version = Version {
                number,
                digest: digest.clone(),
                compat: compat.name().to_owned(),
            };
            let meta = staged.join("version.json");
            fs::write(&meta, version_json(&version)).map_err(io_err(&meta))?;
            match fs::rename(&staged, dir.join(number.to_string())) {
                Ok(()) => return Ok(Pushed::New(version)),
                Err(_) if dir.join(number.to_string()).exists() => continue,
                Err(err) => break Err(Error::Io(dir.join(number.to_string()), err)),
            }
        };
        let _ = fs::remove_dir_all(&staged);
        result
    }

    /// Writes a version's content into a fresh temporary directory beside the versions.
    fn stage(&self, dir: &Path, files: &Files, image: &[u8]) -> Result<PathBuf, Error> {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let staged = dir.join(format!(".push-{}-{nanos}", std::process::id()));
        for (path, content) in files {
            let target = staged.join("files").join(path);
            if let Some(parent) = target.parent() {
                fs::create_dir_all(parent).map_err(io_err(parent))?;
            }
            fs::write(&target, content).map_err(io_err(&target))?;
        }
        let image_path = staged.join("image.binpb");
        fs::create_dir_all(&staged).map_err(io_err(&staged))?;
        fs::write(&image_path, image).map_err(io_err(&image_path))?;
        Ok(staged)
    }

    /// Checks `new` against the last version (or all, for transitive modes).
    fn check(
        &self,
        name: &str,
        new: &Image,
        versions: &[Version],
        compat: Compat,
    ) -> Result<(), Error> {
        if compat == Compat::None {
            return Ok(());
        }
        let against: Vec<&Version> = if compat.transitive() {
            versions.iter().rev().collect()
        } else {
            versions.last().into_iter().collect()
        };
        let backward = config(&[])?;
        let forward = config(FORWARD_EXCEPT)?;
        for version in against {
            let old = self.image(name, version.number)?;
            let mut findings = Vec::new();
            if compat.backward() {
                findings.extend(breaking(new, &old, &backward));
            }
            if compat.forward() {
                findings.extend(breaking(&old, new, &forward));
            }
            crate::finding::sort(&mut findings);
            if !findings.is_empty() {
                return Err(Error::Incompatible {
                    against: version.number,
                    findings,
                });
            }
        }
        Ok(())
    }
}

/// What the forward check leaves out of WIRE_JSON: with the previous schema in the place of the
/// new one, these rules would call every addition a deletion.
const FORWARD_EXCEPT: &[&str] = &[
    "FIELD_NO_DELETE_UNLESS_NAME_RESERVED",
    "FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED",
    "ENUM_VALUE_NO_DELETE_UNLESS_NAME_RESERVED",
    "ENUM_VALUE_NO_DELETE_UNLESS_NUMBER_RESERVED",
    "RESERVED_ENUM_NO_DELETE",
    "RESERVED_MESSAGE_NO_DELETE",
];

fn config(except: &[&str]) -> Result<CheckConfig, Error> {
    let except: Vec<String> = except.iter().map(|s| (*s).to_owned()).collect();
    Ok(CheckConfig {
        rules: RuleSet::resolve(Kind::Breaking, &["WIRE_JSON".into()], &except)
            .map_err(Error::Refused)?,
        ..CheckConfig::default_for(Kind::Breaking)
    })
}

fn collect_modules(base: &Path, dir: &Path, out: &mut Vec<String>) -> Result<(), Error> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Ok(());
    };
    let mut has_versions = false;
    for entry in entries {
        let entry = entry.map_err(io_err(dir))?;
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        if name.parse::<u32>().is_ok() {
            has_versions = true;
        } else if !name.starts_with('.') && entry.file_type().is_ok_and(|t| t.is_dir()) {
            collect_modules(base, &entry.path(), out)?;
        }
    }
    if has_versions {
        out.push(relative(base, dir)?);
    }
    Ok(())
}

fn version_json(v: &Version) -> String {
    let value = serde_json::json!({
        "version": v.number,
        "digest": v.digest,
        "compat": v.compat,
    });
    format!("{value:#}\n")
}

fn read_version(dir: &Path, number: u32) -> Result<Version, Error> {
    let path = dir.join("version.json");
    let text = fs::read_to_string(&path).map_err(io_err(&path))?;
    let value: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| Error::Refused(format!("{}: {e}", path.display())))?;
    Ok(Version {
        number,
        digest: value["digest"].as_str().unwrap_or_default().to_owned(),
        compat: value["compat"].as_str().unwrap_or_default().to_owned(),
    })
}

/// `acme/user@3` -> (`acme/user`, Some(3)); `acme/user` -> (`acme/user`, None).
pub fn parse_ref(reference: &str) -> Result<(&str, Option<u32>), Error> {
    match reference.rsplit_once('@') {
        Some((name, version)) => {
            let number = version.parse().map_err(|_| {
                Error::Refused(format!("{reference:?}: the version after '@' is a number"))
            })?;
            Ok((name, Some(number)))
        }
        None => Ok((reference, None)),
    }
}
