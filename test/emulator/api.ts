// The Console API subset itself: routing table and stateful handlers for every path of
// console-api-20240601.whn-sources-subset.normalized.json. Transport concerns (auth, faults,
// rate limits, JSON parsing) live in server.ts.
import { randomUUID } from 'node:crypto';
import type {
  IngestionSource, IngestionStatus, ProjectState, ReviewSettings, SourceKind, SourceRecord,
} from './model.ts';
import { INGESTION_DATASETS, INGESTION_SOURCE_DATASETS, INGESTION_TYPES, SAMPLE_EVENT_NAMES } from './model.ts';
import { addDays, hashInt, isoDate, makeRun } from './seeds.ts';
import type { FieldError, KindDef } from './validate.ts';
import { KINDS, checkField, isObject, summarize, validateSourceBody } from './validate.ts';
import type { Warehouse } from './warehouse.ts';

export interface ApiContext {
  /** The id of the project the request's key belongs to (GET /console/v1/project). */
  projectId: string;
  state: ProjectState;
  warehouse: Warehouse;
  maxPageSize: number;
  lieNextPage: boolean;
  omitTotalItems: boolean;
}

export interface ApiRequest {
  method: string;
  /** Decoded path parameters. */
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
}

export interface ApiResult { status: number; body: unknown; headers?: Record<string, string> }

type Handler = (ctx: ApiContext, req: ApiRequest) => ApiResult | Promise<ApiResult>;

export interface Route { method: string; template: string; parts: string[]; handler: Handler }

export const DRY_RUN_MESSAGE = 'Dry run succeeded; nothing was saved.';
export const DEFAULT_PAGE_SIZE = 10;

// ---------------------------------------------------------------------------------------------
// helpers

export function errorResult(status: number, message: string, errors?: FieldError[]): ApiResult {
  const body: Record<string, unknown> = { status, message };
  if (errors && errors.length > 0) body.errors = errors;
  return { status, body };
}

function badRequest(errors: FieldError[]): ApiResult {
  return errorResult(400, summarize(errors), errors);
}

function ok(status: number, message: string, data: unknown): ApiResult {
  return { status, body: { message, data } };
}

function clone<T>(v: T): T {
  return structuredClone(v);
}

function requireObjectBody(body: unknown): Record<string, unknown> | ApiResult {
  if (!isObject(body)) return errorResult(400, 'Request body must be a JSON object.', [{ property: '', errorMessage: 'must be a JSON object' }]);
  return body;
}

function isResult(v: unknown): v is ApiResult {
  return isObject(v) && typeof v.status === 'number' && 'body' in v;
}

function parsePositiveInt(raw: string | null, property: string, errors: FieldError[]): number | undefined {
  if (raw === null) return undefined;
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || !Number.isSafeInteger(Number(raw))) {
    errors.push({ property, errorMessage: 'must be a positive integer' });
    return undefined;
  }
  return Number(raw);
}

/**
 * Which paging parameters an operation declares: `page` + `limit` (source lists), `page` only
 * (GET /ingestion/runs: fixed page size of 10, `limit` ignored and left out of links), or none
 * (GET /ingestion/status: everything on one page, `page`/`limit` ignored).
 */
type Paging = 'pageAndLimit' | 'pageOnly' | 'single';

/** Applies page/limit to a list and builds the PaginationResponseWithMessage envelope. */
function paginate(ctx: ApiContext, req: ApiRequest, basePath: string, items: unknown[], message: string, paging: Paging = 'pageAndLimit'): ApiResult {
  const errors: FieldError[] = [];
  const page = paging === 'single' ? 1 : parsePositiveInt(req.query.get('page'), 'page', errors) ?? 1;
  const requested = paging === 'pageAndLimit' ? parsePositiveInt(req.query.get('limit'), 'limit', errors) ?? DEFAULT_PAGE_SIZE : DEFAULT_PAGE_SIZE;
  if (errors.length > 0) return badRequest(errors);
  const limit = paging === 'single' ? Math.max(1, items.length) : Math.min(requested, ctx.maxPageSize);
  const total = items.length;
  const start = (page - 1) * limit;
  // Items are cloned only for the page that is sent (lists can hold thousands of sources).
  const data = start < total ? items.slice(start, start + limit).map((item) => clone(item)) : [];
  const lastPage = Math.max(1, Math.ceil(total / limit));
  const link = (p: number): string => {
    const q = new URLSearchParams();
    for (const [k, v] of req.query) if (k !== 'page' && k !== 'limit') q.append(k, v);
    q.set('page', String(p));
    if (paging === 'pageAndLimit') q.set('limit', String(limit));
    return `${basePath}?${q.toString()}`;
  };
  let nextPage: string | null = start + limit < total ? link(page + 1) : null;
  if (ctx.lieNextPage) nextPage = nextPage !== null ? link(1) : link(lastPage + 1);
  const pagination: Record<string, unknown> = {
    itemsPerPage: limit,
    pageNumber: page,
    nextPage,
    previousPage: page > 1 ? link(page - 1) : null,
  };
  if (!ctx.omitTotalItems) pagination.totalItems = total;
  pagination.all = basePath;
  return { status: 200, body: { message, data, pagination } };
}

function enc(name: string): string {
  return encodeURIComponent(name);
}

// ---------------------------------------------------------------------------------------------
// warehouse-native sources (assignment, entity property, qualifying event, metric source)

function mappedColumns(kind: SourceKind, rec: SourceRecord): { property: string; column: string }[] {
  const out: { property: string; column: string }[] = [];
  const add = (property: string, v: unknown): void => { if (typeof v === 'string' && v.trim() !== '') out.push({ property, column: v }); };
  add('timestampColumn', rec.timestampColumn);
  if (kind === 'assignment') {
    add('experimentIDColumn', rec.experimentIDColumn);
    add('groupIDColumn', rec.groupIDColumn);
    add('groupNameColumn', rec.groupNameColumn);
  }
  if (kind === 'qualifyingEvent' || kind === 'metricSource') add('datePartitionColumn', rec.datePartitionColumn);
  rec.idTypeMapping.forEach((m, i) => add(`idTypeMapping[${i}].column`, m.column));
  return out;
}

