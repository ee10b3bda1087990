// One descriptor per resource kind. The tree, the editor, validation and push are all driven from
// these: a new kind, or a new field, is one place to change. A new kind addressed by name is its
// schemas and one entry here (and in the emulator); how it is addressed comes with NAMED_COMMON.
import type { z } from 'zod';
import {
  AssignmentSource, AssignmentSourceCreate, AssignmentSourcePatch, AssignmentSourceUpdate,
  EntityPropertySource, EntityPropertySourceCreate, EntityPropertySourcePatch, EntityPropertySourceUpdate,
  MetricSource, MetricSourceCreate, MetricSourceUpdate,
} from './schemas/sources.ts';
import { IngestionSource, IngestionSourceCreate, IngestionSourceUpdate, type IngestionType } from './schemas/ingestion.ts';
import { ingestionAddressing, namedAddressing, type Addressing } from './kindsAddressing.ts';

export const KindIds = ['assignmentSource', 'entityPropertySource', 'qualifyingEvent', 'metricSource', 'ingestionSource'] as const;
export type KindId = (typeof KindIds)[number];

// ------------------------------------------------------------------ identity: refs, keys, labels
// (domain, not HTTP: the tree, documents, drafts and push all name sources this way; how each
// kind is named and reached is one of the two strategies in kindsAddressing.ts)

export type NamedKindId = Exclude<KindId, 'ingestionSource'>;

export interface NamedRef { readonly kind: NamedKindId; readonly name: string }
export interface IngestionRef { readonly kind: 'ingestionSource'; readonly type: IngestionType; readonly dataset: string; readonly sourceName: string }
export type SourceRef = NamedRef | IngestionRef;

export interface SourceRecord {
  readonly ref: SourceRef;
  /** Stable identity string, e.g. `metricSource:orders` or `ingestionSource:snowflake-v2/Events/web`. */
  readonly key: string;
  /** The server's object, unknown keys included. */
  readonly data: Record<string, unknown>;
}

/** An item the server returned that does not match the spec; kept so nothing silently disappears. */
export interface InvalidItem {
  readonly kind: KindId;
  readonly label: string;
  readonly raw: unknown;
  readonly issues: readonly string[];
  /** The item is well-formed but its name cannot be put in a URL (`.`, `..`). */
  readonly unaddressable?: true;
}

/** The strategy of the ref's own kind. */
function addressingOf(ref: SourceRef): Addressing {
  return KINDS[ref.kind].addressing;
}

export function refKey(ref: SourceRef): string {
  return addressingOf(ref).key(ref);
}

/** The name a person knows the source by (an ingestion source's `source_name`). */
export function refName(ref: SourceRef): string {
  return addressingOf(ref).name(ref);
}

/** The document fields that hold a source's identity, with the values its address gives them. */
export function identityOf(ref: SourceRef): Record<string, string> {
  return addressingOf(ref).identity(ref);
}

export function refLabel(ref: SourceRef): string {
  return addressingOf(ref).label(ref);
}

/** What the tree shows after the name about where the source lives (an ingestion source's type and dataset). */
export function refDetail(ref: SourceRef): string | undefined {
  return addressingOf(ref).detail(ref);
}

/** The ref that identity values name in `kind` (a request body, URI segments, New Source's answers), or undefined. */
export function refOf(kind: KindId, identity: Readonly<Record<string, unknown>>): SourceRef | undefined {
  return KINDS[kind].addressing.refOf(kind, identity);
}

/** An ingestion source's ref, narrowed (its run history and status are ingestion-only endpoints). */
export function isIngestionRef(ref: SourceRef): ref is IngestionRef {
  return KINDS[ref.kind].addressing === ingestionAddressing;
}

export { UnaddressableNameError, unaddressableReason } from './kindsAddressing.ts';

const V1 = '/console/v1';

/** Paths of the Console API; `{name}` is filled in (and checked) by the named strategy. */
export interface KindPaths {
  /** GET (paginated), every source of the kind: exactly when `capabilities.listAll`. */
  readonly list?: string;
  /** POST create */
  readonly create: string;
  /** GET one / POST full update / PATCH / DELETE */
  readonly item: string;
  /** GET dependents (metric sources only) */
  readonly dependents?: string;
}

