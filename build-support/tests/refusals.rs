//! Every refusal names where: real `.proto` files of the corpus (read from `../shared/corpus` at
//! test time, never copied) and the example tenant schemas, each damaged by one random edit — cut
//! short, a token deleted, two tokens swapped, a stray character put in — are generated; each
//! input that is refused must be refused with a location (`file:line:col: …` for a `.proto`,
//! `file:line:col: /json/pointer: …` for a tenant schema), and none may panic or hang.
//!
//! `PROTOGEN_CORPUS` overrides the corpus location; `PROTOGEN_REFUSAL_SEED` picks other edits.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use protogen_build::{Builder, Error, TenantLocks};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// Files of the corpus small enough to generate quickly in a debug build, sampled from the
/// proto2/proto3 units protox compiles.
const PROTO_FILES: usize = 40;
/// Edits per file.
const EDITS: usize = 4;
/// Longer than any generation of one damaged file takes here (a few seconds at most).
const HANG: Duration = Duration::from_secs(120);

fn corpus() -> PathBuf {
    std::env::var_os("PROTOGEN_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace().join("../shared/corpus"))
}

/// A small xorshift generator: the edits are the same on every run unless the seed is changed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// A real `.proto` file: its include roots and its name below them.
struct ProtoFile {
    includes: Vec<PathBuf>,
    name: String,
}

/// The files of the units that compile with protox 0.10 (no editions; not the two units it
/// cannot compile), under 12 KB, evenly sampled.
fn proto_files() -> Vec<ProtoFile> {
    let root = corpus();
    let text = std::fs::read_to_string(root.join("units.json"))
        .unwrap_or_else(|e| panic!("{}/units.json: {e}", root.display()));
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    let mut all = Vec::new();
    for unit in json["units"].as_array().unwrap() {
        let name = unit["name"].as_str().unwrap();
        let editions = !unit["editions"].as_array().unwrap().is_empty();
        if editions || matches!(name, "protobuf-wkt" | "protobuf-unittest") {
            continue;
        }
        let includes: Vec<PathBuf> = unit["includes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| root.join(i.as_str().unwrap()))
            .collect();
        for file in unit["files"].as_array().unwrap() {
            let file = file.as_str().unwrap().to_owned();
            let Some(path) = includes.iter().map(|i| i.join(&file)).find(|p| p.is_file()) else {
                continue;
            };
            if std::fs::metadata(&path).unwrap().len() < 12_000 {
                all.push(ProtoFile {
                    includes: includes.clone(),
                    name: file,
                });
            }
        }
    }
    all.sort_by(|a, b| a.name.cmp(&b.name));
    all.dedup_by(|a, b| a.name == b.name);
    assert!(all.len() >= PROTO_FILES, "only {} corpus files", all.len());
    let step = all.len() / PROTO_FILES;
    all.into_iter().step_by(step).take(PROTO_FILES).collect()
}

fn tenant_schemas() -> Vec<PathBuf> {
    let dir = workspace().join("schemas/tenants");
    let mut found = Vec::new();
    for tenant in std::fs::read_dir(&dir).unwrap() {
        for file in std::fs::read_dir(tenant.unwrap().path()).unwrap() {
            let path = file.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if name.ends_with(".json") && !name.ends_with(".lock.json") {
                found.push(path);
            }
        }
    }
    found.sort();
    assert!(found.len() >= 4, "{found:?}");
    found
}

/// The text cut into tokens (words, numbers, strings, single punctuation), each with the
/// whitespace and comments that follow it, so that edits move whole tokens.
fn tokens(text: &str) -> Vec<&str> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if c.is_ascii_alphanumeric() || c == b'_' || c == b'.' || c == b'-' {
            while i < bytes.len()
                && (bytes[i].is_ascii_alphanumeric() || matches!(bytes[i], b'_' | b'.' | b'-'))
            {
                i += 1;
            }
        } else if c == b'"' || c == b'\'' {
            i += 1;
            while i < bytes.len() && bytes[i] != c && bytes[i] != b'\n' {
                i += if bytes[i] == b'\\' { 2 } else { 1 };
            }
            i = (i + 1).min(bytes.len());
        } else {
            i += text[i..].chars().next().unwrap().len_utf8();
        }
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        out.push(&text[start..i]);
        start = i;
    }
    out
}

/// One random edit of `text`, and what it was.
fn edit(text: &str, rng: &mut Rng) -> (String, String) {
    let tokens = tokens(text);
    let at = rng.below(tokens.len());
    let joined = |parts: &[&str]| parts.concat();
    match rng.below(4) {
        0 => (
            joined(&tokens[..at]),
            format!("cut short before token {at}"),
        ),
        1 => {
            let mut t = tokens.clone();
            let gone = t.remove(at);
            (joined(&t), format!("token {at} `{}` deleted", gone.trim()))
        }
        2 if at + 1 < tokens.len() => {
            let mut t = tokens.clone();
            // Swap the tokens, keeping each one's trailing whitespace in place.
            let (a, b) = (t[at], t[at + 1]);
            let (a_word, a_space) = a.split_at(a.trim_end().len());
            let (b_word, b_space) = b.split_at(b.trim_end().len());
            let first = format!("{b_word}{a_space}");
            let second = format!("{a_word}{b_space}");
            t[at] = &first;
            t[at + 1] = &second;
            (joined(&t), format!("tokens {at} and {} swapped", at + 1))
        }
        _ => {
            const STRAY: &[&str] = &["}", "{", ";", "=", "\"", "@", "#", "/", "*", "1", "x", "]"];
            let stray = STRAY[rng.below(STRAY.len())];
            let mut t = tokens.clone();
            t.insert(at, stray);
            (joined(&t), format!("`{stray}` put before token {at}"))
        }
    }
}

