/**
 * The typed project held to schemas/compose-spec.json: every property the spec gives a service,
 * network, volume, secret or config has a typed field (a row of the typed stage's tables) or a
 * commented ignore, and no row reads a key the spec does not have.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../../helpers/cli';
import { IGNORED_SERVICE_KEYS, SERVICE_FIELDS } from '../../../src/compose-model/typed-service';
import {
  CONFIG_FIELDS,
  IGNORED_RESOURCE_KEYS,
  NETWORK_FIELDS,
  SECRET_FIELDS,
  VOLUME_FIELDS,
} from '../../../src/compose-model/typed-resources';

interface SchemaObject {
  properties?: Record<string, unknown>;
}
const schema = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'schemas', 'compose-spec.json'), 'utf8')) as {
  definitions: Record<string, SchemaObject>;
};

const KINDS: [definition: string, table: object, ignored: Record<string, string>][] = [
  ['service', SERVICE_FIELDS, IGNORED_SERVICE_KEYS],
  ['network', NETWORK_FIELDS, IGNORED_RESOURCE_KEYS.networks],
  ['volume', VOLUME_FIELDS, IGNORED_RESOURCE_KEYS.volumes],
  ['secret', SECRET_FIELDS, IGNORED_RESOURCE_KEYS.secrets],
  ['config', CONFIG_FIELDS, IGNORED_RESOURCE_KEYS.configs],
];

for (const [definition, table, ignored] of KINDS) {
  test(`every ${definition} property of the spec has a typed field or a commented ignore`, () => {
    const spec = Object.keys(schema.definitions[definition].properties ?? {});
    assert.ok(spec.length > 3, `the schema's ${definition} has properties`);
    const typed = (Object.values(table) as [string, unknown][]).map(([key]) => key);
    const missing = spec.filter((k) => !typed.includes(k) && !(k in ignored));
    assert.deepEqual(missing, [], `${definition} properties without a typed field`);
    assert.deepEqual(
      typed.filter((k) => !spec.includes(k)),
      [],
      `typed ${definition} fields reading keys the spec does not have`,
    );
    for (const [k, why] of Object.entries(ignored)) {
      assert.ok(spec.includes(k), `ignored ${definition} key ${k} is in the spec`);
      assert.ok(!typed.includes(k), `ignored ${definition} key ${k} is not typed as well`);
      assert.ok(why.length > 10, `ignored ${definition} key ${k} says why`);
    }
  });
}