function missingColumnErrors(mapped: { property: string; column: string }[], columns: string[], where: string): FieldError[] {
  const lower = new Set(columns.map((c) => c.toLowerCase()));
  return mapped
    .filter((m) => !lower.has(m.column.trim().toLowerCase()))
    .map((m) => ({ property: m.property, errorMessage: `Column "${m.column}" is not ${where}. Available: ${columns.join(', ')}` }));
}

/** The DuckDB-backed checks every write (dry or not) runs before anything is persisted. */
export async function checkSourceAgainstWarehouse(warehouse: Warehouse, kind: SourceKind, rec: SourceRecord): Promise<FieldError[]> {
  let described;
  let where = 'returned by the query';
  if ((kind === 'qualifyingEvent' || kind === 'metricSource') && rec.sourceType === 'table') {
    const tableName = typeof rec.tableName === 'string' ? rec.tableName.trim() : '';
    if (tableName === '') return [{ property: 'tableName', errorMessage: 'is required when sourceType is "table"' }];
    described = await warehouse.describeTable(tableName);
    if (!described.ok) return [{ property: 'tableName', errorMessage: described.error }];
    where = `a column of table ${tableName}`;
  } else {
    described = await warehouse.describeQuery(rec.sql);
    if (!described.ok) return [{ property: 'sql', errorMessage: described.error }];
  }
  return missingColumnErrors(mappedColumns(kind, rec), described.columns, where);
}

function findSource(ctx: ApiContext, def: KindDef, name: string | undefined): SourceRecord | ApiResult {
  const rec = name === undefined ? undefined : ctx.state.sources[def.kind].get(name);
  if (!rec) return errorResult(404, `${def.label} "${name ?? ''}" not found.`);
  return rec;
}

function putSource(ctx: ApiContext, def: KindDef, oldName: string | null, rec: SourceRecord): void {
  const map = ctx.state.sources[def.kind];
  if (oldName === null || oldName === rec.name) {
    map.set(rec.name, rec);
    return;
  }
  // Rename in place so the list order (creation order) is preserved.
  const entries = [...map.entries()].map(([k, v]): [string, SourceRecord] => (k === oldName ? [rec.name, rec] : [k, v]));
  map.clear();
  for (const [k, v] of entries) map.set(k, v);
}

function listSources(def: KindDef, plural: string): Handler {
  return (ctx, req) => paginate(ctx, req, def.listPath, [...ctx.state.sources[def.kind].values()], `${plural} listed successfully.`);
}

function getSource(def: KindDef): Handler {
  return (ctx, req) => {
    const rec = findSource(ctx, def, req.params.name);
    if (isResult(rec)) return rec;
    return ok(200, `${def.label} read successfully.`, clone(rec));
  };
}

function createSource(def: KindDef): Handler {
  return async (ctx, req) => {
    const body = requireObjectBody(req.body);
    if (isResult(body)) return body;
    const errors: FieldError[] = [];
    const { fields, dryRun } = validateSourceBody(def, body, 'create', errors);
    if (errors.length > 0) return badRequest(errors);
    const name = fields.name as string;
    if (ctx.state.sources[def.kind].has(name)) {
      return badRequest([{ property: 'name', errorMessage: `${def.label} "${name}" already exists` }]);
    }
    const rec = { name, description: '', tags: [], ...fields } as unknown as SourceRecord;
    const sqlErrors = await checkSourceAgainstWarehouse(ctx.warehouse, def.kind, rec);
    if (sqlErrors.length > 0) return badRequest(sqlErrors);
    // Re-check after the await: a concurrent request may have taken the name meanwhile.
    if (ctx.state.sources[def.kind].has(name)) {
      return badRequest([{ property: 'name', errorMessage: `${def.label} "${name}" already exists` }]);
    }
    if (!dryRun) putSource(ctx, def, null, rec);
    return ok(201, dryRun ? DRY_RUN_MESSAGE : `${def.label} created successfully.`, clone(rec));
  };
}

function updateSource(def: KindDef, mode: 'update' | 'patch'): Handler {
  return async (ctx, req) => {
    const existing = findSource(ctx, def, req.params.name);
    if (isResult(existing)) return existing;
    const body = requireObjectBody(req.body);
    if (isResult(body)) return body;
    const errors: FieldError[] = [];
    const { fields, dryRun } = validateSourceBody(def, body, mode, errors);
    if ('name' in body && body.name !== undefined) {
      if (!def.canRename) {
        if (body.name !== existing.name) errors.push({ property: 'name', errorMessage: `name cannot be changed (this ${def.label.toLowerCase()} is "${existing.name}")` });
        delete fields.name;
      } else if (typeof fields.name === 'string' && fields.name !== existing.name && ctx.state.sources[def.kind].has(fields.name)) {
        errors.push({ property: 'name', errorMessage: `${def.label} "${fields.name}" already exists` });
      }
    }
    if (errors.length > 0) return badRequest(errors);
    const rec: SourceRecord = { ...clone(existing), ...fields };
    const sqlErrors = await checkSourceAgainstWarehouse(ctx.warehouse, def.kind, rec);
    if (sqlErrors.length > 0) return badRequest(sqlErrors);
    // Re-check after the await: the source may have been deleted or renamed, or the new name taken.
    const map = ctx.state.sources[def.kind];
    if (!map.has(existing.name)) return errorResult(404, `${def.label} "${existing.name}" not found.`);
    if (rec.name !== existing.name && map.has(rec.name)) {
      return badRequest([{ property: 'name', errorMessage: `${def.label} "${rec.name}" already exists` }]);
    }
    if (!dryRun) putSource(ctx, def, existing.name, rec);
    return ok(200, dryRun ? DRY_RUN_MESSAGE : `${def.label} updated successfully.`, clone(rec));
  };
}