/// Runs `generate` on another thread: a panic or a hang fails the test with what was edited.
fn refusal(
    what: &str,
    generate: impl FnOnce() -> Result<(), Error> + Send + 'static,
) -> Option<Error> {
    let (send, receive) = mpsc::channel();
    let handle = std::thread::spawn(move || {
        let _ = send.send(generate().err());
    });
    match receive.recv_timeout(HANG) {
        Ok(result) => {
            handle.join().unwrap();
            result
        }
        Err(mpsc::RecvTimeoutError::Timeout) => panic!("{what}: no answer in {HANG:?} (a hang?)"),
        Err(mpsc::RecvTimeoutError::Disconnected) => panic!("{what}: generation panicked"),
    }
}

/// Whether every problem of `error` has a location on a line of its file (the damaged input or
/// a file it imports), printed first as `file:line:col: `, and for tenant schemas a JSON pointer
/// after it.
fn located(error: &Error, json: bool) -> bool {
    let lines: Vec<String> = error.to_string().lines().map(str::to_owned).collect();
    error.errors().zip(&lines).all(|(e, shown)| {
        let Some(at) = e.location() else {
            return false;
        };
        let in_file = std::fs::read_to_string(&at.file)
            .is_ok_and(|t| at.line >= 1 && at.line <= t.lines().count().max(1));
        let message = e.message();
        let pointer = !json || message.starts_with('/') || message.starts_with("(document)");
        in_file && at.column >= 1 && pointer && shown.starts_with(&format!("{at}: "))
    })
}

#[test]
#[ignore = "generates about 200 damaged inputs (under a minute); run with --include-ignored"]
fn every_refusal_of_a_damaged_input_is_located() {
    let seed = std::env::var("PROTOGEN_REFUSAL_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x9e37_79b9_7f4a_7c15);
    let mut rng = Rng(seed);
    let scratch = tempfile::tempdir().unwrap();
    let mut refused = 0;
    let mut accepted = 0;
    let mut unlocated = Vec::new();

    for (n, file) in proto_files().into_iter().enumerate() {
        let original = file
            .includes
            .iter()
            .map(|i| i.join(&file.name))
            .find(|p| p.is_file())
            .unwrap();
        let text = std::fs::read_to_string(&original).unwrap();
        for k in 0..EDITS {
            let (damaged, how) = edit(&text, &mut rng);
            // The damaged copy shadows the original: its overlay root comes first.
            let overlay = scratch.path().join(format!("p{n}-{k}"));
            let path = overlay.join(&file.name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &damaged).unwrap();
            let mut includes = vec![overlay];
            includes.extend(file.includes.iter().cloned());
            let what = format!("{} ({how})", file.name);
            let input = path.clone();
            match refusal(&what, move || {
                let mut builder = Builder::new();
                builder.includes(&includes).skip_cel_rules();
                builder.generate(&[input]).map(drop)
            }) {
                None => accepted += 1,
                Some(error) => {
                    refused += 1;
                    if !located(&error, false) {
                        unlocated.push(format!("{what}:\n{error:?}"));
                    }
                }
            }
        }
    }

    for (n, schema) in tenant_schemas().into_iter().enumerate() {
        let text = std::fs::read_to_string(&schema).unwrap();
        let lock = schema.with_extension("lock.json");
        for k in 0..EDITS * 3 {
            let (damaged, how) = edit(&text, &mut rng);
            let dir = scratch.path().join(format!("t{n}-{k}"));
            std::fs::create_dir_all(&dir).unwrap();
            let path = dir.join(schema.file_name().unwrap());
            std::fs::write(&path, &damaged).unwrap();
            if lock.is_file() {
                std::fs::copy(&lock, path.with_extension("lock.json")).unwrap();
            }
            let what = format!("{} ({how})", schema.display());
            let input = path.clone();
            // Lock files are not what this test damages: numbering in memory keeps a schema
            // that only lacks numbers from being refused for its lock.
            match refusal(&what, move || {
                let mut builder = Builder::new();
                builder
                    .tenant_schema(&input)
                    .tenant_locks(TenantLocks::Warn)
                    .out_dir(input.parent().unwrap());
                builder.generate(&[] as &[&Path]).map(drop)
            }) {
                None => accepted += 1,
                Some(error) => {
                    refused += 1;
                    if !located(&error, true) {
                        unlocated.push(format!("{what}:\n{error:?}"));
                    }
                }
            }
        }
    }

    eprintln!(
        "{refused} refused, {accepted} accepted, {} unlocated",
        unlocated.len()
    );
    // Most random edits break a schema: a test where nearly nothing is refused proves nothing.
    assert!(
        refused * 2 > refused + accepted,
        "only {refused} of {} damaged inputs were refused",
        refused + accepted
    );
    assert!(
        unlocated.is_empty(),
        "{} refusals name no location:\n\n{}",
        unlocated.len(),
        unlocated.join("\n\n")
    );
}
