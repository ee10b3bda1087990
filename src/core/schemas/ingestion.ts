// Ingestion sources: addressed by type + dataset (+ source_name), no list-all, no dryRun.
import { z } from 'zod';

export const IngestionTypes = [
  'redshift', 'bigquery-v2', 'snowflake-v2', 'databricks', 'azure-synapse', 's3', 'athena', 'adls',
] as const;
/** Datasets accepted by the read/delete/schedule endpoints. */
export const IngestionReadDatasets = ['Events', 'Metrics', 'export_exposures', 'entity_properties'] as const;
export const IngestionType = z.enum(IngestionTypes).describe('Warehouse the data is loaded from.');
export const IngestionReadDataset = z.enum(IngestionReadDatasets);
export type IngestionType = z.infer<typeof IngestionType>;
export type IngestionReadDataset = z.infer<typeof IngestionReadDataset>;

const StringMap = z.record(z.string(), z.string());

const MetricsColumnMapping = z.looseObject({
  unit_id: z.string().describe('Column with the unit ID the metric is for.'),
  id_type: z.string().describe('The id_type the unit_id represents (e.g. user_id).'),
  dateid: z.string().describe('Column with the date of the daily metric.'),
  metric_name: z.string().describe('Column with the metric name.'),
  metric_value: z.string().describe('Column with the numeric value.').optional(),
  numerator: z.string().describe('Column with the ratio numerator.').optional(),
  denominator: z.string().describe('Column with the ratio denominator.').optional(),
});
const EventsColumnMapping = z.looseObject({
  unit_id: z.string().optional(),
  event_name: z.string().describe('Column with the event name.'),
  timestamp: z.string().describe('Column with the Unix timestamp (seconds) of the event.'),
  ids: StringMap.describe('ID type -> column.'),
  metadata: StringMap.optional(),
  metadata_object: z.string().optional(),
  event_value: z.string().optional(),
});
const ExposuresColumnMapping = z.looseObject({
  experiment: z.string().describe('Column with the experiment name.'),
  group_id: z.string().describe('Column with the group ID.'),
  unit_id: z.string().optional(),
  timestamp: z.string().describe('Column with the exposure timestamp.'),
  ids: StringMap.describe('ID type -> column.'),
  metadata: StringMap.optional(),
  metadata_object: z.string().optional(),
  event_value: z.string().optional(),
});

const ingestionCommon = {
  type: IngestionType,
  query: z.string().describe('SQL query that produces the rows to load.').optional(),
  share: z.string().optional(),
  schema: z.string().optional(),
  table: z.string().optional(),
  enabled: z.boolean().optional(),
};

function variants(sourceName: z.ZodType, withDeltaSharing: boolean) {
  const extra = withDeltaSharing ? { use_delta_sharing: z.literal(true).optional() } : {};
  return [
    z.looseObject({ dataset: z.literal('Metrics'), column_mapping: MetricsColumnMapping.optional(), source_name: sourceName, ...ingestionCommon, ...extra }),
    z.looseObject({ dataset: z.literal('Events'), column_mapping: EventsColumnMapping.optional(), source_name: sourceName, ...ingestionCommon, ...extra }),
    z.looseObject({ dataset: z.enum(['Exposures', 'export_exposures']), column_mapping: ExposuresColumnMapping.optional(), source_name: sourceName, ...ingestionCommon, ...extra }),
  ] as const;
}

/** IngestionSourceCreateContractDto (oneOf on `dataset`). */
export const IngestionSourceCreate = z.discriminatedUnion('dataset', variants(z.string(), true));
/** IngestionUpdateContractDto (PATCH /ingestion; `source_name` optional). */
export const IngestionSourceUpdate = z.discriminatedUnion('dataset', variants(z.string().optional(), false));

/** IngestionDto, the answer of every ingestion read/create/update/delete. `data` is untyped in the spec. */
export const IngestionDto = z.looseObject({
  id: z.string(),
  type: z.string(),
  enabled: z.boolean(),
  data: z.record(z.string(), z.unknown()),
});
export type IngestionDto = z.infer<typeof IngestionDto>;

/**
 * One ingestion source as this project models it (the spec leaves `IngestionDto.data` open; see
 * README "Decisions"): the create/update fields, keyed by type + dataset + source_name.
 */
export const IngestionSource = z.looseObject({
  type: IngestionType,
  dataset: z.string(),
  source_name: z.string(),
  query: z.string().optional(),
  column_mapping: z.record(z.string(), z.unknown()).optional(),
  enabled: z.boolean().optional(),
  share: z.string().optional(),
  schema: z.string().optional(),
  table: z.string().optional(),
});
export type IngestionSource = z.infer<typeof IngestionSource>;

export const IngestionSchedule = z.looseObject({ dataset: z.string(), scheduled_hour_pst: z.number() });
export type IngestionSchedule = z.infer<typeof IngestionSchedule>;

const StatusEntry = z.looseObject({ statusTimestamp: z.string(), status: z.string() });
export const IngestionRun = z.looseObject({
  runID: z.string(),
  latestStatus: z.string(),
  lastUpdatedAt: z.string(),
  createdAt: z.string(),
  trigger: z.string(),
  sources: z.array(z.string()),
  dateStamps: z.array(z.string()),
  runHistory: z.array(StatusEntry),
  granularHistory: z.array(z.looseObject({
    source: z.string(),
    latestSourceStatus: z.string(),
    statusByDate: z.array(z.looseObject({ dateStamp: z.string(), statuses: z.array(StatusEntry) })),
  })),
});
export type IngestionRun = z.infer<typeof IngestionRun>;

export const IngestionStatus = z.looseObject({
  ds: z.string().optional(),
  ingestion_dataset: z.string().nullable(),
  ingestion_source: z.string().nullable(),
  source_name: z.string().nullable(),
  message: z.string().nullable(),
  error_message: z.string().optional(),
  status: z.string().nullable(),
  rowCount: z.number().optional(),
  metricCount: z.number().optional(),
  timestamp: z.string().nullable(),
});
export type IngestionStatus = z.infer<typeof IngestionStatus>;
