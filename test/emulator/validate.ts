// Request-body validation with property paths (`sql`, `idTypeMapping[0].column`, `tags[2]`,
// `column_mapping.unit_id`). Hand-written rather than generated from the spec so that every error
// carries a precise, client-friendly path; spec-validator.ts checks the emulator against the spec.
import type { SourceKind } from './model.ts';

export interface FieldError { property: string; errorMessage: string }

export type FieldType =
  | 'string' | 'nonEmptyString' | 'boolean' | 'number' | 'hour' | 'nullableString'
  | 'stringArray' | 'idTypeMapping' | 'customFieldMapping' | 'sourceType' | 'any';

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return `a ${typeof v}`;
}

/** Checks one value against a field type, pushing errors; returns true when valid. */
export function checkField(value: unknown, type: FieldType, path: string, errors: FieldError[]): boolean {
  const before = errors.length;
  switch (type) {
    case 'any':
      break;
    case 'string':
      if (typeof value !== 'string') errors.push({ property: path, errorMessage: `must be a string, got ${describe(value)}` });
      break;
    case 'nonEmptyString':
      if (typeof value !== 'string') errors.push({ property: path, errorMessage: `must be a string, got ${describe(value)}` });
      else if (value.trim() === '') errors.push({ property: path, errorMessage: 'must not be empty' });
      break;
    case 'nullableString':
      if (value !== null && typeof value !== 'string') errors.push({ property: path, errorMessage: `must be a string or null, got ${describe(value)}` });
      break;
    case 'boolean':
      if (typeof value !== 'boolean') errors.push({ property: path, errorMessage: `must be a boolean, got ${describe(value)}` });
      break;
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) errors.push({ property: path, errorMessage: `must be a number, got ${describe(value)}` });
      break;
    case 'hour':
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 23) {
        errors.push({ property: path, errorMessage: 'must be an integer hour between 0 and 23' });
      }
      break;
    case 'sourceType':
      if (value !== 'table' && value !== 'query') errors.push({ property: path, errorMessage: 'must be one of: table, query' });
      break;
    case 'stringArray':
      if (!Array.isArray(value)) errors.push({ property: path, errorMessage: `must be an array of strings, got ${describe(value)}` });
      else value.forEach((item, i) => { if (typeof item !== 'string') errors.push({ property: `${path}[${i}]`, errorMessage: `must be a string, got ${describe(item)}` }); });
      break;
    case 'idTypeMapping':
      if (!Array.isArray(value)) { errors.push({ property: path, errorMessage: `must be an array, got ${describe(value)}` }); break; }
      if (value.length === 0) { errors.push({ property: path, errorMessage: 'must contain at least one id type mapping' }); break; }
      value.forEach((item, i) => {
        const p = `${path}[${i}]`;
        if (!isObject(item)) { errors.push({ property: p, errorMessage: `must be an object, got ${describe(item)}` }); return; }
        if (!('statsigUnitID' in item)) errors.push({ property: `${p}.statsigUnitID`, errorMessage: 'is required' });
        else checkField(item.statsigUnitID, 'nonEmptyString', `${p}.statsigUnitID`, errors);
        if (!('column' in item)) errors.push({ property: `${p}.column`, errorMessage: 'is required' });
        else checkField(item.column, 'nonEmptyString', `${p}.column`, errors);
      });
      break;
    case 'customFieldMapping':
      if (!Array.isArray(value)) { errors.push({ property: path, errorMessage: `must be an array, got ${describe(value)}` }); break; }
      value.forEach((item, i) => {
        const p = `${path}[${i}]`;
        if (!isObject(item)) { errors.push({ property: p, errorMessage: `must be an object, got ${describe(item)}` }); return; }
        if (!('key' in item)) errors.push({ property: `${p}.key`, errorMessage: 'is required' });
        else checkField(item.key, 'string', `${p}.key`, errors);
        if (!('formula' in item)) errors.push({ property: `${p}.formula`, errorMessage: 'is required' });
        else checkField(item.formula, 'string', `${p}.formula`, errors);
      });
      break;
  }
  return errors.length === before;
}

/** Copies only the wanted keys (so nested unknown keys are dropped too). */
function cleanValue(value: unknown, type: FieldType): unknown {
  if (type === 'idTypeMapping' && Array.isArray(value)) {
    return value.map((m: Record<string, unknown>) => ({ statsigUnitID: m.statsigUnitID, column: m.column }));
  }
  if (type === 'customFieldMapping' && Array.isArray(value)) {
    return value.map((m: Record<string, unknown>) => ({ key: m.key, formula: m.formula }));
  }
  if (type === 'stringArray' && Array.isArray(value)) return [...(value as string[])];
  return value;
}

export interface KindDef {
  kind: SourceKind;
  /** Human label used in messages, e.g. "Assignment source". */
  label: string;
  /** Accepted request fields (stored and returned), including the live extras. */
  fields: Record<string, FieldType>;
  createRequired: string[];
  updateRequired: string[];
  /** Whether a different `name` in a full update / PATCH renames the source. */
  canRename: boolean;
  hasPatch: boolean;
  /** Path segment used in list links. */
  listPath: string;
}