function deleteSource(def: KindDef): Handler {
  return (ctx, req) => {
    const rec = findSource(ctx, def, req.params.name);
    if (isResult(rec)) return rec;
    if (def.kind === 'metricSource') {
      const dependents = ctx.state.metrics.filter((m) => m.warehouseNative.metricSourceName === rec.name);
      if (dependents.length > 0) {
        return badRequest([{ property: 'name', errorMessage: `Metric source "${rec.name}" is used by ${dependents.length} metric(s): ${dependents.map((m) => m.name).join(', ')}` }]);
      }
    }
    ctx.state.sources[def.kind].delete(rec.name);
    return ok(200, `${def.label} deleted successfully.`, undefined);
  };
}

function metricSourceDependents(ctx: ApiContext, req: ApiRequest): ApiResult {
  const def = KINDS.metricSource;
  const rec = findSource(ctx, def, req.params.name);
  if (isResult(rec)) return rec;
  const items = ctx.state.metrics.filter((m) => m.warehouseNative.metricSourceName === rec.name);
  return paginate(ctx, req, `/console/v1/metrics/metric_source/${enc(rec.name)}/metrics`, items, 'Metrics listed successfully.');
}

// ---------------------------------------------------------------------------------------------
// ingestion

const COLUMN_MAPPING: Record<string, { required: string[]; optional: string[]; maps: string[] }> = {
  Metrics: { required: ['unit_id', 'id_type', 'dateid', 'metric_name'], optional: ['metric_value', 'numerator', 'denominator'], maps: [] },
  Events: { required: ['event_name', 'timestamp', 'ids'], optional: ['unit_id', 'metadata_object', 'event_value', 'metadata'], maps: ['ids', 'metadata'] },
  export_exposures: { required: ['experiment', 'group_id', 'timestamp', 'ids'], optional: ['unit_id', 'metadata_object', 'event_value', 'metadata'], maps: ['ids', 'metadata'] },
};
/** column_mapping keys whose values are column names of the ingestion query (id_type and metadata_object are not). */
const COLUMN_KEYS = ['unit_id', 'dateid', 'metric_name', 'metric_value', 'numerator', 'denominator', 'event_name', 'timestamp', 'experiment', 'group_id', 'event_value'];

function unset(v: unknown): boolean {
  return v === undefined || v === null || v === '' || v === 'null';
}

function validateColumnMapping(dataset: string, value: unknown, errors: FieldError[]): Record<string, unknown> | undefined {
  const spec = COLUMN_MAPPING[dataset];
  if (!spec) return undefined;
  if (!isObject(value)) { errors.push({ property: 'column_mapping', errorMessage: 'must be an object' }); return undefined; }
  const out: Record<string, unknown> = {};
  for (const key of spec.required) if (!(key in value)) errors.push({ property: `column_mapping.${key}`, errorMessage: 'is required' });
  for (const key of [...spec.required, ...spec.optional]) {
    if (!(key in value) || value[key] === undefined) continue;
    const v = value[key];
    const path = `column_mapping.${key}`;
    if (spec.maps.includes(key)) {
      if (!isObject(v)) { errors.push({ property: path, errorMessage: 'must be an object mapping names to column names' }); continue; }
      const m: Record<string, string> = {};
      for (const [k, col] of Object.entries(v)) if (checkField(col, 'string', `${path}.${k}`, errors)) m[k] = col as string;
      if (key === 'ids' && Object.keys(m).length === 0) errors.push({ property: path, errorMessage: 'must map at least one id type' });
      out[key] = m;
    } else if (checkField(v, 'string', path, errors)) {
      out[key] = v;
    }
  }
  if (dataset === 'Metrics' && unset(out.metric_value) && (unset(out.numerator) || unset(out.denominator))) {
    errors.push({ property: 'column_mapping.metric_value', errorMessage: 'is required unless both numerator and denominator are mapped' });
  }
  return out;
}

function normalizeDataset(d: string): string {
  return d === 'Exposures' ? 'export_exposures' : d;
}

interface IngestionFields { type: string; dataset: string; source_name?: string; rest: Partial<IngestionSource> }

function validateIngestionBody(body: Record<string, unknown>, mode: 'create' | 'update', errors: FieldError[]): IngestionFields {
  const type = body.type;
  const datasetRaw = body.dataset;
  if (!('type' in body)) errors.push({ property: 'type', errorMessage: 'is required' });
  else if (typeof type !== 'string' || !(INGESTION_TYPES as readonly string[]).includes(type)) errors.push({ property: 'type', errorMessage: `must be one of: ${INGESTION_TYPES.join(', ')}` });
  if (!('dataset' in body)) errors.push({ property: 'dataset', errorMessage: 'is required' });
  else if (typeof datasetRaw !== 'string' || !(INGESTION_SOURCE_DATASETS as readonly string[]).includes(datasetRaw)) errors.push({ property: 'dataset', errorMessage: `must be one of: ${INGESTION_SOURCE_DATASETS.join(', ')}` });
  const dataset = typeof datasetRaw === 'string' ? normalizeDataset(datasetRaw) : '';
  let sourceName: string | undefined;
  if (mode === 'create' && !('source_name' in body)) errors.push({ property: 'source_name', errorMessage: 'is required' });
  if ('source_name' in body && body.source_name !== undefined) {
    if (checkField(body.source_name, 'nonEmptyString', 'source_name', errors)) sourceName = body.source_name as string;
  }
  const rest: Partial<IngestionSource> = {};
  for (const key of ['query', 'share', 'schema', 'table'] as const) {
    if (key in body && body[key] !== undefined && checkField(body[key], 'string', key, errors)) rest[key] = body[key] as string;
  }
  if ('enabled' in body && body.enabled !== undefined && checkField(body.enabled, 'boolean', 'enabled', errors)) rest.enabled = body.enabled as boolean;
  if (mode === 'create' && 'use_delta_sharing' in body && body.use_delta_sharing !== undefined) {
    if (body.use_delta_sharing !== true) errors.push({ property: 'use_delta_sharing', errorMessage: 'must be true when present (omit it otherwise)' });
    else rest.use_delta_sharing = true;
  }
  if ('column_mapping' in body && body.column_mapping !== undefined && COLUMN_MAPPING[dataset]) {
    const cm = validateColumnMapping(dataset, body.column_mapping, errors);
    if (cm) rest.column_mapping = cm;
  }
  return { type: typeof type === 'string' ? type : '', dataset, ...(sourceName !== undefined ? { source_name: sourceName } : {}), rest };
}

