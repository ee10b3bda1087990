// The zod schemas are transcribed by hand; this test proves they say what the official spec says:
// same properties, same required set, same types, same enums, same nullability, same read-only
// fields, recursively. Descriptions, examples, defaults and formats are not compared.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { PaginationMetadata, ProjectInfo, UnitIdType } from '../../src/core/schemas/common.ts';
import {
  IngestionDto, IngestionRun, IngestionSchedule, IngestionSourceCreate, IngestionSourceUpdate, IngestionStatus,
} from '../../src/core/schemas/ingestion.ts';
import * as S from '../../src/core/schemas/sources.ts';
import { component, type Json, type JsonObject } from './helpers/spec.ts';

const PAIRS: [string, z.ZodType][] = [
  ['AssignmentSourceContractDto', S.AssignmentSource],
  ['AssignmentSourceCreationDto', S.AssignmentSourceCreate],
  ['AssignmentSourceQueryUpdateDto', S.AssignmentSourceUpdate],
  ['AssignmentSourcePartialUpdateDto', S.AssignmentSourcePatch],
  ['EntityPropertySourceDto', S.EntityPropertySource],
  ['EntityPropertySourceCreationDto', S.EntityPropertySourceCreate],
  ['EntityPropertySourceQueryUpdateDto', S.EntityPropertySourceUpdate],
  ['EntityPropertySourcePartialUpdateDto', S.EntityPropertySourcePatch],
  ['MetricSourceContractDto', S.MetricSource],
  ['MetricSourceCreationContractDto', S.MetricSourceCreate],
  ['MetricSourceUpdateContractDto', S.MetricSourceUpdate],
  ['IngestionSourceCreateContractDto', IngestionSourceCreate],
  ['IngestionUpdateContractDto', IngestionSourceUpdate],
  ['IngestionDto', IngestionDto],
  ['IngestionScheduleDto', IngestionSchedule],
  ['IngestionRunDataContractDto', IngestionRun],
  ['IngestionStatusDto', IngestionStatus],
  ['PaginationResponseMetadataDto', PaginationMetadata],
  ['ExternalProjectDto', ProjectInfo],
  ['UnitIdTypeContractDto', UnitIdType],
];

function asObj(j: Json | undefined): JsonObject {
  return j !== null && typeof j === 'object' && !Array.isArray(j) ? j : {};
}

/** Differences between the spec's schema and ours, as readable strings. */
export function compare(spec: JsonObject, ours: JsonObject, at: string, out: string[]): string[] {
  const specType = spec['type'];
  const ourType = ours['type'];
  // Untyped in the spec ({} or {readOnly: true}): ours must not constrain the type either, except
  // for read-only fields, which ours forbids in requests (`not: {}`), and carries readOnly.
  if (specType === undefined && spec['oneOf'] === undefined) {
    if (spec['readOnly'] === true && ours['readOnly'] !== true) out.push(`${at}: spec is readOnly, ours is not`);
    if (spec['readOnly'] !== true && ourType !== undefined) out.push(`${at}: spec is untyped, ours is ${JSON.stringify(ourType)}`);
    return out;
  }
  if (Array.isArray(spec['oneOf'])) {
    const ourOneOf = ours['oneOf'] ?? ours['anyOf'];
    if (!Array.isArray(ourOneOf) || ourOneOf.length !== spec['oneOf'].length) {
      out.push(`${at}: spec has oneOf(${spec['oneOf'].length}), ours has ${JSON.stringify(ourOneOf)?.slice(0, 60)}`);
      return out;
    }
    spec['oneOf'].forEach((s, i) => compare(asObj(s), asObj(ourOneOf[i]), `${at}.oneOf[${i}]`, out));
    return out;
  }
  const normType = (t: Json | undefined) => (t === 'integer' ? 'number' : t);
  if (normType(specType) !== normType(ourType)) out.push(`${at}: type ${JSON.stringify(specType)} vs ours ${JSON.stringify(ourType)}`);
  if (Boolean(spec['nullable']) !== Boolean(ours['nullable'])) out.push(`${at}: nullable ${JSON.stringify(spec['nullable'])} vs ours ${JSON.stringify(ours['nullable'])}`);
  const specEnum = spec['enum'];
  const ourEnum = ours['enum'] ?? (ours['const'] !== undefined ? [ours['const']] : undefined);
  if (JSON.stringify(Array.isArray(specEnum) ? [...specEnum].sort() : specEnum) !== JSON.stringify(Array.isArray(ourEnum) ? [...ourEnum].sort() : ourEnum)) {
    out.push(`${at}: enum ${JSON.stringify(specEnum)} vs ours ${JSON.stringify(ourEnum)}`);
  }
  if (specType === 'array') compare(asObj(spec['items']), asObj(ours['items']), `${at}[]`, out);
  if (specType === 'object') {
    const sp = asObj(spec['properties']);
    const op = asObj(ours['properties']);
    const required = new Set(((spec['required'] as Json[] | undefined) ?? []).map(String));
    const ourRequired = new Set(((ours['required'] as Json[] | undefined) ?? []).map(String));
    for (const r of required) if (!ourRequired.has(r)) out.push(`${at}: "${r}" is required in the spec, optional in ours`);
    for (const r of ourRequired) if (!required.has(r)) out.push(`${at}: "${r}" is required in ours, optional in the spec`);
    // A required property without a definition (MetricSourceContractDto.description) counts as untyped.
    for (const name of new Set([...Object.keys(sp), ...Object.keys(op), ...required])) {
      if (!(name in op)) out.push(`${at}: spec property "${name}" missing in ours`);
      else if (!(name in sp) && !required.has(name)) out.push(`${at}: ours has "${name}", the spec does not`);
      else compare(asObj(sp[name]), asObj(op[name]), `${at}.${name}`, out);
    }
    const specAdditional = spec['additionalProperties'];
    if (specAdditional !== undefined && specAdditional !== true && typeof specAdditional === 'object') {
      compare(asObj(specAdditional), asObj(ours['additionalProperties']), `${at}{*}`, out);
    }
  }
  return out;
}

describe('zod schemas are faithful to the official spec', () => {
  for (const [name, schema] of PAIRS) {
    it(name, () => {
      const ours = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', target: 'openapi-3.0' }) as JsonObject;
      assert.deepEqual(compare(component(name), ours, name, []), []);
    });
  }

  it('the comparator itself notices a difference (a required field made optional)', () => {
    const broken = S.AssignmentSource.extend({ sql: z.string().optional() });
    const ours = z.toJSONSchema(broken, { io: 'input', unrepresentable: 'any', target: 'openapi-3.0' }) as JsonObject;
    const diffs = compare(component('AssignmentSourceContractDto'), ours, 'x', []);
    assert.deepEqual(diffs, ['x: "sql" is required in the spec, optional in ours']);
  });

  it('the comparator notices a wrong enum and a missing property', () => {
    const broken = S.MetricSource.extend({ sourceType: z.enum(['table']).optional() }).omit({ tableName: true });
    const ours = z.toJSONSchema(broken, { io: 'input', unrepresentable: 'any', target: 'openapi-3.0' }) as JsonObject;
    const diffs = compare(component('MetricSourceContractDto'), ours, 'x', []);
    assert.ok(diffs.some((d) => d.includes('x.sourceType: enum')), diffs.join('\n'));
    assert.ok(diffs.some((d) => d.includes('"tableName" missing')), diffs.join('\n'));
  });
});
