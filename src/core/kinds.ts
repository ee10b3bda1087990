// One descriptor per resource kind. The tree, the editor, validation and push are all driven from
// these: a new kind, or a new field, is one place to change.
import type { z } from 'zod';
import {
  AssignmentSource, AssignmentSourceCreate, AssignmentSourcePatch, AssignmentSourceUpdate,
  EntityPropertySource, EntityPropertySourceCreate, EntityPropertySourcePatch, EntityPropertySourceUpdate,
  MetricSource, MetricSourceCreate, MetricSourceUpdate,
} from './schemas/sources.ts';
import { IngestionSource, IngestionSourceCreate, IngestionSourceUpdate, type IngestionType } from './schemas/ingestion.ts';

export const KindIds = ['assignmentSource', 'entityPropertySource', 'qualifyingEvent', 'metricSource', 'ingestionSource'] as const;
export type KindId = (typeof KindIds)[number];

// ------------------------------------------------------------------ identity: refs, keys, labels
// (domain, not HTTP: the tree, documents, drafts and push all name sources this way)

export type NamedKindId = Exclude<KindId, 'ingestionSource'>;

export type SourceRef =
  | { readonly kind: NamedKindId; readonly name: string }
  | { readonly kind: 'ingestionSource'; readonly type: IngestionType; readonly dataset: string; readonly sourceName: string };

export interface SourceRecord {
  readonly ref: SourceRef;
  /** Stable identity string, e.g. `metricSource:orders` or `ingestionSource:snowflake-v2/Events/web`. */
  readonly key: string;
  /** The server's object, unknown keys included. */
  readonly data: Record<string, unknown>;
}


export function refKey(ref: SourceRef): string {
  return ref.kind === 'ingestionSource'
    ? `ingestionSource:${ref.type}/${ref.dataset}/${ref.sourceName}`
    : `${ref.kind}:${ref.name}`;
}

/** The name a person knows the source by (an ingestion source's `source_name`). */
export function refName(ref: SourceRef): string {
  return ref.kind === 'ingestionSource' ? ref.sourceName : ref.name;
}

/** The document fields that hold a source's identity, with the values its address gives them. */
export function identityOf(ref: SourceRef): Record<string, string> {
  return ref.kind === 'ingestionSource' ? { type: ref.type, dataset: ref.dataset, source_name: ref.sourceName } : { name: ref.name };
}

export function refLabel(ref: SourceRef): string {
  return ref.kind === 'ingestionSource' ? `${ref.sourceName} (${ref.type}, ${ref.dataset})` : ref.name;
}


const V1 = '/console/v1';

/**
 * Why a name cannot be put in an item path, or undefined when it can. URL normalisation rewrites
 * dot segments (`.`, `..`, also percent-encoded), so a request for such a name would silently
 * reach another endpoint (a dry run of `.` became a create; `..` hit the list).
 */
export function unaddressableReason(name: string): string | undefined {
  const segment = encodeURIComponent(name);
  const probe = `/x/${segment}/y`;
  let normalised: string;
  try {
    normalised = new URL(probe, 'http://h').pathname;
  } catch {
    return `the name "${name}" cannot be written in a URL`;
  }
  if (normalised !== probe) return `the name "${name}" is a dot segment that URLs rewrite, so the Console API cannot address it`;
  return undefined;
}

/** The name as a path segment; throws (before any request) when URLs cannot carry it. */
function enc(name: string): string {
  const reason = unaddressableReason(name);
  if (reason) throw new UnaddressableNameError(reason);
  return encodeURIComponent(name);
}

/** A source name that no Console API URL can address; nothing was sent. */
export class UnaddressableNameError extends Error {
  constructor(reason: string) {
    super(`Nothing was sent: ${reason}. Rename it in the Statsig console.`);
    this.name = 'UnaddressableNameError';
  }
}

export interface NamedPaths {
  /** GET (paginated) */
  readonly list: string;
  /** POST create */
  readonly create: string;
  /** GET one / POST full update / PATCH / DELETE */
  readonly item: (name: string) => string;
  /** GET dependents (metric sources only) */
  readonly dependents?: (name: string) => string;
}

