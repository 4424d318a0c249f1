'use strict';
// Writes src/engine/server/generated/body-validators.js from src/engine/server/schemas/*.json: the
// Engine API's request bodies, precompiled with ajv standalone so the daemon never compiles a
// schema while it starts.
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const INT64 = 2 ** 63;
/** Go's scalar types: the JSON type each decodes from, and an integer's range. */
const SCALARS = {
  string: { type: 'string' },
  bool: { type: 'boolean' },
  int: { type: 'integer', minimum: -INT64, maximum: INT64 - 1 },
  int64: { type: 'integer', minimum: -INT64, maximum: INT64 - 1 },
  'time.Duration': { type: 'integer', minimum: -INT64, maximum: INT64 - 1 },
  uint: { type: 'integer', minimum: 0, maximum: 2 ** 64 - 1 },
  uint64: { type: 'integer', minimum: 0, maximum: 2 ** 64 - 1 },
  uint16: { type: 'integer', minimum: 0, maximum: 65535 },
  'fs.FileMode': { type: 'integer', minimum: 0, maximum: 2 ** 32 - 1 },
  // docker's StrSlice takes one string or a list of them.
  'strslice.StrSlice': { type: ['array', 'string'], items: { type: 'string', goType: 'string' } },
};
/** Named string types of the docker API (container.NetworkMode and the like). */
const STRING_TYPE = /^(container|mount)\.(\w*Mode|CgroupSpec|Isolation|Type|Propagation|Consistency)$/;

/** The schema ajv compiles: every node's JSON type filled in from its goType. */
function expand(node, where) {
  if (!node.goType) throw new Error(`${where}: no goType`);
  const out = { ...node };
  if (node.properties) {
    out.type = 'object';
    out.properties = Object.fromEntries(
      Object.entries(node.properties).map(([k, v]) => [k, expand(v, `${where}.${k}`)]),
    );
  } else if (node.additionalProperties) {
    out.type = 'object';
    out.additionalProperties = expand(node.additionalProperties, `${where}.*`);
  } else if (node.items) {
    out.type = 'array';
    out.items = expand(node.items, `${where}[]`);
  } else if (SCALARS[node.goType]) Object.assign(out, SCALARS[node.goType]);
  else if (STRING_TYPE.test(node.goType)) out.type = 'string';
  else throw new Error(`${where}: unknown Go type ${node.goType}`);
  return out;
}

function generate(root) {
  const Ajv = require('ajv').default;
  const standalone = require('ajv/dist/standalone').default;
  const dir = path.join(root, 'src', 'engine', 'server', 'schemas');
  const out = path.join(root, 'src', 'engine', 'server', 'generated', 'body-validators.js');
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort();
  const hash = crypto
    .createHash('sha256')
    .update(fs.readFileSync(path.join(root, 'scripts', 'gen-api-validators.js')));
  const sources = files.map((f) => {
    const text = fs.readFileSync(path.join(dir, f), 'utf8');
    hash.update(f).update(text);
    return JSON.parse(text);
  });
  const stamp = `// generated from src/engine/server/schemas sha ${hash.digest('hex')}\n`;
  if (fs.existsSync(out) && fs.readFileSync(out, 'utf8').startsWith(stamp)) return;
  const schemas = sources.map((s) => expand(s, s.$id));
  const ajv = new Ajv({ code: { source: true }, allErrors: false, strictTypes: false, messages: false });
  ajv.addKeyword({ keyword: 'goType', schemaType: 'string' });
  ajv.addKeyword({ keyword: 'goStruct', schemaType: 'string' });
  for (const s of schemas) ajv.addSchema(s);
  const ids = Object.fromEntries(schemas.map((s) => [s.$id, s.$id]));
  const code = standalone(ajv, ids);
  const table = `\nexports.schemas = ${JSON.stringify(Object.fromEntries(schemas.map((s) => [s.$id, s])))};\n`;
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, stamp + code + table);
  const names = schemas.map((s) => s.$id);
  fs.writeFileSync(
    out.replace(/\.js$/, '.d.ts'),
    "import type { ErrorObject } from 'ajv';\n" +
      'type Validate = ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };\n' +
      names.map((n) => `export declare const ${n}: Validate;\n`).join('') +
      `export declare const schemas: Record<${names.map((n) => `'${n}'`).join(' | ')}, object>;\n`,
  );
}

module.exports = { generate };
