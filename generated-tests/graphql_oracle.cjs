#!/usr/bin/env node
// protogen's GraphQL against graphql-js, the reference implementation (npm `graphql`, 16.9+).
//
//   node graphql_oracle.cjs sdl --protogen target/debug/protogen --corpus ../shared/corpus
//   node graphql_oracle.cjs exec --harness target/debug/examples/graphql_harness --per-type 60
//
// `sdl`: the SDL protogen prints for schemas/ (with the tenant schemas) and for every plain
// (non-editions) unit of the corpus passes graphql-js's buildSchema and validateSchema. A build
// without services emits types only, for the user's own roots: a `Query` with one field is added
// to such SDL before it is checked, as a user's root would be.
//
// `exec`: random queries (nested selections, aliases, named and inline fragments, unions,
// @skip/@include with variables, __typename, fields merged under one key) over random messages
// of every type the harness knows: graphql-js executes each over the message's proto3 JSON (the
// root value; a oneof resolves to the member present, a map to its entries), and protogen's
// response from the owned message, the view and the bytes must equal it: data (keys in order)
// and error paths. A document graphql-js refuses must be refused by protogen too, and the
// reverse.
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

// ---- exec ----------------------------------------------------------------------------------

/// A xorshift generator, so that a failure is reproduced by its seed.
function rng(seed) {
  let s = BigInt(seed) | 1n;
  const mask = (1n << 64n) - 1n;
  const next = () => {
    s ^= (s << 13n) & mask;
    s ^= s >> 7n;
    s ^= (s << 17n) & mask;
    return s;
  };
  return {
    below: (n) => Number(next() % BigInt(n)),
    chance: (percent) => Number(next() % 100n) < percent,
  };
}

/// A random query over `root` (nested selections, aliases, fragments, unions, directives).
function randomQuery(schema, root, r) {
  const fragments = [];
  const variables = new Map();
  let names = 0;
  const directive = () => {
    if (!r.chance(15)) return '';
    const v = `b${r.below(3)}`;
    variables.set(v, true);
    return r.chance(50) ? ` @skip(if: $${v})` : ` @include(if: $${v})`;
  };
  const leafOnly = (type) => graphql.isLeafType(graphql.getNamedType(type));
  const select = (type, depth) => {
    const parts = [];
    if (graphql.isUnionType(type)) {
      if (r.chance(50)) parts.push('__typename');
      for (const member of type.getTypes()) {
        if (!r.chance(60)) continue;
        if (r.chance(25)) {
          const name = `F${fragments.length}`;
          fragments.push(`fragment ${name} on ${member.name} ${select(member, depth + 1)}`);
          parts.push(`...${name}${directive()}`);
        } else {
          parts.push(`... on ${member.name}${directive()} ${select(member, depth + 1)}`);
        }
      }
      if (parts.length === 0) parts.push('__typename');
      return `{ ${parts.join(' ')} }`;
    }
    const fields = Object.values(type.getFields());
    const count = 1 + r.below(Math.min(fields.length, 6));
    const chosen = [];
    for (let i = 0; i < count; i++) chosen.push(fields[r.below(fields.length)]);
    if (r.chance(20)) parts.push('__typename');
    for (const field of chosen) {
      const named = graphql.getNamedType(field.type);
      let sub = '';
      if (!leafOnly(field.type)) {
        sub = depth > 3 ? ' { __typename }' : ` ${select(named, depth + 1)}`;
      }
      // The same field under its own name more than once is merged; an alias never clashes.
      const alias = r.chance(20) ? `a${names++}: ` : '';
      parts.push(`${alias}${field.name}${directive()}${sub}`);
    }
    if (r.chance(10)) parts.push(`... on ${type.name} { __typename }`);
    if (r.chance(10)) {
      const field = fields[r.below(fields.length)];
      if (leafOnly(field.type)) parts.push(`...${directive()} { ${field.name} }`);
    }
    return `{ ${parts.join(' ')} }`;
  };
  const body = select(root, 0);
  const declared = [...variables.keys()].map((v) => `$${v}: Boolean!`);
  const header = declared.length > 0 ? `query Q(${declared.join(', ')})` : 'query Q';
  const values = {};
  for (const v of variables.keys()) values[v] = r.chance(50);
  return { text: [`${header} ${body}`, ...fragments].join('\n'), variables: values };
}

/// JSON.parse, but objects become Maps: JavaScript objects put integer-like keys first, and map
/// entries must stay in the message's order.
function parseOrdered(text) {
  let i = 0;
  const ws = () => {
    while (' \t\n\r'.includes(text[i])) i++;
  };
  const value = () => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const map = new Map();
      ws();
      if (text[i] === '}') return i++, map;
      for (;;) {
        ws();
        const key = string();
        ws();
        i++; // ':'
        map.set(key, value());
        ws();
        if (text[i++] === '}') return map;
      }
    }
    if (c === '[') {
      i++;
      const list = [];
      ws();
      if (text[i] === ']') return i++, list;
      for (;;) {
        list.push(value());
        ws();
        if (text[i++] === ']') return list;
      }
    }
    if (c === '"') return string();
    const start = i;
    while (i < text.length && !',]} \t\n\r'.includes(text[i])) i++;
    return JSON.parse(text.slice(start, i));
  };
  const string = () => {
    const start = i;
    i++;
    while (text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
    return JSON.parse(text.slice(start, i));
  };
  return value();
}

