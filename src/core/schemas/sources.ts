// Schemas of the four name-addressed kinds, one block per DTO of the official spec.
// Quirks kept on purpose (they are the spec's, see README "Decisions"):
// - PATCH bodies cannot carry `sql` (readOnly in the *PartialUpdateDto): `sql` is `never` there.
// - MetricSourceUpdateContractDto has `name: {}`: any value is accepted by the schema, but the
//   name cannot change (the descriptor marks it immutable).
// - Qualifying events reuse the metric-source DTO family.
import { z } from 'zod';
import { IdTypeMapping, NullableString, Owner, Tags } from './common.ts';

const SqlReadOnly = z
  .never({ error: 'sql cannot be changed with PATCH; a SQL edit needs the full update.' })
  .optional()
  .meta({ readOnly: true });
const DryRun = z.boolean().describe('Validate without persisting.').optional();

// ---------------------------------------------------------------- assignment sources
const assignmentFields = {
  name: z.string().describe('Unique identifier for the assignment source.'),
  description: z.string().describe('Detailed context and purpose of the assignment source.'),
  isVerified: z.boolean().describe('Marks the source as verified.'),
  tags: Tags,
  sql: z.string().describe('SQL query defining the data source for assignments.'),
  timestampColumn: z.string().describe('Column with the timestamp of assignments.'),
  experimentIDColumn: z.string().describe('Column with the experiment ID.'),
  groupIDColumn: z.string().describe('Column with the group ID.'),
  idTypeMapping: z.array(IdTypeMapping).describe('Mappings of Statsig units to columns.'),
  isReadOnly: z.boolean().describe('If true, the source can only be edited via the Console API.'),
  owner: Owner,
  team: NullableString.describe('Team responsible for the source.'),
  teamID: NullableString.describe('ID of the team responsible for the source.'),
};
const a = assignmentFields;

export const AssignmentSource = z.looseObject({
  name: a.name, description: a.description, isVerified: a.isVerified.optional(), tags: a.tags, sql: a.sql,
  timestampColumn: a.timestampColumn, experimentIDColumn: a.experimentIDColumn, groupIDColumn: a.groupIDColumn,
  idTypeMapping: a.idTypeMapping, isReadOnly: a.isReadOnly.optional(), owner: a.owner.optional(),
  team: a.team.optional(), teamID: a.teamID.optional(),
});
export type AssignmentSource = z.infer<typeof AssignmentSource>;

export const AssignmentSourceCreate = z.looseObject({
  name: a.name, description: a.description.optional(), isVerified: a.isVerified.optional(), tags: a.tags.optional(),
  sql: a.sql, timestampColumn: a.timestampColumn, experimentIDColumn: a.experimentIDColumn,
  groupIDColumn: a.groupIDColumn, idTypeMapping: a.idTypeMapping, isReadOnly: a.isReadOnly.optional(),
  owner: a.owner.optional(), team: a.team.optional(), teamID: a.teamID.optional(), dryRun: DryRun,
});

export const AssignmentSourceUpdate = z.looseObject({
  name: a.name.describe('Optional new name for the assignment source.').optional(),
  description: a.description.optional(), isVerified: a.isVerified.optional(), tags: a.tags.optional(),
  sql: a.sql, timestampColumn: a.timestampColumn, experimentIDColumn: a.experimentIDColumn,
  groupIDColumn: a.groupIDColumn, idTypeMapping: a.idTypeMapping, isReadOnly: a.isReadOnly.optional(),
  owner: a.owner.optional(), team: a.team.optional(), teamID: a.teamID.optional(), dryRun: DryRun,
});

export const AssignmentSourcePatch = z.looseObject({
  name: a.name.optional(), description: a.description.optional(), isVerified: a.isVerified.optional(),
  tags: a.tags.optional(), sql: SqlReadOnly, timestampColumn: a.timestampColumn.optional(),
  experimentIDColumn: a.experimentIDColumn.optional(), groupIDColumn: a.groupIDColumn.optional(),
  idTypeMapping: a.idTypeMapping.optional(), isReadOnly: a.isReadOnly.optional(), owner: a.owner.optional(),
  team: a.team.optional(), teamID: a.teamID.optional(), dryRun: DryRun,
});

// ---------------------------------------------------------------- entity property sources
const e = {
  name: z.string().describe('Unique identifier for the entity property source.'),
  description: z.string().describe('Detailed context and purpose of the entity property source.'),
  tags: Tags,
  sql: z.string().describe('SQL query defining the data source.'),
  timestampColumn: z.string().describe('Optional column name for timestamp.'),
  timestampAsDay: z.boolean().describe('Treat the timestamp as a day.'),
  idTypeMapping: z.array(IdTypeMapping).describe('Mappings of Statsig units to columns.'),
  isReadOnly: z.boolean().describe('If true, the source can only be edited via the Console API.'),
  owner: Owner,
  team: NullableString.describe('Team responsible for the source.'),
  teamID: NullableString.describe('ID of the team responsible for the source.'),
};