export interface Capabilities {
  readonly listAll: boolean;
  readonly getByName: boolean;
  readonly dryRun: boolean;
  readonly patch: boolean;
  readonly fullUpdate: boolean;
  readonly delete: boolean;
  /** The full update may carry a new `name`. */
  readonly rename: boolean;
}

/** A column reference inside a source: where it sits in the JSON and which column it names. */
export interface MappedColumn {
  readonly path: readonly (string | number)[];
  readonly column: string;
}

interface DescriptorBase {
  readonly id: KindId;
  readonly label: string;
  readonly singular: string;
  readonly capabilities: Capabilities;
  /** Fields only the server sets; stripped from every request body. */
  readonly serverOwnedFields: readonly string[];
  /** Fields that cannot change after creation. */
  readonly immutableFields: readonly string[];
  /** The field that holds the SQL. */
  readonly sqlField: 'sql' | 'query';
  readonly schemas: {
    readonly response: z.ZodType<Record<string, unknown>>;
    readonly create: z.ZodType<Record<string, unknown>>;
    readonly update: z.ZodType<Record<string, unknown>>;
    readonly patch?: z.ZodType<Record<string, unknown>>;
  };
  /** Every column the source maps, for local checks and the emulator's dry run. */
  mappedColumns(source: Record<string, unknown>): MappedColumn[];
}

export interface NamedKindDescriptor extends DescriptorBase {
  readonly identity: 'name';
  readonly paths: NamedPaths;
}

export interface IngestionKindDescriptor extends DescriptorBase {
  readonly identity: 'ingestion';
  readonly paths: { readonly item: string };
}

export type KindDescriptor = NamedKindDescriptor | IngestionKindDescriptor;

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}

function columnsOf(source: Record<string, unknown>, fields: readonly string[]): MappedColumn[] {
  const out: MappedColumn[] = [];
  for (const f of fields) {
    const c = str(source[f]);
    if (c) out.push({ path: [f], column: c });
  }
  const mapping = source['idTypeMapping'];
  if (Array.isArray(mapping)) {
    mapping.forEach((m: unknown, i) => {
      const c = m && typeof m === 'object' ? str((m as Record<string, unknown>)['column']) : undefined;
      if (c) out.push({ path: ['idTypeMapping', i, 'column'], column: c });
    });
  }
  return out;
}

const NAMED_COMMON = { serverOwnedFields: ['owner'], sqlField: 'sql' } as const;

export const assignmentSource: NamedKindDescriptor = {
  ...NAMED_COMMON,
  id: 'assignmentSource',
  label: 'Assignment Sources',
  singular: 'assignment source',
  identity: 'name',
  paths: {
    list: `${V1}/experiments/assignment_sources`,
    create: `${V1}/experiments/assignment_sources`,
    item: (n) => `${V1}/experiments/assignment_source/${enc(n)}`,
  },
  capabilities: { listAll: true, getByName: false, dryRun: true, patch: true, fullUpdate: true, delete: true, rename: true },
  immutableFields: [],
  schemas: { response: AssignmentSource, create: AssignmentSourceCreate, update: AssignmentSourceUpdate, patch: AssignmentSourcePatch },
  mappedColumns: (s) => columnsOf(s, ['timestampColumn', 'experimentIDColumn', 'groupIDColumn', 'groupNameColumn']),
};

export const entityPropertySource: NamedKindDescriptor = {
  ...NAMED_COMMON,
  id: 'entityPropertySource',
  label: 'Entity Property Sources',
  singular: 'entity property source',
  identity: 'name',
  paths: {
    list: `${V1}/experiments/entity_properties`,
    create: `${V1}/experiments/entity_properties`,
    item: (n) => `${V1}/experiments/entity_property/${enc(n)}`,
  },
  capabilities: { listAll: true, getByName: true, dryRun: true, patch: true, fullUpdate: true, delete: true, rename: true },
  immutableFields: [],
  schemas: { response: EntityPropertySource, create: EntityPropertySourceCreate, update: EntityPropertySourceUpdate, patch: EntityPropertySourcePatch },
  mappedColumns: (s) => columnsOf(s, ['timestampColumn']),
};