/// The key of `source` (a message's JSON) that GraphQL field `name` reads: the JSON name, mended
/// as protogen mends names that are not GraphQL names (`@renamed-Field` → `_renamed_Field`).
function jsonKey(source, name) {
  if (source.has(name)) return name;
  const mend = (key) => {
    let m = key.replace(/[^A-Za-z0-9]/g, '_');
    if (m === '' || /^[0-9]/.test(m)) m = `_${m}`;
    while (m.startsWith('__')) m = m.slice(1);
    return m;
  };
  return [...source.keys()].find((key) => mend(key) === name);
}

/// A parsed value with Maps turned back into plain objects (for JSON scalars).
function plain(v) {
  if (v instanceof Map) return Object.fromEntries([...v].map(([k, x]) => [k, plain(x)]));
  if (Array.isArray(v)) return v.map(plain);
  return v;
}

/// Resolvers that read the proto3 JSON of a message as GraphQL sees it: oneofs as unions of
/// one-member objects, maps as `{key, value}` entries, `_` as null.
function resolvers(schema) {
  const member = Symbol('member');
  const fieldResolver = (source, _args, _context, info) => {
    if (source !== null && typeof source === 'object' && source[member]) {
      return source.value;
    }
    const named = graphql.getNamedType(info.returnType);
    if (info.fieldName === '_') return null;
    if (source.entry) return graphql.isScalarType(named) ? plain(source[info.fieldName]) : source[info.fieldName];
    if (graphql.isUnionType(named)) {
      for (const type of named.getTypes()) {
        const [name] = Object.keys(type.getFields());
        if (source.has(name)) return { [member]: true, type: type.name, value: source.get(name) };
      }
      return null;
    }
    const key = jsonKey(source, info.fieldName);
    if (key === undefined) return null;
    const value = source.get(key);
    if (graphql.isObjectType(named) && named.name.endsWith('Entry') && value instanceof Map) {
      const keyType = graphql.getNamedType(named.getFields().key.type).name;
      return [...value].map(([key, v]) => ({
        entry: true,
        key: keyType === 'Int' || keyType === 'UInt32' ? Number(key) : keyType === 'Boolean' ? key === 'true' : key,
        value: v,
      }));
    }
    // A JSON scalar (Struct, Value, …) is written as it is.
    return graphql.isScalarType(named) ? plain(value) : value;
  };
  const typeResolver = (value) => value.type;
  return { fieldResolver, typeResolver };
}

function execCommand() {
  const harness = arg('--harness');
  const perType = Number(arg('--per-type', '40'));
  const seed = Number(arg('--seed', '1'));
  const { execFileSync } = require('node:child_process');
  const first = JSON.parse(execFileSync(harness, { input: JSON.stringify({ op: 'schema' }) + '\n' }).toString());
  const r = rng(seed);
  const cases = [];
  for (const [protoName, typeName] of first.types) {
    const schema = graphql.buildSchema(`${first.sdl}\nschema { query: ${typeName} }\n`);
    for (let i = 0; i < perType; i++) {
      const query = randomQuery(schema, schema.getType(typeName), r);
      const messageSeed = 1 + r.below(1 << 30);
      cases.push({ schema, typeName, request: { op: 'query', type: protoName, seed: messageSeed, query: query.text, variables: query.variables } });
    }
  }
  const input = cases.map((c) => JSON.stringify(c.request)).join('\n') + '\n';
  // One harness process for all the cases: a request per line in, an answer per line out.
  const lines = execFileSync(harness, { input, maxBuffer: 1 << 30 }).toString().trim().split('\n');
  let compared = 0;
  let refused = 0;
  let withErrors = 0;
  const failures = [];
  lines.forEach((line, i) => {
    const { schema, request } = cases[i];
    const answer = JSON.parse(line);
    const document = graphql.parse(request.query);
    const problems = graphql.validate(schema, document);
    if (answer.request_errors !== undefined || problems.length > 0) {
      if (answer.request_errors === undefined || problems.length === 0) {
        failures.push({ request, reason: 'one side refused the document', protogen: answer.request_errors, graphqljs: problems.map((p) => p.message) });
      } else {
        refused += 1;
      }
      return;
    }
    const { fieldResolver, typeResolver } = resolvers(schema);
    const result = graphql.executeSync({
      schema, document, rootValue: parseOrdered(answer.data), variableValues: request.variables, fieldResolver, typeResolver,
    });
    const expected = JSON.stringify({
      data: result.data ?? null,
      errors: (result.errors ?? []).map((e) => e.path),
    });
    for (const source of ['owned', 'view', 'bytes']) {
      const got = JSON.parse(answer[source]);
      const actual = JSON.stringify({ data: got.data ?? null, errors: (got.errors ?? []).map((e) => e.path) });
      if (actual !== expected) {
        failures.push({ request, source, expected, actual, messages: (result.errors ?? []).map((e) => e.message) });
        return;
      }
    }
    if ((result.errors ?? []).length > 0) withErrors += 1;
    compared += 1;
  });
  console.log(
    `graphql-js ${graphql.version}: ${compared} random queries over random messages answered alike ` +
      `from owned, view and bytes (${withErrors} with field errors), ${refused} documents refused by both, ` +
      `${failures.length} differences (${first.types.length} types, seed ${seed})`,
  );
  for (const f of failures.slice(0, 5)) console.log(`FAIL ${JSON.stringify(f, null, 1)}`);
  if (failures.length > 0 || compared === 0) process.exit(1);
}

const command = process.argv[2];
if (command === 'sdl') sdlCommand();
else if (command === 'exec') execCommand();
else {
  console.error('usage: graphql_oracle.cjs sdl --protogen BIN [--corpus DIR] | exec --harness BIN [--per-type N] [--seed N]');
  process.exit(2);
}