export const EntityPropertySource = z.looseObject({
  name: e.name, description: e.description, tags: e.tags, sql: e.sql, timestampColumn: e.timestampColumn.optional(),
  timestampAsDay: e.timestampAsDay.optional(), idTypeMapping: e.idTypeMapping, isReadOnly: e.isReadOnly.optional(),
  owner: e.owner.optional(), team: e.team.optional(), teamID: e.teamID.optional(),
});
export type EntityPropertySource = z.infer<typeof EntityPropertySource>;

export const EntityPropertySourceCreate = z.looseObject({
  name: e.name, description: e.description.optional(), tags: e.tags.optional(), sql: e.sql,
  timestampColumn: e.timestampColumn.optional(), timestampAsDay: e.timestampAsDay.optional(),
  idTypeMapping: e.idTypeMapping, isReadOnly: e.isReadOnly.optional(), team: e.team.optional(),
  teamID: e.teamID.optional(), dryRun: DryRun,
});

export const EntityPropertySourceUpdate = z.looseObject({
  name: e.name.describe('Optional new name for the entity property source.').optional(),
  description: e.description.optional(), tags: e.tags.optional(), sql: e.sql,
  timestampColumn: e.timestampColumn.optional(), timestampAsDay: e.timestampAsDay.optional(),
  idTypeMapping: e.idTypeMapping, isReadOnly: e.isReadOnly.optional(), team: e.team.optional(),
  teamID: e.teamID.optional(), dryRun: DryRun,
});

export const EntityPropertySourcePatch = z.looseObject({
  name: e.name.optional(), description: e.description.optional(), tags: e.tags.optional(), sql: SqlReadOnly,
  timestampColumn: e.timestampColumn.optional(), timestampAsDay: e.timestampAsDay.optional(),
  idTypeMapping: e.idTypeMapping.optional(), isReadOnly: e.isReadOnly.optional(), team: e.team.optional(),
  teamID: e.teamID.optional(), dryRun: DryRun,
});

// ---------------------------------------------------------------- metric sources and qualifying events
export const SourceTypeValues = ['table', 'query'] as const;
export const CustomFieldMapping = z.looseObject({
  key: z.string().describe('Name of the custom field.'),
  formula: z.string().describe('SQL expression computing the field.'),
});

const m = {
  name: z.string().describe('Unique name of the source (cannot change after creation).'),
  description: z.string().describe('Description of the source: context and usage.'),
  tags: Tags,
  sql: z.string().describe('SQL query of the source (for sourceType "query").'),
  timestampColumn: z.string().describe('Column with the event timestamp.'),
  timestampAsDay: z.boolean().describe('Treat the timestamp as a day.'),
  idTypeMapping: z.array(IdTypeMapping).describe('Mappings of Statsig units to columns.'),
  sourceType: z.enum(SourceTypeValues).describe('Whether the source reads a table or runs a query.'),
  tableName: z.string().describe('Table read when sourceType is "table".'),
  datePartitionColumn: z.string().describe('Date partition column, for partition pruning.'),
  customFieldMapping: z.array(CustomFieldMapping).describe('Custom fields computed by SQL formulas.'),
  isReadOnly: z.boolean().describe('If true, the source can only be edited via the Console API.'),
  isVerified: z.boolean().describe('Marks the source as verified.'),
  owner: Owner,
  team: NullableString.describe('Team responsible for the source.'),
  teamID: NullableString.describe('ID of the team responsible for the source.'),
};
const metricOptional = {
  description: m.description.optional(), tags: m.tags.optional(), timestampAsDay: m.timestampAsDay.optional(), sourceType: m.sourceType.optional(),
  tableName: m.tableName.optional(), datePartitionColumn: m.datePartitionColumn.optional(),
  customFieldMapping: m.customFieldMapping.optional(), isReadOnly: m.isReadOnly.optional(),
  isVerified: m.isVerified.optional(), owner: m.owner.optional(), team: m.team.optional(), teamID: m.teamID.optional(),
};

export const MetricSource = z.looseObject({
  name: m.name, sql: m.sql, timestampColumn: m.timestampColumn, idTypeMapping: m.idTypeMapping,
  ...metricOptional, description: m.description,
});
export type MetricSource = z.infer<typeof MetricSource>;

export const MetricSourceCreate = z.looseObject({
  name: m.name, sql: m.sql, timestampColumn: m.timestampColumn, idTypeMapping: m.idTypeMapping,
  ...metricOptional, dryRun: DryRun,
});

export const MetricSourceUpdate = z.looseObject({
  name: z.unknown().describe('Cannot change: must equal the current name if present.').optional(),
  sql: m.sql, timestampColumn: m.timestampColumn, idTypeMapping: m.idTypeMapping, ...metricOptional, dryRun: DryRun,
});
