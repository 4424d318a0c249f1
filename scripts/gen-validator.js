'use strict';
// Writes src/compose-model/generated/compose-spec-validator.js from schemas/compose-spec.json.
const fs = require('node:fs');
const path = require('node:path');

function generate(root) {
  const Ajv = require('ajv').default;
  const standalone = require('ajv/dist/standalone').default;
  const schemaPath = path.join(root, 'schemas', 'compose-spec.json');
  const out = path.join(root, 'src', 'compose-model', 'generated', 'compose-spec-validator.js');
  const schemaText = fs.readFileSync(schemaPath, 'utf8');
  const stamp = `// generated from schemas/compose-spec.json sha ${require('node:crypto').createHash('sha256').update(schemaText).digest('hex')}\n`;
  if (
    fs.existsSync(out) &&
    fs.readFileSync(out, 'utf8').startsWith(stamp) &&
    fs.existsSync(out.replace(/\.js$/, '.d.ts'))
  )
    return;
  const schema = JSON.parse(schemaText);
  // The schema's $schema id is not one ajv knows by that spelling; it is draft-07.
  const ajv = new Ajv({
    code: { source: true },
    allErrors: false,
    strict: false,
    validateSchema: false,
    verbose: true,
  });
  const validate = ajv.compile(schema);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, stamp + standalone(ajv, validate));
  fs.writeFileSync(
    out.replace(/\.js$/, '.d.ts'),
    "import type { ErrorObject } from 'ajv';\n" +
      'declare const validate: ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };\n' +
      'export = validate;\n',
  );
}

module.exports = { generate };
