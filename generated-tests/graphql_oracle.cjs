#!/usr/bin/env node
// protogen's GraphQL against graphql-js, the reference implementation (npm `graphql`, 16.9+).
//
//   node graphql_oracle.cjs sdl --protogen target/debug/protogen --corpus ../shared/corpus
//
// `sdl`: the SDL protogen prints for schemas/ (with the tenant schemas) and for every plain
// (non-editions) unit of the corpus passes graphql-js's buildSchema and validateSchema. A build
// without services emits types only, for the user's own roots: a `Query` with one field is added
// to such SDL before it is checked, as a user's root would be.
//
// graphql-js is found through NODE_PATH (CI installs it into target/graphql-oracle).
'use strict';

const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const graphql = require('graphql');

const root = path.resolve(__dirname, '..');

function arg(name, fallback) {
  const i = process.argv.indexOf(name);
  if (i >= 0 && i + 1 < process.argv.length) return process.argv[i + 1];
  if (fallback !== undefined) return fallback;
  throw new Error(`missing ${name}`);
}

// What protox 0.10 cannot compile (as build-support/tests/corpus.rs lists them): these units fail
// to compile in protogen as a whole, with a located error, and have no SDL.
const KNOWN_UNCOMPILABLE = ['protobuf-wkt', 'protobuf-unittest'];

/// The problems graphql-js finds in `sdl` (an empty list when it is a valid schema).
function checkSdl(sdl) {
  const withRoot = /^type Query\b/m.test(sdl) ? sdl : `${sdl}\ntype Query {\n  _: Boolean\n}\n`;
  let schema;
  try {
    schema = graphql.buildSchema(withRoot);
  } catch (e) {
    return [String(e.message)];
  }
  return graphql.validateSchema(schema).map((e) => e.message);
}

function protogenSdl(protogen, args) {
  const run = spawnSync(protogen, ['sdl', ...args], { encoding: 'utf8', maxBuffer: 1 << 30 });
  return { ok: run.status === 0, sdl: run.stdout, stderr: run.stderr };
}

function sdlCommand() {
  const protogen = arg('--protogen');
  const corpus = arg('--corpus', path.join(root, '..', 'shared', 'corpus'));
  const failures = [];
  let valid = 0;
  let types = 0;
  const check = (name, args) => {
    const out = protogenSdl(protogen, args);
    if (!out.ok) {
      failures.push(`${name}: protogen sdl failed: ${out.stderr.trim()}`);
      return;
    }
    const problems = checkSdl(out.sdl);
    if (problems.length > 0) {
      failures.push(`${name}: ${problems.slice(0, 5).join('\n  ')}`);
      return;
    }
    valid += 1;
    types += (out.sdl.match(/^(type|input|enum|union|scalar) /gm) || []).length;
  };
  const schemas = path.join(root, 'schemas');
  check('schemas/', ['-I', schemas, schemas, '--tenant', path.join(schemas, 'tenants')]);
  const units = JSON.parse(fs.readFileSync(path.join(corpus, 'units.json'), 'utf8')).units;
  let skipped = 0;
  for (const unit of units) {
    if (unit.editions.length > 0 || KNOWN_UNCOMPILABLE.includes(unit.name)) {
      skipped += 1;
      continue;
    }
    const args = ['--skip-cel'];
    for (const include of unit.includes) args.push('-I', path.join(corpus, include));
    // protovalidate's conformance cases hold rules that must be refused (see corpus.rs).
    if (unit.name === 'protovalidate-conformance-cases') args.push('--disable-pass', 'validate');
    for (const file of unit.files) {
      const found = unit.includes.map((i) => path.join(corpus, i, file)).find((p) => fs.existsSync(p));
      args.push(found);
    }
    check(unit.name, args);
  }
  console.log(
    `graphql-js ${graphql.version}: ${valid} SDLs valid (${types} types), ` +
      `${failures.length} invalid, ${skipped} units skipped (editions or not compilable by protox)`,
  );
  for (const f of failures) console.log(`FAIL ${f}`);
  if (failures.length > 0 || valid < 2) process.exit(1);
}

const command = process.argv[2];
if (command === 'sdl') sdlCommand();
else {
  console.error('usage: graphql_oracle.cjs sdl --protogen BIN [--corpus DIR]');
  process.exit(2);
}
