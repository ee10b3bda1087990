import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KINDS, NAMED_KINDS } from '../../src/core/kinds.ts';
import { jsonSchemaFor } from '../../src/core/jsonSchema.ts';
import { IngestionSourceCreate } from '../../src/core/schemas/ingestion.ts';
import { responseExample, type JsonObject } from './helpers/spec.ts';

const V1 = '/console/v1';
/** Every success example the spec gives for the named kinds: [path, method, status, kind]. */
const EXAMPLES = [
  [`${V1}/experiments/assignment_sources`, 'get', '200', 'assignmentSource'],
  [`${V1}/experiments/assignment_sources`, 'post', '201', 'assignmentSource'],
  [`${V1}/experiments/assignment_source/{name}`, 'post', '200', 'assignmentSource'],
  [`${V1}/experiments/assignment_source/{name}`, 'patch', '200', 'assignmentSource'],
  [`${V1}/experiments/entity_properties`, 'get', '200', 'entityPropertySource'],
  [`${V1}/experiments/entity_properties`, 'post', '201', 'entityPropertySource'],
  [`${V1}/experiments/entity_property/{name}`, 'get', '200', 'entityPropertySource'],
  [`${V1}/experiments/entity_property/{name}`, 'post', '200', 'entityPropertySource'],
  [`${V1}/experiments/entity_property/{name}`, 'patch', '200', 'entityPropertySource'],
  [`${V1}/experiments/qualifying_events`, 'get', '200', 'qualifyingEvent'],
  [`${V1}/experiments/qualifying_events`, 'post', '201', 'qualifyingEvent'],
  [`${V1}/experiments/qualifying_events/{name}`, 'get', '200', 'qualifyingEvent'],
  [`${V1}/experiments/qualifying_events/{name}`, 'post', '200', 'qualifyingEvent'],
  [`${V1}/metrics/metric_source`, 'post', '201', 'metricSource'],
] as const;

describe('response schemas accept the spec\'s own examples', () => {
  for (const [path, method, status, kind] of EXAMPLES) {
    it(`${method.toUpperCase()} ${path} ${status}`, () => {
      const example = responseExample(path, method, status) as JsonObject | undefined;
      assert.ok(example, 'the spec has an example here');
      const data = example['data'];
      const items = Array.isArray(data) ? data : [data];
      assert.ok(items.length > 0);
      for (const item of items) {
        const parsed = KINDS[kind].schemas.response.safeParse(item);
        assert.ok(parsed.success, parsed.error?.message);
      }
    });
  }
});

const validAssignment = {
  name: 'exposures', description: '', tags: ['core'], sql: 'SELECT * FROM exposures',
  timestampColumn: 'ts', experimentIDColumn: 'experiment_id', groupIDColumn: 'group_id',
  idTypeMapping: [{ statsigUnitID: 'userID', column: 'user_id' }],
};

describe('schemas reject bad input with the offending path', () => {
  const response = KINDS.assignmentSource.schemas.response;
  const issuePaths = (r: ReturnType<typeof response.safeParse>) => r.error?.issues.map((i) => i.path.join('.')) ?? [];

  it('a missing required field', () => {
    const { sql: _sql, ...rest } = validAssignment;
    assert.deepEqual(issuePaths(response.safeParse(rest)), ['sql']);
  });

  it('a wrong type deep inside an array', () => {
    const bad = { ...validAssignment, idTypeMapping: [{ statsigUnitID: 'userID', column: 42 }] };
    assert.deepEqual(issuePaths(response.safeParse(bad)), ['idTypeMapping.0.column']);
  });

  it('an enum value the spec does not list', () => {
    const r = KINDS.metricSource.schemas.create.safeParse({
      name: 'm', sql: 'select 1', timestampColumn: 'ts', idTypeMapping: [], sourceType: 'view',
    });
    assert.deepEqual(r.error?.issues.map((i) => i.path.join('.')), ['sourceType']);
  });

  it('sql on PATCH is refused with a message that says what to do', () => {
    const r = KINDS.assignmentSource.schemas.patch?.safeParse({ sql: 'select 2' });
    assert.equal(r?.success, false);
    assert.match(r?.error?.issues[0]?.message ?? '', /full update/);
  });

  it('null where the spec says nullable is fine, elsewhere not', () => {
    assert.ok(response.safeParse({ ...validAssignment, team: null, owner: null }).success);
    assert.deepEqual(issuePaths(response.safeParse({ ...validAssignment, description: null })), ['description']);
  });

  it('ingestion create is discriminated on dataset and checks that variant\'s column_mapping', () => {
    const ok = IngestionSourceCreate.safeParse({
      dataset: 'Metrics', type: 'snowflake-v2', source_name: 'daily',
      column_mapping: { unit_id: 'u', id_type: 'user_id', dateid: 'ds', metric_name: 'm' },
    });
    assert.ok(ok.success, ok.error?.message);
    const bad = IngestionSourceCreate.safeParse({
      dataset: 'Events', type: 'snowflake-v2', source_name: 'web', column_mapping: { unit_id: 'u' },
    });
    assert.equal(bad.success, false);
    assert.ok(bad.error?.issues.some((i) => i.path.join('.') === 'column_mapping.event_name'));
    const wrongType = IngestionSourceCreate.safeParse({ dataset: 'Events', type: 'oracle', source_name: 'x' });
    assert.ok(wrongType.error?.issues.some((i) => i.path.join('.') === 'type'));
  });
});

describe('unknown keys survive a round trip', () => {
  it('for every named kind, extra keys from a newer API are kept by response and request schemas', () => {
    for (const d of NAMED_KINDS) {
      const base = { name: 'n', description: '', tags: [], sql: 'select 1', timestampColumn: 'ts', experimentIDColumn: 'e', groupIDColumn: 'g', idTypeMapping: [] };
      const withExtra = { ...base, groupNameColumn: 'group_name', disableCURE: true };
      const parsed = d.schemas.response.parse(withExtra);
      assert.equal(parsed['groupNameColumn'], 'group_name', d.id);
      assert.equal(parsed['disableCURE'], true, d.id);
      const update = d.schemas.update.parse(parsed);
      assert.equal(update['groupNameColumn'], 'group_name', d.id);
    }
  });
});

describe('JSON Schema for IntelliSense is generated from the zod schemas', () => {
  it('has the required fields of the response schema and marks server-owned fields read-only', () => {
    const s = jsonSchemaFor('assignmentSource');
    assert.deepEqual(new Set(s['required'] as string[]), new Set(['name', 'description', 'tags', 'sql', 'timestampColumn', 'experimentIDColumn', 'groupIDColumn', 'idTypeMapping']));
    const props = s['properties'] as Record<string, Record<string, unknown>>;
    assert.equal(props['owner']?.['readOnly'], true);
    assert.equal(typeof props['sql']?.['description'], 'string');
  });

  it('covers every kind, including ingestion', () => {
    for (const kind of Object.keys(KINDS) as (keyof typeof KINDS)[]) {
      const s = jsonSchemaFor(kind);
      assert.equal(s['type'], 'object', kind);
    }
  });
});