const metricFamilyColumns = (s: Record<string, unknown>) => columnsOf(s, ['timestampColumn', 'datePartitionColumn']);
const metricFamilyCapabilities: Capabilities = {
  listAll: true, getByName: true, dryRun: true, patch: false, fullUpdate: true, delete: true, rename: false,
};

export const qualifyingEvent: NamedKindDescriptor = {
  ...NAMED_COMMON,
  id: 'qualifyingEvent',
  label: 'Qualifying Events',
  singular: 'qualifying event',
  identity: 'name',
  paths: {
    list: `${V1}/experiments/qualifying_events`,
    create: `${V1}/experiments/qualifying_events`,
    item: (n) => `${V1}/experiments/qualifying_events/${enc(n)}`,
  },
  capabilities: metricFamilyCapabilities,
  immutableFields: ['name'],
  schemas: { response: MetricSource, create: MetricSourceCreate, update: MetricSourceUpdate },
  mappedColumns: metricFamilyColumns,
};

export const metricSource: NamedKindDescriptor = {
  ...NAMED_COMMON,
  id: 'metricSource',
  label: 'Metric Sources',
  singular: 'metric source',
  identity: 'name',
  paths: {
    list: `${V1}/metrics/metric_source/list`,
    create: `${V1}/metrics/metric_source`,
    item: (n) => `${V1}/metrics/metric_source/${enc(n)}`,
    dependents: (n) => `${V1}/metrics/metric_source/${enc(n)}/metrics`,
  },
  capabilities: metricFamilyCapabilities,
  immutableFields: ['name'],
  schemas: { response: MetricSource, create: MetricSourceCreate, update: MetricSourceUpdate },
  mappedColumns: metricFamilyColumns,
};

const INGESTION_COLUMN_KEYS = [
  'unit_id', 'dateid', 'metric_name', 'metric_value', 'numerator', 'denominator',
  'event_name', 'timestamp', 'experiment', 'group_id', 'event_value', 'metadata_object',
] as const;

export const ingestionSource: IngestionKindDescriptor = {
  id: 'ingestionSource',
  label: 'Ingestion Sources',
  singular: 'ingestion source',
  identity: 'ingestion',
  paths: { item: `${V1}/ingestion` },
  capabilities: { listAll: false, getByName: true, dryRun: false, patch: true, fullUpdate: false, delete: true, rename: false },
  serverOwnedFields: ['id'],
  immutableFields: ['type', 'dataset', 'source_name'],
  sqlField: 'query',
  schemas: { response: IngestionSource, create: IngestionSourceCreate, update: IngestionSourceUpdate },
  mappedColumns(s) {
    const out: MappedColumn[] = [];
    const cm = s['column_mapping'];
    if (!cm || typeof cm !== 'object') return out;
    const mapping = cm as Record<string, unknown>;
    for (const key of INGESTION_COLUMN_KEYS) {
      const c = str(mapping[key]);
      if (c) out.push({ path: ['column_mapping', key], column: c });
    }
    for (const group of ['ids', 'metadata'] as const) {
      const g = mapping[group];
      if (g && typeof g === 'object') {
        for (const [k, v] of Object.entries(g as Record<string, unknown>)) {
          const c = str(v);
          if (c) out.push({ path: ['column_mapping', group, k], column: c });
        }
      }
    }
    return out;
  },
};

export const KINDS = {
  assignmentSource, entityPropertySource, qualifyingEvent, metricSource, ingestionSource,
} as const satisfies Readonly<Record<KindId, KindDescriptor>>;
export const NAMED_KINDS: readonly NamedKindDescriptor[] = [assignmentSource, entityPropertySource, qualifyingEvent, metricSource];

export function descriptor(kind: KindId): KindDescriptor {
  return KINDS[kind];
}

/** `data` without the fields only Statsig sets (what a request may carry, and what a comparison looks at). */
export function withoutServerOwned(kind: KindId, data: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const owned = KINDS[kind].serverOwnedFields;
  return Object.fromEntries(Object.entries(data).filter(([k]) => !owned.includes(k)));
}