export interface Capabilities {
  /** A paginated list-all endpoint (`paths.list`); without one, the kind is found by probing (ingestion). */
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

export interface KindDescriptor {
  readonly id: KindId;
  readonly label: string;
  readonly singular: string;
  /** Codicon id of its tree nodes. */
  readonly icon: string;
  /** How its sources are named and reached. */
  readonly addressing: Addressing;
  readonly paths: KindPaths;
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
  /**
   * What New Source starts from, without the identity fields (templates.ts puts those first): a
   * body that passes the create schema, with placeholder SQL the user replaces (the dry run then
   * tells whether their warehouse agrees).
   */
  template(identity: Readonly<Record<string, string>>): Record<string, unknown>;
}

export type NamedKindDescriptor = KindDescriptor & { readonly id: NamedKindId };

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

const sqlLines = (...lines: string[]) => lines.join('\n');
const ID_MAPPING = [{ statsigUnitID: 'userID', column: 'user_id' }];

const NAMED_COMMON = { addressing: namedAddressing, serverOwnedFields: ['owner'], sqlField: 'sql' } as const;

export const assignmentSource: NamedKindDescriptor = {
  ...NAMED_COMMON,
  id: 'assignmentSource',
  label: 'Assignment Sources',
  singular: 'assignment source',
  icon: 'beaker',
  paths: {
    list: `${V1}/experiments/assignment_sources`,
    create: `${V1}/experiments/assignment_sources`,
    item: `${V1}/experiments/assignment_source/{name}`,
  },
  capabilities: { listAll: true, getByName: false, dryRun: true, patch: true, fullUpdate: true, delete: true, rename: true },
  immutableFields: [],
  schemas: { response: AssignmentSource, create: AssignmentSourceCreate, update: AssignmentSourceUpdate, patch: AssignmentSourcePatch },
  mappedColumns: (s) => columnsOf(s, ['timestampColumn', 'experimentIDColumn', 'groupIDColumn', 'groupNameColumn']),
  template: () => ({
    description: '', tags: [],
    sql: sqlLines('SELECT', '  user_id,', '  experiment_id,', '  group_id,', '  exposure_ts', 'FROM your_schema.exposures', 'WHERE exposure_ts >= {statsig_start_date}'),
    timestampColumn: 'exposure_ts', experimentIDColumn: 'experiment_id', groupIDColumn: 'group_id', idTypeMapping: ID_MAPPING,
  }),
};

export const entityPropertySource: NamedKindDescriptor = {
  ...NAMED_COMMON,
  id: 'entityPropertySource',
  label: 'Entity Property Sources',
  singular: 'entity property source',
  icon: 'person',
  paths: {
    list: `${V1}/experiments/entity_properties`,
    create: `${V1}/experiments/entity_properties`,
    item: `${V1}/experiments/entity_property/{name}`,
  },
  capabilities: { listAll: true, getByName: true, dryRun: true, patch: true, fullUpdate: true, delete: true, rename: true },
  immutableFields: [],
  schemas: { response: EntityPropertySource, create: EntityPropertySourceCreate, update: EntityPropertySourceUpdate, patch: EntityPropertySourcePatch },
  mappedColumns: (s) => columnsOf(s, ['timestampColumn']),
  template: () => ({
    description: '', tags: [],
    sql: sqlLines('SELECT', '  user_id,', '  country,', '  plan', 'FROM your_schema.user_properties'),
    idTypeMapping: ID_MAPPING,
  }),
};

const metricFamilyColumns = (s: Record<string, unknown>) => columnsOf(s, ['timestampColumn', 'datePartitionColumn']);
const metricFamilyCapabilities: Capabilities = {
  listAll: true, getByName: true, dryRun: true, patch: false, fullUpdate: true, delete: true, rename: false,
};
const metricFamilyTemplate = () => ({
  description: '', tags: [], sourceType: 'query',
  sql: sqlLines('SELECT', '  user_id,', '  event_name,', '  event_ts', 'FROM your_schema.events', 'WHERE event_ts >= {statsig_start_date}'),
  timestampColumn: 'event_ts', idTypeMapping: ID_MAPPING,
});

export const qualifyingEvent: NamedKindDescriptor = {
  ...NAMED_COMMON,
  id: 'qualifyingEvent',
  label: 'Qualifying Events',
  singular: 'qualifying event',
  icon: 'filter',
  paths: {
    list: `${V1}/experiments/qualifying_events`,
    create: `${V1}/experiments/qualifying_events`,
    item: `${V1}/experiments/qualifying_events/{name}`,
  },
  capabilities: metricFamilyCapabilities,
  immutableFields: ['name'],
  schemas: { response: MetricSource, create: MetricSourceCreate, update: MetricSourceUpdate },
  mappedColumns: metricFamilyColumns,
  template: metricFamilyTemplate,
};

export const metricSource: NamedKindDescriptor = {
  ...NAMED_COMMON,
  id: 'metricSource',
  label: 'Metric Sources',
  singular: 'metric source',
  icon: 'graph-line',
  paths: {
    list: `${V1}/metrics/metric_source/list`,
    create: `${V1}/metrics/metric_source`,
    item: `${V1}/metrics/metric_source/{name}`,
    dependents: `${V1}/metrics/metric_source/{name}/metrics`,
  },
  capabilities: metricFamilyCapabilities,
  immutableFields: ['name'],
  schemas: { response: MetricSource, create: MetricSourceCreate, update: MetricSourceUpdate },
  mappedColumns: metricFamilyColumns,
  template: metricFamilyTemplate,
};

const INGESTION_COLUMN_KEYS = [
  'unit_id', 'dateid', 'metric_name', 'metric_value', 'numerator', 'denominator',
  'event_name', 'timestamp', 'experiment', 'group_id', 'event_value', 'metadata_object',
] as const;

export const ingestionSource: KindDescriptor = {
  id: 'ingestionSource',
  label: 'Ingestion Sources',
  singular: 'ingestion source',
  icon: 'cloud-download',
  addressing: ingestionAddressing,
  // One endpoint for everything; the identity goes in the query or the body.
  paths: { create: `${V1}/ingestion`, item: `${V1}/ingestion` },
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
  template(identity) {
    const base = { enabled: false };
    if (identity['dataset'] === 'Metrics') {
      return {
        ...base,
        query: sqlLines('SELECT', '  user_id,', '  ds,', '  metric_name,', '  metric_value', 'FROM your_schema.daily_metrics'),
        column_mapping: { unit_id: 'user_id', id_type: 'user_id', dateid: 'ds', metric_name: 'metric_name', metric_value: 'metric_value' },
      };
    }
    if (identity['dataset'] === 'Events') {
      return {
        ...base,
        query: sqlLines('SELECT', '  user_id,', '  event_name,', '  event_unix_ts', 'FROM your_schema.events'),
        column_mapping: { event_name: 'event_name', timestamp: 'event_unix_ts', ids: { userID: 'user_id' } },
      };
    }
    return {
      ...base,
      query: sqlLines('SELECT', '  user_id,', '  experiment,', '  group_id,', '  exposure_ts', 'FROM your_schema.exposures'),
      column_mapping: { experiment: 'experiment', group_id: 'group_id', timestamp: 'exposure_ts', ids: { userID: 'user_id' } },
    };
  },
};

export const KINDS = {
  assignmentSource, entityPropertySource, qualifyingEvent, metricSource, ingestionSource,
} as const satisfies Readonly<Record<KindId, KindDescriptor>>;
/** Every kind addressed by name, in KINDS order. */
export const NAMED_KINDS: readonly NamedKindDescriptor[] = Object.values(KINDS)
  .filter((d): d is NamedKindDescriptor => d.addressing === namedAddressing);

export function descriptor(kind: KindId): KindDescriptor {
  return KINDS[kind];
}

/** `data` without the fields only Statsig sets (what a request may carry, and what a comparison looks at). */
export function withoutServerOwned(kind: KindId, data: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const owned = KINDS[kind].serverOwnedFields;
  return Object.fromEntries(Object.entries(data).filter(([k]) => !owned.includes(k)));
}
