import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { jsonSchemaFor } from '../../../src/core/jsonSchema.ts';
import { KindIds, descriptor } from '../../../src/core/kinds.ts';
import { buildFormModel, humanize, normalize, stringEntries, type FieldModel, type FormModel } from '../../../src/webview/formModel.ts';

function field(model: FormModel, key: string): FieldModel {
  const found = model.fields.find((f) => f.key === key);
  assert.ok(found, `field ${key}`);
  return found;
}

function modelFor(kind: (typeof KindIds)[number], value: Record<string, unknown> = {}, readOnlyPaths: string[] = []): FormModel {
  return buildFormModel(jsonSchemaFor(kind), value, { sqlField: descriptor(kind).sqlField, readOnlyPaths });
}

describe('form model from the real JSON Schemas', () => {
  for (const kind of KindIds) {
    it(`${kind}: every declared property is a field, the SQL field first and on its own`, () => {
      const schema = jsonSchemaFor(kind);
      const model = modelFor(kind);
      const sqlField = descriptor(kind).sqlField;
      const declared = Object.keys(schema['properties'] as object);
      assert.deepEqual(model.sql.path, [sqlField]);
      assert.deepEqual(model.fields.map((f) => f.key), declared.filter((k) => k !== sqlField));
      const required = new Set(schema['required'] as string[]);
      for (const f of model.fields) assert.equal(f.required, required.has(f.key), `${f.key} required`);
      assert.equal(model.sql.required, required.has(sqlField));
      assert.deepEqual(model.otherKeys, []);
      // The model is the form's shape: it must survive a round trip through JSON (signatures).
      assert.deepEqual(JSON.parse(JSON.stringify(model)), model);
    });
  }

  for (const kind of ['assignmentSource', 'entityPropertySource', 'qualifyingEvent', 'metricSource'] as const) {
    it(`${kind}: tags, the id-type mapping table, the read-only owner, nullable team`, () => {
      const model = modelFor(kind, { idTypeMapping: [{ statsigUnitID: 'userID', column: 'user_id' }] });
      assert.equal(field(model, 'tags').kind, 'tags');
      const table = field(model, 'idTypeMapping');
      assert.ok(table.kind === 'table');
      assert.deepEqual(table.columns.map((c) => [c.key, c.kind, c.required]), [['statsigUnitID', 'text', true], ['column', 'text', true]]);
      assert.equal(table.rowCount, 1);
      assert.deepEqual(table.newRow, { statsigUnitID: '', column: '' });
      assert.equal(table.columns[0]?.description, 'ID type (Statsig unit), e.g. userID or stableID.');
      const owner = field(model, 'owner');
      assert.equal(owner.readOnly, true, 'server-owned');
      assert.equal(owner.kind, 'group');
      const team = field(model, 'team');
      assert.ok(team.kind === 'text' && team.nullable && !team.required);
      const description = field(model, 'description');
      assert.ok(description.kind === 'text' && description.multiline);
      assert.ok(field(model, 'isReadOnly').kind === 'boolean');
      assert.equal(field(model, 'name').label, 'Name');
    });
  }

  it('metricSource: sourceType is a select, customFieldMapping a table of key/formula', () => {
    const model = modelFor('metricSource');
    const sourceType = field(model, 'sourceType');
    assert.ok(sourceType.kind === 'enum');
    assert.deepEqual(sourceType.options, ['table', 'query']);
    assert.equal(sourceType.required, false);
    const custom = field(model, 'customFieldMapping');
    assert.ok(custom.kind === 'table');
    assert.deepEqual(custom.columns.map((c) => c.key), ['key', 'formula']);
    assert.equal(custom.rowCount, 0);
    assert.equal(field(model, 'datePartitionColumn').kind, 'text');
    assert.equal(field(model, 'datePartitionColumn').label, 'Date partition column');
  });

  it('ingestionSource: query is the SQL, type an enum, column_mapping an open map with nested maps', () => {
    const value = {
      type: 'snowflake-v2', dataset: 'Events', source_name: 'app_events',
      column_mapping: { event_name: 'event_name', timestamp: 'event_ts', ids: { userID: 'user_id', stableID: 'stable_id' }, metadata: { platform: 'platform' } },
      id: 'server-id',
    };
    const model = modelFor('ingestionSource', value);
    assert.deepEqual(model.sql.path, ['query']);
    assert.equal(model.sql.required, false);
    const type = field(model, 'type');
    assert.ok(type.kind === 'enum' && type.required);
    assert.ok(type.options.includes('bigquery-v2'));
    const mapping = field(model, 'column_mapping');
    assert.ok(mapping.kind === 'map');
    assert.equal(mapping.entryCount, 2, 'event_name and timestamp are key/value rows');
    assert.deepEqual(mapping.nested.map((n) => [n.key, n.kind, n.path]), [
      ['ids', 'map', ['column_mapping', 'ids']],
      ['metadata', 'map', ['column_mapping', 'metadata']],
    ]);
    const ids = mapping.nested[0];
    assert.ok(ids?.kind === 'map' && ids.entryCount === 2);
    assert.deepEqual(model.otherKeys, ['id'], 'keys the schema does not declare');
    assert.equal(field(model, 'source_name').label, 'Source name');
  });

  it('ingestionSource without a column mapping still offers an empty map', () => {
    const mapping = field(modelFor('ingestionSource', { type: 's3', dataset: 'Metrics', source_name: 'x' }), 'column_mapping');
    assert.ok(mapping.kind === 'map' && mapping.entryCount === 0 && mapping.nested.length === 0);
  });

  it('fields listed by the host are read-only, and so is everything inside them', () => {
    const model = modelFor('metricSource', {}, ['name', 'idTypeMapping', 'sql']);
    assert.equal(field(model, 'name').readOnly, true);
    const table = field(model, 'idTypeMapping');
    assert.ok(table.kind === 'table' && table.readOnly && table.columns.every((c) => c.readOnly));
    assert.equal(model.sql.readOnly, true);
    assert.equal(field(model, 'timestampColumn').readOnly, false);
  });

  it('the shape follows the value: row counts and map entries change the model, leaf values do not', () => {
    const a = modelFor('assignmentSource', { name: 'a', idTypeMapping: [{}] });
    const b = modelFor('assignmentSource', { name: 'b', idTypeMapping: [{}] });
    const c = modelFor('assignmentSource', { name: 'a', idTypeMapping: [{}, {}] });
    assert.deepEqual(a, b);
    assert.notDeepEqual(a, c);
  });
});