export async function checkIngestionAgainstWarehouse(warehouse: Warehouse, s: IngestionSource): Promise<FieldError[]> {
  if (s.query.trim() === '') return [];
  const described = await warehouse.describeQuery(s.query);
  if (!described.ok) return [{ property: 'query', errorMessage: described.error }];
  const mapped: { property: string; column: string }[] = [];
  for (const key of COLUMN_KEYS) {
    const v = s.column_mapping[key];
    if (typeof v === 'string' && !unset(v)) mapped.push({ property: `column_mapping.${key}`, column: v });
  }
  for (const mapKey of ['ids', 'metadata']) {
    const m = s.column_mapping[mapKey];
    if (isObject(m)) for (const [k, v] of Object.entries(m)) if (typeof v === 'string' && !unset(v)) mapped.push({ property: `column_mapping.${mapKey}.${k}`, column: v });
  }
  return missingColumnErrors(mapped, described.columns, 'returned by the query');
}

/** The per-source object: `IngestionDto.data` for one source, and each entry of `data.sources`. */
function ingestionSourceData(s: IngestionSource): Record<string, unknown> {
  const data: Record<string, unknown> = {
    dataset: s.dataset, source_name: s.source_name, query: s.query, column_mapping: clone(s.column_mapping), enabled: s.enabled,
  };
  if (s.use_delta_sharing !== undefined) data.use_delta_sharing = s.use_delta_sharing;
  if (s.share !== undefined) data.share = s.share;
  if (s.schema !== undefined) data.schema = s.schema;
  if (s.table !== undefined) data.table = s.table;
  return data;
}

function ingestionSourceDto(s: IngestionSource): Record<string, unknown> {
  return { id: s.id, type: s.type, enabled: s.enabled, data: ingestionSourceData(s) };
}

function ingestionConfigDto(type: string, dataset: string, sources: IngestionSource[]): Record<string, unknown> {
  return {
    id: `ingestion_${type}_${dataset}`,
    type,
    enabled: sources.some((s) => s.enabled),
    data: { dataset, sources: sources.map(ingestionSourceData) },
  };
}

function notConfigured(type: string, dataset: string): ApiResult {
  return errorResult(404, `Ingestion of type ${type} with dataset ${dataset} is not configured.`);
}

/** Validates type + dataset (+ optional source_name) query parameters against the spec's enums. */
function ingestionQuery(req: ApiRequest): { type: string; dataset: string; sourceName: string | null } | ApiResult {
  const errors: FieldError[] = [];
  const type = req.query.get('type');
  const dataset = req.query.get('dataset');
  if (type === null) errors.push({ property: 'type', errorMessage: 'is required' });
  else if (!(INGESTION_TYPES as readonly string[]).includes(type)) errors.push({ property: 'type', errorMessage: `must be one of: ${INGESTION_TYPES.join(', ')}` });
  if (dataset === null) errors.push({ property: 'dataset', errorMessage: 'is required' });
  else if (!(INGESTION_DATASETS as readonly string[]).includes(dataset)) errors.push({ property: 'dataset', errorMessage: `must be one of: ${INGESTION_DATASETS.join(', ')}` });
  if (errors.length > 0) return badRequest(errors);
  return { type: type ?? '', dataset: dataset ?? '', sourceName: req.query.get('source_name') };
}

function getIngestion(ctx: ApiContext, req: ApiRequest): ApiResult {
  const q = ingestionQuery(req);
  if (isResult(q)) return q;
  const sources = ctx.state.ingestion.filter((s) => s.type === q.type && s.dataset === q.dataset);
  if (q.sourceName !== null) {
    const one = sources.find((s) => s.source_name === q.sourceName);
    if (!one) return errorResult(404, `Ingestion source "${q.sourceName}" of type ${q.type} with dataset ${q.dataset} is not configured.`);
    return ok(200, 'Ingestion read successfully.', ingestionSourceDto(one));
  }
  if (sources.length === 0) return notConfigured(q.type, q.dataset);
  return ok(200, 'Ingestion read successfully.', ingestionConfigDto(q.type, q.dataset, sources));
}

async function createIngestion(ctx: ApiContext, req: ApiRequest): Promise<ApiResult> {
  const body = requireObjectBody(req.body);
  if (isResult(body)) return body;
  const errors: FieldError[] = [];
  const f = validateIngestionBody(body, 'create', errors);
  if (errors.length > 0) return badRequest(errors);
  const name = f.source_name ?? '';
  if (ctx.state.ingestion.some((s) => s.source_name === name)) {
    return badRequest([{ property: 'source_name', errorMessage: `Ingestion source already exists with name ${name}` }]);
  }
  const source: IngestionSource = {
    id: randomUUID(), type: f.type, dataset: f.dataset, source_name: name,
    query: f.rest.query ?? '', column_mapping: f.rest.column_mapping ?? {}, enabled: f.rest.enabled ?? true,
    ...(f.rest.use_delta_sharing !== undefined ? { use_delta_sharing: f.rest.use_delta_sharing } : {}),
    ...(f.rest.share !== undefined ? { share: f.rest.share } : {}),
    ...(f.rest.schema !== undefined ? { schema: f.rest.schema } : {}),
    ...(f.rest.table !== undefined ? { table: f.rest.table } : {}),
  };
  const sqlErrors = await checkIngestionAgainstWarehouse(ctx.warehouse, source);
  if (sqlErrors.length > 0) return badRequest(sqlErrors);
  if (ctx.state.ingestion.some((s) => s.source_name === name)) {
    return badRequest([{ property: 'source_name', errorMessage: `Ingestion source already exists with name ${name}` }]);
  }
  ctx.state.ingestion.push(source);
  return ok(200, 'Ingestion source created successfully.', ingestionSourceDto(source));
}

