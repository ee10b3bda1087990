// Data model of the emulated Statsig project (everything the Console API subset can read or write).

export type SourceKind = 'assignment' | 'entityProperty' | 'qualifyingEvent' | 'metricSource';
export const SOURCE_KINDS: readonly SourceKind[] = ['assignment', 'entityProperty', 'qualifyingEvent', 'metricSource'];

export interface IdTypeMapping { statsigUnitID: string; column: string }
export interface Owner { ownerID: string; ownerType: string; ownerName?: string; ownerEmail?: string }

/**
 * One warehouse-native source as stored and returned (AssignmentSourceContractDto,
 * EntityPropertySourceDto or MetricSourceContractDto, plus the "live extras" the emulator keeps:
 * groupNameColumn / scheduledReloadHour on assignment sources, disableCURE on metric sources and
 * qualifying events). `description` and `tags` are always present.
 */
export interface SourceRecord {
  name: string;
  description: string;
  tags: string[];
  sql: string;
  idTypeMapping: IdTypeMapping[];
  owner?: Owner;
  [field: string]: unknown;
}

/** ExternalMetricDefinitionContractDto (only what the emulator needs to be typed). */
export interface MetricDefinition {
  id: string;
  name: string;
  type: string;
  directionality: 'increase' | 'decrease';
  lineage: { events: string[]; metrics: string[] };
  warehouseNative: { metricSourceName: string; [field: string]: unknown };
  [field: string]: unknown;
}

export const INGESTION_TYPES = ['redshift', 'bigquery-v2', 'snowflake-v2', 'databricks', 'azure-synapse', 's3', 'athena', 'adls'] as const;
/** Datasets the query-parameter enums accept (GET/DELETE /ingestion, schedule, backfill, status). */
export const INGESTION_DATASETS = ['Events', 'Metrics', 'export_exposures', 'entity_properties'] as const;
/** Datasets a source can be created for (IngestionSourceCreateContractDto); `Exposures` is stored as `export_exposures`. */
export const INGESTION_SOURCE_DATASETS = ['Metrics', 'Events', 'Exposures', 'export_exposures'] as const;

export interface IngestionSource {
  id: string;
  type: string;
  dataset: string;
  source_name: string;
  query: string;
  column_mapping: Record<string, unknown>;
  enabled: boolean;
  share?: string;
  schema?: string;
  table?: string;
  use_delta_sharing?: boolean;
}

export interface StatusStamp { statusTimestamp: string; status: string }
export interface IngestionRun {
  runID: string;
  latestStatus: string;
  lastUpdatedAt: string;
  createdAt: string;
  trigger: string;
  sources: string[];
  dateStamps: string[];
  runHistory: StatusStamp[];
  granularHistory: { source: string; latestSourceStatus: string; statusByDate: { dateStamp: string; statuses: StatusStamp[] }[] }[];
}

export interface IngestionStatus {
  ds: string;
  ingestion_dataset: string | null;
  ingestion_source: string | null;
  source_name: string | null;
  message: string | null;
  error_message?: string;
  status: string | null;
  rowCount?: number;
  metricCount?: number;
  timestamp: string | null;
}

export interface ReviewSettings {
  is_config_review_required: boolean;
  is_metric_review_required: boolean;
  is_metric_review_required_on_verified_only: boolean;
  is_whn_analysis_only_review_required: boolean;
  is_whn_source_review_required: boolean;
}

export interface DatabricksConnection { host: string; path: string; verified: boolean; hasDeltaSharingCredentials: boolean; updatedAt: string }

export interface UnitIdType { name: string; description: string }

export interface ProjectState {
  seed: string;
  /** UnitIdTypeContractDto items (GET /console/v1/unit_id_types). */
  unitIdTypes: UnitIdType[];
  sources: Record<SourceKind, Map<string, SourceRecord>>;
  metrics: MetricDefinition[];
  ingestion: IngestionSource[];
  /** Newest first. */
  runs: IngestionRun[];
  statuses: IngestionStatus[];
  schedules: Map<string, number>;
  reviewSettings: ReviewSettings;
  databricksConnection: DatabricksConnection | null;
}

/** Known Events-dataset event names the emulator reports counts for. */
export const SAMPLE_EVENT_NAMES = ['page_view', 'add_to_cart', 'checkout_started', 'purchase', 'app_open'] as const;