const common: Record<string, FieldType> = {
  name: 'nonEmptyString',
  description: 'string',
  tags: 'stringArray',
  sql: 'nonEmptyString',
  idTypeMapping: 'idTypeMapping',
  isReadOnly: 'boolean',
  team: 'nullableString',
  teamID: 'nullableString',
};

const metricSourceFields: Record<string, FieldType> = {
  ...common,
  timestampColumn: 'nonEmptyString',
  timestampAsDay: 'boolean',
  sourceType: 'sourceType',
  tableName: 'string',
  datePartitionColumn: 'string',
  customFieldMapping: 'customFieldMapping',
  isVerified: 'boolean',
  disableCURE: 'boolean',
};

export const KINDS: Record<SourceKind, KindDef> = {
  assignment: {
    kind: 'assignment',
    label: 'Assignment source',
    fields: {
      ...common,
      isVerified: 'boolean',
      timestampColumn: 'nonEmptyString',
      experimentIDColumn: 'nonEmptyString',
      groupIDColumn: 'nonEmptyString',
      groupNameColumn: 'string',
      scheduledReloadHour: 'hour',
    },
    createRequired: ['name', 'sql', 'timestampColumn', 'experimentIDColumn', 'groupIDColumn', 'idTypeMapping'],
    updateRequired: ['sql', 'timestampColumn', 'experimentIDColumn', 'groupIDColumn', 'idTypeMapping'],
    canRename: true,
    hasPatch: true,
    listPath: '/console/v1/experiments/assignment_sources',
  },
  entityProperty: {
    kind: 'entityProperty',
    label: 'Entity property source',
    fields: { ...common, timestampColumn: 'string', timestampAsDay: 'boolean' },
    createRequired: ['name', 'sql', 'idTypeMapping'],
    updateRequired: ['sql', 'idTypeMapping'],
    canRename: true,
    hasPatch: true,
    listPath: '/console/v1/experiments/entity_properties',
  },
  qualifyingEvent: {
    kind: 'qualifyingEvent',
    label: 'Qualifying event',
    fields: { ...metricSourceFields, name: 'any' },
    createRequired: ['name', 'sql', 'timestampColumn', 'idTypeMapping'],
    updateRequired: ['sql', 'timestampColumn', 'idTypeMapping'],
    canRename: false,
    hasPatch: false,
    listPath: '/console/v1/experiments/qualifying_events',
  },
  metricSource: {
    kind: 'metricSource',
    label: 'Metric source',
    fields: { ...metricSourceFields, name: 'any' },
    createRequired: ['name', 'sql', 'timestampColumn', 'idTypeMapping'],
    updateRequired: ['sql', 'timestampColumn', 'idTypeMapping'],
    canRename: false,
    hasPatch: false,
    listPath: '/console/v1/metrics/metric_source/list',
  },
};

export type WriteMode = 'create' | 'update' | 'patch';

/**
 * Validates a source request body. Returns the accepted fields (unknown top-level fields, `owner`
 * and `dryRun` removed) and whether it is a dry run. Errors are appended to `errors`.
 */
export function validateSourceBody(def: KindDef, body: Record<string, unknown>, mode: WriteMode, errors: FieldError[]): { fields: Record<string, unknown>; dryRun: boolean } {
  const fields: Record<string, unknown> = {};
  let dryRun = false;
  if ('dryRun' in body) {
    if (checkField(body.dryRun, 'boolean', 'dryRun', errors)) dryRun = body.dryRun === true;
  }
  const required = mode === 'create' ? def.createRequired : mode === 'update' ? def.updateRequired : [];
  for (const key of required) {
    if (!(key in body) || body[key] === undefined) errors.push({ property: key, errorMessage: 'is required' });
  }
  if (mode === 'patch' && 'sql' in body) {
    errors.push({ property: 'sql', errorMessage: 'sql cannot be changed with PATCH; use the full update' });
  }
  for (const [key, value] of Object.entries(body)) {
    const type = def.fields[key];
    if (type === undefined || value === undefined) continue;
    if (mode === 'patch' && key === 'sql') continue;
    // name on metric sources / qualifying events updates: any type allowed by the spec, checked by the caller.
    const effective: FieldType = key === 'name' && mode === 'create' ? 'nonEmptyString' : type;
    if (checkField(value, effective, key, errors)) fields[key] = cleanValue(value, effective);
  }
  if ('name' in fields && typeof fields.name === 'string' && fields.name.length > 100) {
    errors.push({ property: 'name', errorMessage: 'must be at most 100 characters' });
  }
  return { fields, dryRun };
}

/** Builds the 400 summary message from field errors. */
export function summarize(errors: FieldError[]): string {
  const first = errors[0];
  if (!first) return 'Invalid request. Please check the request input and try again.';
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more error${errors.length > 2 ? 's' : ''})` : '';
  return `Invalid request: ${first.property}: ${first.errorMessage}${more}`;
}