async function updateIngestion(ctx: ApiContext, req: ApiRequest): Promise<ApiResult> {
  const body = requireObjectBody(req.body);
  if (isResult(body)) return body;
  const errors: FieldError[] = [];
  const f = validateIngestionBody(body, 'update', errors);
  if (errors.length > 0) return badRequest(errors);
  const candidates = ctx.state.ingestion.filter((s) => s.type === f.type && s.dataset === f.dataset);
  let target: IngestionSource | undefined;
  if (f.source_name !== undefined) {
    target = candidates.find((s) => s.source_name === f.source_name);
    if (!target) return errorResult(404, `Ingestion source "${f.source_name}" of type ${f.type} with dataset ${f.dataset} is not configured.`);
  } else if (candidates.length === 0) {
    return notConfigured(f.type, f.dataset);
  } else if (candidates.length > 1) {
    return badRequest([{ property: 'source_name', errorMessage: `is required: ${candidates.length} sources of type ${f.type} with dataset ${f.dataset} exist` }]);
  } else {
    target = candidates[0];
  }
  if (!target) return notConfigured(f.type, f.dataset);
  const merged: IngestionSource = { ...clone(target), ...f.rest };
  const sqlErrors = await checkIngestionAgainstWarehouse(ctx.warehouse, merged);
  if (sqlErrors.length > 0) return badRequest(sqlErrors);
  const idx = ctx.state.ingestion.indexOf(target);
  if (idx < 0) return errorResult(404, `Ingestion source "${target.source_name}" of type ${f.type} with dataset ${f.dataset} is not configured.`);
  ctx.state.ingestion[idx] = merged;
  return ok(200, 'Ingestion source updated successfully.', ingestionSourceDto(merged));
}