describe('generic schema shapes', () => {
  const opts = { sqlField: 'sql', readOnlyPaths: [] };
  const schema = {
    type: 'object',
    required: ['level'],
    properties: {
      sql: { type: 'string' },
      level: { type: 'integer' },
      ratio: { type: ['number', 'null'] },
      mode: { enum: ['a', 'b', 3] },
      constant: { const: 'fixed' },
      labels: { type: 'object', additionalProperties: { type: 'string' } },
      nested: { type: 'object', properties: { inner: { type: 'boolean' } } },
      ref: { $ref: '#/$defs/Thing' },
      union: { anyOf: [{ type: 'string' }, { type: 'number' }] },
      matrix: { type: 'array', items: { type: 'array', items: { type: 'number' } } },
      closed: { type: 'object', additionalProperties: false },
      anything: {},
    },
    $defs: { Thing: { type: 'string', description: 'From a definition.' } },
  };

  it('maps each JSON Schema type to a control', () => {
    const model = buildFormModel(schema, { anything: ['x', 'y'], nested: { inner: true, extra: 1 } }, opts);
    const kinds = Object.fromEntries(model.fields.map((f) => [f.key, f.kind]));
    assert.deepEqual(kinds, {
      level: 'number', ratio: 'number', mode: 'enum', constant: 'enum', labels: 'map', nested: 'group',
      ref: 'text', union: 'json', matrix: 'json', closed: 'json', anything: 'tags',
    });
    const level = field(model, 'level');
    assert.ok(level.kind === 'number' && level.integer && level.required);
    const ratio = field(model, 'ratio');
    assert.ok(ratio.kind === 'number' && ratio.nullable && !ratio.integer);
    const mode = field(model, 'mode');
    assert.ok(mode.kind === 'enum');
    assert.deepEqual(mode.options, ['a', 'b', 3]);
    assert.equal(field(model, 'ref').description, 'From a definition.');
    const nested = field(model, 'nested');
    assert.ok(nested.kind === 'group');
    assert.deepEqual(nested.children.map((c) => [c.path, c.kind]), [[['nested', 'inner'], 'boolean']]);
    assert.deepEqual(nested.otherKeys, ['extra']);
  });

  it('an untyped property without a value is shown, not guessed', () => {
    assert.equal(field(buildFormModel(schema, {}, opts), 'anything').kind, 'json');
  });

  it('normalises the ways zod writes "nullable"', () => {
    assert.deepEqual(normalize({ type: ['string', 'null'] }, {}), { schema: { type: 'string' }, nullable: true, supported: true });
    const wrapped = normalize({ anyOf: [{ type: 'object', properties: {} }, { type: 'null' }], description: 'd', readOnly: true }, {});
    assert.ok(wrapped.nullable && wrapped.supported);
    assert.equal(wrapped.schema['description'], 'd');
    assert.equal(wrapped.schema['readOnly'], true);
    assert.equal(normalize({ $ref: '#/missing' }, {}).supported, false);
    assert.equal(normalize({ $ref: '#' }, { $ref: '#' }).supported, false, 'a reference cycle ends');
  });

  it('string entries of a map, in document order', () => {
    assert.deepEqual(stringEntries({ b: 'x', a: 'y', n: 1, o: {} }), [['b', 'x'], ['a', 'y']]);
    assert.deepEqual(stringEntries(['x']), []);
  });

  it('labels people can read', () => {
    assert.equal(humanize('experimentIDColumn'), 'Experiment ID column');
    assert.equal(humanize('statsigUnitID'), 'Statsig unit ID');
    assert.equal(humanize('source_name'), 'Source name');
    assert.equal(humanize('sql'), 'SQL');
    assert.equal(humanize('ids'), 'IDs');
    assert.equal(humanize('timestampAsDay'), 'Timestamp as day');
  });
});
