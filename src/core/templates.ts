// What `New Source…` starts from: for each kind a body that passes the create schema, with
// placeholder SQL the user replaces (the dry run then tells whether their warehouse agrees).
import type { SourceRef } from './kinds.ts';
import type { KindId } from './kinds.ts';

const ID_MAPPING = [{ statsigUnitID: 'userID', column: 'user_id' }];

const EVENTS_SQL = [
  'SELECT',
  '  user_id,',
  '  event_name,',
  '  event_ts',
  'FROM your_schema.events',
  'WHERE event_ts >= {statsig_start_date}',
].join('\n');

export function templateFor(ref: SourceRef): Record<string, unknown> {
  const kind: KindId = ref.kind;
  switch (ref.kind) {
    case 'assignmentSource':
      return {
        name: ref.name, description: '', tags: [],
        sql: ['SELECT', '  user_id,', '  experiment_id,', '  group_id,', '  exposure_ts', 'FROM your_schema.exposures', 'WHERE exposure_ts >= {statsig_start_date}'].join('\n'),
        timestampColumn: 'exposure_ts', experimentIDColumn: 'experiment_id', groupIDColumn: 'group_id', idTypeMapping: ID_MAPPING,
      };
    case 'entityPropertySource':
      return {
        name: ref.name, description: '', tags: [],
        sql: ['SELECT', '  user_id,', '  country,', '  plan', 'FROM your_schema.user_properties'].join('\n'),
        idTypeMapping: ID_MAPPING,
      };
    case 'qualifyingEvent':
    case 'metricSource':
      return {
        name: ref.name, description: '', tags: [], sourceType: 'query', sql: EVENTS_SQL, timestampColumn: 'event_ts', idTypeMapping: ID_MAPPING,
      };
    case 'ingestionSource': {
      const base = { type: ref.type, dataset: ref.dataset, source_name: ref.sourceName, enabled: false };
      if (ref.dataset === 'Metrics') {
        return {
          ...base,
          query: ['SELECT', '  user_id,', '  ds,', '  metric_name,', '  metric_value', 'FROM your_schema.daily_metrics'].join('\n'),
          column_mapping: { unit_id: 'user_id', id_type: 'user_id', dateid: 'ds', metric_name: 'metric_name', metric_value: 'metric_value' },
        };
      }
      if (ref.dataset === 'Events') {
        return {
          ...base,
          query: ['SELECT', '  user_id,', '  event_name,', '  event_unix_ts', 'FROM your_schema.events'].join('\n'),
          column_mapping: { event_name: 'event_name', timestamp: 'event_unix_ts', ids: { userID: 'user_id' } },
        };
      }
      return {
        ...base,
        query: ['SELECT', '  user_id,', '  experiment,', '  group_id,', '  exposure_ts', 'FROM your_schema.exposures'].join('\n'),
        column_mapping: { experiment: 'experiment', group_id: 'group_id', timestamp: 'exposure_ts', ids: { userID: 'user_id' } },
      };
    }
    default: {
      const never: never = ref;
      throw new Error(`no template for ${String(kind)} ${String(never)}`);
    }
  }
}