function deleteIngestion(ctx: ApiContext, req: ApiRequest): ApiResult {
  const q = ingestionQuery(req);
  if (isResult(q)) return q;
  const sources = ctx.state.ingestion.filter((s) => s.type === q.type && s.dataset === q.dataset);
  let doomed = sources;
  if (q.sourceName !== null) {
    doomed = sources.filter((s) => s.source_name === q.sourceName);
    if (doomed.length === 0) return errorResult(404, `Ingestion source "${q.sourceName}" of type ${q.type} with dataset ${q.dataset} is not configured.`);
  } else if (sources.length === 0) {
    return notConfigured(q.type, q.dataset);
  }
  const first = doomed[0];
  const data = q.sourceName !== null && first ? ingestionSourceDto(first) : ingestionConfigDto(q.type, q.dataset, doomed);
  ctx.state.ingestion = ctx.state.ingestion.filter((s) => !doomed.includes(s));
  return ok(200, 'Ingestion deleted successfully.', data);
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
function parseDate(raw: unknown, property: string, errors: FieldError[]): string | undefined {
  if (raw === undefined || raw === null) { errors.push({ property, errorMessage: 'is required' }); return undefined; }
  if (typeof raw !== 'string' || !DATE.test(raw.slice(0, 10)) || Number.isNaN(Date.parse(`${raw.slice(0, 10)}T00:00:00Z`)) || isoDate(new Date(`${raw.slice(0, 10)}T00:00:00Z`)) !== raw.slice(0, 10)) {
    errors.push({ property, errorMessage: 'must be a valid date in the form YYYY-MM-DD' });
    return undefined;
  }
  return raw.slice(0, 10);
}

function dateRange(start: string, end: string): string[] {
  const out: string[] = [];
  for (let d = start; d <= end && out.length < 400; d = addDays(d, 1)) out.push(d);
  return out;
}

function checkRange(start: string | undefined, end: string | undefined, endProperty: string, maxDays: number, errors: FieldError[]): void {
  if (start === undefined || end === undefined) return;
  if (end < start) errors.push({ property: endProperty, errorMessage: 'must not be before the start date' });
  else if (dateRange(start, end).length > maxDays) errors.push({ property: endProperty, errorMessage: `the range must not exceed ${maxDays} days` });
}

function backfill(ctx: ApiContext, req: ApiRequest): ApiResult {
  const body = requireObjectBody(req.body);
  if (isResult(body)) return body;
  const errors: FieldError[] = [];
  const start = parseDate(body.datestamp_start, 'datestamp_start', errors);
  const end = parseDate(body.datestamp_end, 'datestamp_end', errors);
  checkRange(start, end, 'datestamp_end', 90, errors);
  const type = body.type;
  const dataset = body.dataset;
  if (typeof type !== 'string' || !(INGESTION_TYPES as readonly string[]).includes(type)) errors.push({ property: 'type', errorMessage: `must be one of: ${INGESTION_TYPES.join(', ')}` });
  if (typeof dataset !== 'string' || !(INGESTION_DATASETS as readonly string[]).includes(dataset)) errors.push({ property: 'dataset', errorMessage: `must be one of: ${INGESTION_DATASETS.join(', ')}` });
  let wanted: string[] | null = null;
  if (body.source !== undefined && body.source !== null) {
    if (typeof body.source === 'string') wanted = [body.source];
    else if (Array.isArray(body.source) && checkField(body.source, 'stringArray', 'source', errors)) wanted = body.source as string[];
    else if (!Array.isArray(body.source)) errors.push({ property: 'source', errorMessage: 'must be a string, an array of strings or null' });
  }
  if (errors.length > 0) return badRequest(errors);
  const configured = ctx.state.ingestion.filter((s) => s.type === type && s.dataset === dataset);
  if (configured.length === 0) return badRequest([{ property: 'dataset', errorMessage: `Ingestion of type ${String(type)} with dataset ${String(dataset)} is not configured.` }]);
  let names = configured.map((s) => s.source_name);
  if (wanted !== null) {
    const unknown: FieldError[] = [];
    wanted.forEach((w, i) => {
      if (!names.includes(w)) unknown.push({ property: Array.isArray(body.source) ? `source[${i}]` : 'source', errorMessage: `Ingestion source "${w}" is not configured for ${String(type)} / ${String(dataset)}` });
    });
    if (unknown.length > 0) return badRequest(unknown);
    names = wanted;
  }
  const run = makeRun(randomUUID(), 'backfill', names, dateRange(start ?? '', end ?? ''), new Date().toISOString(), 'enqueued');
  ctx.state.runs.unshift(run);
  const now = new Date().toISOString();
  for (const n of names) {
    const s = configured.find((c) => c.source_name === n);
    ctx.state.statuses.push({
      ds: `${start ?? ''}T00:00:00.000Z`, ingestion_dataset: String(dataset), ingestion_source: s?.type ?? null, source_name: n,
      message: `Backfill requested for ${start ?? ''} to ${end ?? ''}`, status: 'BACKFILL_REQUESTED', timestamp: now,
    });
  }
  return ok(200, 'Ingestion backfilled successfully.', { runID: run.runID });
}

function listRuns(ctx: ApiContext, req: ApiRequest): ApiResult {
  return paginate(ctx, req, '/console/v1/ingestion/runs', ctx.state.runs, 'Ingestion Runs Listed Successfully.', 'pageOnly');
}

function getRun(ctx: ApiContext, req: ApiRequest): ApiResult {
  const run = ctx.state.runs.find((r) => r.runID === req.params.id);
  if (!run) return errorResult(404, `runID ${req.params.id ?? ''} not found`);
  return ok(200, 'Ingestion Run Read Successfully', clone(run));
}

function readDatasetParam(raw: unknown, errors: FieldError[]): string | undefined {
  if (raw === undefined || raw === null) { errors.push({ property: 'dataset', errorMessage: 'is required' }); return undefined; }
  if (typeof raw !== 'string' || !(INGESTION_DATASETS as readonly string[]).includes(raw)) {
    errors.push({ property: 'dataset', errorMessage: `must be one of: ${INGESTION_DATASETS.join(', ')}` });
    return undefined;
  }
  return raw;
}

function getSchedule(ctx: ApiContext, req: ApiRequest): ApiResult {
  const errors: FieldError[] = [];
  const dataset = readDatasetParam(req.query.get('dataset') ?? undefined, errors);
  if (errors.length > 0 || dataset === undefined) return badRequest(errors);
  return ok(200, 'Ingestion schedule read successfully.', { dataset, scheduled_hour_pst: ctx.state.schedules.get(dataset) ?? 10 });
}

function postSchedule(ctx: ApiContext, req: ApiRequest): ApiResult {
  const body = requireObjectBody(req.body);
  if (isResult(body)) return body;
  const errors: FieldError[] = [];
  const dataset = readDatasetParam(body.dataset, errors);
  const hour = body.scheduled_hour_pst === undefined ? 10 : body.scheduled_hour_pst;
  checkField(hour, 'hour', 'scheduled_hour_pst', errors);
  if (errors.length > 0 || dataset === undefined) return badRequest(errors);
  ctx.state.schedules.set(dataset, hour as number);
  return ok(200, 'Ingestion schedule updated successfully.', { dataset, scheduled_hour_pst: hour });
}

const STATUS_VALUES = [
  'IMPORT_SUCCESSFUL', 'ROWS_INSERTED', 'LOADED_EMPTY_DATA', 'IMPORT_SCHEDULED', 'IMPORT_RESCHEDULED', 'IMPORT_STARTED', 'FILE_CREATED',
  'DOWNLOAD_COMPLETED', 'BACKFILL_REQUESTED', 'CONNECTION_CONFIG_ERROR', 'SSH_ERROR', 'QUERY_CONSTRUCTION_ERROR', 'INTERNAL_WRITE_ERROR_METRICS',
  'INTERNAL_WRITE_ERROR_EVENTS', 'INTERNAL_WRITE_ERROR_EXPOSURES', 'QUERY_ERROR', 'SETUP_ERROR', 'AUTHENTICATION_ERROR', 'CONNECTION_ERROR',
  'BULK_LOAD_ERROR', 'BULK_LOAD_SUCCESSFUL', '%Other',
];

function listStatus(ctx: ApiContext, req: ApiRequest): ApiResult {
  const errors: FieldError[] = [];
  const start = parseDate(req.query.get('startDate') ?? undefined, 'startDate', errors);
  const end = parseDate(req.query.get('endDate') ?? undefined, 'endDate', errors);
  checkRange(start, end, 'endDate', Number.POSITIVE_INFINITY, errors);
  const dataset = req.query.get('dataset');
  if (dataset !== null) readDatasetParam(dataset, errors);
  const wanted = new Set<string>();
  const single = req.query.get('status');
  if (single !== null) wanted.add(single);
  for (const raw of req.query.getAll('statuses')) for (const s of raw.split(',')) if (s !== '') wanted.add(s);
  [...wanted].forEach((s) => { if (!STATUS_VALUES.includes(s)) errors.push({ property: 'statuses', errorMessage: `unknown status ${s}` }); });
  if (errors.length > 0) return badRequest(errors);
  const source = req.query.get('source');
  const rows: IngestionStatus[] = ctx.state.statuses
    .filter((r) => {
      const ds = r.ds.slice(0, 10);
      if (start !== undefined && ds < start) return false;
      if (end !== undefined && ds > end) return false;
      if (dataset !== null && r.ingestion_dataset !== dataset) return false;
      if (source !== null && r.source_name !== source) return false;
      if (wanted.size > 0) {
        const known = r.status !== null && STATUS_VALUES.includes(r.status);
        if (!(r.status !== null && wanted.has(r.status)) && !(wanted.has('%Other') && !known)) return false;
      }
      return true;
    })
    .sort((a, b) => (b.ds.localeCompare(a.ds)) || (a.source_name ?? '').localeCompare(b.source_name ?? ''));
  return paginate(ctx, req, '/console/v1/ingestion/status', rows, 'Ingestion status listed successfully.', 'single');
}

function connectDatabricks(ctx: ApiContext, req: ApiRequest): ApiResult {
  const body = requireObjectBody(req.body);
  if (isResult(body)) return body;
  const errors: FieldError[] = [];
  for (const key of ['token', 'host', 'path']) {
    if (!(key in body)) errors.push({ property: key, errorMessage: 'is required' });
    else checkField(body[key], 'nonEmptyString', key, errors);
  }
  if ('deltaSharingCredentials' in body && body.deltaSharingCredentials !== undefined) checkField(body.deltaSharingCredentials, 'string', 'deltaSharingCredentials', errors);
  if ('verified' in body && body.verified !== undefined) checkField(body.verified, 'boolean', 'verified', errors);
  if (errors.length > 0) return badRequest(errors);
  const conn = {
    host: body.host as string,
    path: body.path as string,
    verified: body.verified === true,
    hasDeltaSharingCredentials: typeof body.deltaSharingCredentials === 'string' && body.deltaSharingCredentials !== '',
    updatedAt: new Date().toISOString(),
  };
  ctx.state.databricksConnection = conn;
  // The token and the delta-sharing credentials are write-only: never echoed.
  return ok(200, 'Databricks connection saved successfully.', { id: 'connection_databricks', type: 'databricks', enabled: true, data: { ...conn } });
}

function eventWindow(req: ApiRequest): { dates: string[]; sourceName: string | null; eventName: string | null } | ApiResult {
  const errors: FieldError[] = [];
  const start = parseDate(req.query.get('start_date') ?? undefined, 'start_date', errors);
  const end = parseDate(req.query.get('end_date') ?? undefined, 'end_date', errors);
  checkRange(start, end, 'end_date', 92, errors);
  if (errors.length > 0 || start === undefined || end === undefined) return badRequest(errors);
  return { dates: dateRange(start, end), sourceName: req.query.get('source_name'), eventName: req.query.get('event_name') };
}

function eventSources(ctx: ApiContext, sourceName: string | null): IngestionSource[] | ApiResult {
  const events = ctx.state.ingestion.filter((s) => s.dataset === 'Events');
  if (sourceName === null) return events;
  const one = events.filter((s) => s.source_name === sourceName);
  if (one.length === 0) return errorResult(404, `Events ingestion source "${sourceName}" is not configured.`);
  return one;
}

function countFor(date: string, source: string, event: string, enabled: boolean): number {
  return enabled ? 200 + (hashInt(`${date}|${source}|${event}`) % 4800) : 0;
}

function updatedAt(date: string): string {
  return `${addDays(date, 1)}T02:15:00.000Z`;
}

function eventCount(ctx: ApiContext, req: ApiRequest): ApiResult {
  const w = eventWindow(req);
  if (isResult(w)) return w;
  const sources = eventSources(ctx, w.sourceName);
  if (isResult(sources)) return sources;
  const names = w.eventName !== null ? [w.eventName] : [...SAMPLE_EVENT_NAMES];
  const total = (date: string, event: string): number => sources.reduce((n, s) => n + countFor(date, s.source_name, event, s.enabled), 0);
  if (w.eventName !== null) {
    return ok(200, 'Event counts read successfully.', w.dates.map((date) => ({ date, event: w.eventName, count: total(date, w.eventName ?? ''), last_updated_time: updatedAt(date) })));
  }
  return ok(200, 'Event counts read successfully.', w.dates.map((date) => ({
    date, events: names.map((event) => ({ event, count: total(date, event), last_updated_time: updatedAt(date) })),
  })));
}

function eventDelta(ctx: ApiContext, req: ApiRequest): ApiResult {
  const w = eventWindow(req);
  if (isResult(w)) return w;
  const sources = eventSources(ctx, w.sourceName);
  if (isResult(sources)) return sources;
  const names = w.eventName !== null ? [w.eventName] : [...SAMPLE_EVENT_NAMES];
  const threshold = 0.01;
  const rows = (date: string): Record<string, unknown>[] => sources.flatMap((s) => names.map((event) => {
    const internal = countFor(date, s.source_name, event, s.enabled);
    const drift = hashInt(`delta|${date}|${s.source_name}|${event}`) % 40 === 0 ? Math.ceil(internal * 0.05) : 0;
    const external = internal + drift;
    return {
      source: s.source_name, event, internal_count: internal, external_count: external,
      has_diff: external > 0 && Math.abs(external - internal) / external > threshold, threshold, last_updated_time: updatedAt(date),
    };
  }));
  const flat = w.eventName !== null ? w.dates.flatMap((date) => rows(date).map((r) => ({ date, ...r }))) : [];
  // An empty array would match both oneOf branches of IngestionEventDeltaResponseDto: use the grouped form then.
  if (flat.length > 0) return ok(200, 'Event deltas read successfully.', flat);
  return ok(200, 'Event deltas read successfully.', w.dates.map((date) => ({ date, events: rows(date) })));
}

const REVIEW_KEYS: (keyof ReviewSettings)[] = [
  'is_config_review_required', 'is_metric_review_required', 'is_metric_review_required_on_verified_only',
  'is_whn_analysis_only_review_required', 'is_whn_source_review_required',
];

function getReviews(ctx: ApiContext): ApiResult {
  return ok(200, 'Settings read successfully.', { ...ctx.state.reviewSettings });
}

function postReviews(ctx: ApiContext, req: ApiRequest): ApiResult {
  const body = requireObjectBody(req.body);
  if (isResult(body)) return body;
  const errors: FieldError[] = [];
  for (const key of REVIEW_KEYS.slice(0, 3)) if (!(key in body)) errors.push({ property: key, errorMessage: 'is required' });
  const next = { ...ctx.state.reviewSettings };
  for (const key of REVIEW_KEYS) {
    if (key in body && body[key] !== undefined && checkField(body[key], 'boolean', key, errors)) next[key] = body[key] as boolean;
  }
  if (errors.length > 0) return badRequest(errors);
  ctx.state.reviewSettings = next;
  return ok(200, 'Settings updated successfully.', { ...next });
}

// ---------------------------------------------------------------------------------------------
// project identity and unit ID types

function getProject(ctx: ApiContext): ApiResult {
  return ok(200, 'Project Info Retrieved Successfully', { id: ctx.projectId });
}

function listUnitIdTypes(ctx: ApiContext, req: ApiRequest): ApiResult {
  return paginate(ctx, req, '/console/v1/unit_id_types', ctx.state.unitIdTypes, 'Unit ID Types listed successfully.');
}

// ---------------------------------------------------------------------------------------------
// routing table (order matters: literal segments before `{name}`)

function route(method: string, template: string, handler: Handler): Route {
  return { method, template, parts: template.split('/').filter((p) => p !== ''), handler };
}

const A = KINDS.assignment;
const E = KINDS.entityProperty;
const Q = KINDS.qualifyingEvent;
const M = KINDS.metricSource;

export const ROUTES: Route[] = [
  route('GET', '/console/v1/experiments/assignment_sources', listSources(A, 'Assignment sources')),
  route('POST', '/console/v1/experiments/assignment_sources', createSource(A)),
  route('POST', '/console/v1/experiments/assignment_source/{name}', updateSource(A, 'update')),
  route('PATCH', '/console/v1/experiments/assignment_source/{name}', updateSource(A, 'patch')),
  route('DELETE', '/console/v1/experiments/assignment_source/{name}', deleteSource(A)),

  route('GET', '/console/v1/experiments/entity_properties', listSources(E, 'Entity property sources')),
  route('POST', '/console/v1/experiments/entity_properties', createSource(E)),
  route('GET', '/console/v1/experiments/entity_property/{name}', getSource(E)),
  route('POST', '/console/v1/experiments/entity_property/{name}', updateSource(E, 'update')),
  route('PATCH', '/console/v1/experiments/entity_property/{name}', updateSource(E, 'patch')),
  route('DELETE', '/console/v1/experiments/entity_property/{name}', deleteSource(E)),

  route('GET', '/console/v1/experiments/qualifying_events', listSources(Q, 'Qualifying events')),
  route('POST', '/console/v1/experiments/qualifying_events', createSource(Q)),
  route('GET', '/console/v1/experiments/qualifying_events/{name}', getSource(Q)),
  route('POST', '/console/v1/experiments/qualifying_events/{name}', updateSource(Q, 'update')),
  route('DELETE', '/console/v1/experiments/qualifying_events/{name}', deleteSource(Q)),

  route('POST', '/console/v1/metrics/metric_source', createSource(M)),
  route('GET', '/console/v1/metrics/metric_source/list', listSources(M, 'Metric sources')),
  route('GET', '/console/v1/metrics/metric_source/{name}', getSource(M)),
  route('POST', '/console/v1/metrics/metric_source/{name}', updateSource(M, 'update')),
  route('DELETE', '/console/v1/metrics/metric_source/{name}', deleteSource(M)),
  route('GET', '/console/v1/metrics/metric_source/{name}/metrics', metricSourceDependents),

  route('GET', '/console/v1/ingestion', getIngestion),
  route('POST', '/console/v1/ingestion', createIngestion),
  route('PATCH', '/console/v1/ingestion', updateIngestion),
  route('DELETE', '/console/v1/ingestion', deleteIngestion),
  route('POST', '/console/v1/ingestion/backfill', backfill),
  route('POST', '/console/v1/ingestion/connection/databricks', connectDatabricks),
  route('GET', '/console/v1/ingestion/events/count', eventCount),
  route('GET', '/console/v1/ingestion/events/delta', eventDelta),
  route('GET', '/console/v1/ingestion/runs', listRuns),
  route('GET', '/console/v1/ingestion/runs/{id}', getRun),
  route('GET', '/console/v1/ingestion/schedule', getSchedule),
  route('POST', '/console/v1/ingestion/schedule', postSchedule),
  route('GET', '/console/v1/ingestion/status', listStatus),

  route('GET', '/console/v1/project', getProject),
  route('GET', '/console/v1/unit_id_types', listUnitIdTypes),

  route('GET', '/console/v1/settings/reviews', getReviews),
  route('POST', '/console/v1/settings/reviews', postReviews),
];

/**
 * Finds the route for a method and raw (still percent-encoded) path segments. Literal segments win
 * over `{param}` ones. Returns null when nothing matches, or `{ badEncoding }` for a path parameter
 * that is not valid percent-encoding.
 */
export function matchRoute(method: string, rawSegments: string[]): { route: Route; params: Record<string, string> } | { badEncoding: string } | null {
  let best: { route: Route; params: Record<string, string>; literals: number } | null = null;
  for (const r of ROUTES) {
    if (r.method !== method || r.parts.length !== rawSegments.length) continue;
    const params: Record<string, string> = {};
    let literals = 0;
    let matched = true;
    for (let i = 0; i < r.parts.length; i++) {
      const part = r.parts[i] ?? '';
      const seg = rawSegments[i] ?? '';
      if (part.startsWith('{')) {
        params[part.slice(1, -1)] = seg;
      } else if (part === seg) {
        literals++;
      } else {
        matched = false;
        break;
      }
    }
    if (matched && (!best || literals > best.literals)) best = { route: r, params, literals };
  }
  if (!best) return null;
  const decoded: Record<string, string> = {};
  for (const [k, v] of Object.entries(best.params)) {
    try {
      decoded[k] = decodeURIComponent(v);
    } catch {
      return { badEncoding: k };
    }
  }
  return { route: best.route, params: decoded };
}

export function isMutation(method: string): boolean {
  return method === 'POST' || method === 'PATCH' || method === 'DELETE';
}
