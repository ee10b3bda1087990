// Seed data for the emulator: `default` (a realistic small project), `empty`, and `large:N`.
// All SQL in the default seed runs against the sample warehouse in warehouse.ts and passes the
// emulator's own column checks (seeds.test.ts proves it). Seeding never touches DuckDB.
import { createHash } from 'node:crypto';
import type {
  IngestionRun, IngestionSource, IngestionStatus, MetricDefinition, Owner, ProjectState, ReviewSettings, SourceKind, SourceRecord,
} from './model.ts';
import { INGESTION_DATASETS } from './model.ts';

export type SeedSpec = { kind: 'default' } | { kind: 'empty' } | { kind: 'large'; count: number };

/** Parses 'default' | 'empty' | 'large:N' (N a non-negative integer up to 1,000,000); null when invalid. */
export function parseSeed(seed: string): SeedSpec | null {
  if (seed === 'default') return { kind: 'default' };
  if (seed === 'empty') return { kind: 'empty' };
  const m = /^large:(\d{1,7})$/.exec(seed);
  if (m?.[1] !== undefined) {
    const count = Number(m[1]);
    if (count <= 1_000_000) return { kind: 'large', count };
  }
  return null;
}

/** Deterministic UUID-shaped id from a string. */
export function stableUuid(input: string): string {
  const h = createHash('sha1').update(input).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Small deterministic integer hash (FNV-1a). */
export function hashInt(input: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < input.length; i++) {
    h ^= input.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export function isoDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00.000Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return isoDate(d);
}

const OWNERS: Owner[] = [
  { ownerID: '4Kp9sVt2QmXe7LbZ1aRc', ownerType: 'USER', ownerName: 'Priya Raman', ownerEmail: 'priya.raman@example.com' },
  { ownerID: '7Hw3nJd8YfUq2CgT5kMs', ownerType: 'USER', ownerName: 'Marcus Oyelaran', ownerEmail: 'marcus.oyelaran@example.com' },
  { ownerID: 'console-sdk-key-owner', ownerType: 'SDK_KEY', ownerName: 'dbt deploy bot' },
];

function src(fields: Partial<SourceRecord> & Pick<SourceRecord, 'name' | 'sql' | 'idTypeMapping'>): SourceRecord {
  const { name, ...rest } = fields;
  return { name, description: '', tags: [], ...rest };
}

function defaultSources(): Record<SourceKind, SourceRecord[]> {
  const assignment: SourceRecord[] = [
    src({
      name: 'Experiment Exposures',
      description: 'First exposure per unit for every experiment run from the warehouse (deduplicated upstream in dbt).',
      isVerified: true,
      tags: ['core', 'experiments'],
      sql: [
        'SELECT',
        '  user_id,',
        '  stable_id,',
        '  experiment_id,',
        '  group_id,',
        '  group_name,',
        '  exposure_ts',
        'FROM analytics.exposures',
        'WHERE ds BETWEEN {statsig_start_date} AND {statsig_end_date}',
      ].join('\n'),
      timestampColumn: 'exposure_ts',
      experimentIDColumn: 'experiment_id',
      groupIDColumn: 'group_id',
      idTypeMapping: [{ statsigUnitID: 'userID', column: 'user_id' }, { statsigUnitID: 'stableID', column: 'stable_id' }],
      isReadOnly: false,
      owner: OWNERS[0],
      team: 'Experimentation Platform',
      teamID: 'team_exp_platform',
      groupNameColumn: 'group_name',
      scheduledReloadHour: 6,
    }),
    src({
      name: 'company_exposures',
      description: 'Company-level assignment for B2B pricing tests: earliest exposure per company.',
      tags: ['b2b', 'pricing'],
      sql: [
        'SELECT',
        '  company_id,',
        '  experiment_id,',
        '  group_id,',
        '  MIN(exposure_ts) AS first_exposure_ts',
        'FROM analytics.exposures',
        'WHERE ds >= {statsig_start_date}',
        'GROUP BY 1, 2, 3',
      ].join('\n'),
      timestampColumn: 'first_exposure_ts',
      experimentIDColumn: 'experiment_id',
      groupIDColumn: 'group_id',
      idTypeMapping: [{ statsigUnitID: 'companyID', column: 'company_id' }],
      owner: OWNERS[1],
    }),
    src({
      name: 'holdout_assignments',
      description: 'Global 2024 holdout: 10% of users by hashed user_id never see launched features.',
      isVerified: true,
      tags: ['holdouts'],
      sql: [
        'WITH h AS (',
        '  SELECT',
        '    user_id,',
        '    stable_id,',
        "    'global_holdout_2024' AS experiment_id,",
        "    CASE WHEN hash(user_id) % 10 = 0 THEN 'holdout' ELSE 'launched' END AS group_id,",
        '    signup_ts AS assigned_at',
        '  FROM analytics.users',
        ')',
        'SELECT * FROM h',
        'WHERE assigned_at <= {statsig_end_ts}',
      ].join('\n'),
      timestampColumn: 'assigned_at',
      experimentIDColumn: 'experiment_id',
      groupIDColumn: 'group_id',
      idTypeMapping: [{ statsigUnitID: 'userID', column: 'user_id' }, { statsigUnitID: 'stableID', column: 'stable_id' }],
      isReadOnly: true,
      owner: OWNERS[2],
      scheduledReloadHour: 3,
    }),
    src({
      name: 'checkout_flow_assignments',
      description: 'Assignments for the checkout experiments only.',
      tags: [],
      sql: [
        'SELECT user_id, stable_id, company_id, experiment_id, group_id, exposure_ts AS ts',
        'FROM analytics.exposures',
        "WHERE experiment_id LIKE 'checkout%'",
        "  AND ds BETWEEN '{statsig_start_date}' AND '{statsig_end_date}'",
      ].join('\n'),
      timestampColumn: 'ts',
      experimentIDColumn: 'experiment_id',
      groupIDColumn: 'group_id',
      idTypeMapping: [
        { statsigUnitID: 'userID', column: 'user_id' },
        { statsigUnitID: 'stableID', column: 'stable_id' },
        { statsigUnitID: 'companyID', column: 'company_id' },
      ],
    }),
  ];

  const entityProperty: SourceRecord[] = [
    src({
      name: 'user_profile',
      description: 'Latest country and plan per user, for slicing experiment results.',
      tags: ['core', 'dimensions'],
      sql: 'SELECT user_id, stable_id, country, plan, updated_at\nFROM analytics.users',
      timestampColumn: 'updated_at',
      timestampAsDay: false,
      idTypeMapping: [{ statsigUnitID: 'userID', column: 'user_id' }, { statsigUnitID: 'stableID', column: 'stable_id' }],
      isReadOnly: false,
      owner: OWNERS[0],
    }),
    src({
      name: 'Company Firmographics',
      description: 'Industry and size of each customer company (from the CRM export).',
      tags: ['b2b', 'dimensions'],
      sql: 'SELECT company_id, industry, employee_count, plan AS company_plan, updated_at\nFROM analytics.companies',
      timestampColumn: 'updated_at',
      idTypeMapping: [{ statsigUnitID: 'companyID', column: 'company_id' }],
      owner: OWNERS[1],
    }),
    src({
      name: 'user_plan_daily',
      description: 'Daily snapshot of the subscription plan per user.',
      tags: ['billing'],
      sql: 'SELECT user_id, plan, ds\nFROM analytics.users\nWHERE ds <= {statsig_end_date}',
      timestampColumn: 'ds',
      timestampAsDay: true,
      idTypeMapping: [{ statsigUnitID: 'userID', column: 'user_id' }],
    }),
  ];

  const qualifyingEvent: SourceRecord[] = [
    src({
      name: 'first_purchase',
      description: 'A unit qualifies on its first order in the analysis window.',
      tags: ['revenue'],
      sql: [
        'SELECT user_id, stable_id, MIN(order_ts) AS first_order_ts',
        'FROM analytics.orders',
        'WHERE ds BETWEEN {statsig_start_date} AND {statsig_end_date}',
        'GROUP BY 1, 2',
      ].join('\n'),
      timestampColumn: 'first_order_ts',
      timestampAsDay: false,
      idTypeMapping: [{ statsigUnitID: 'userID', column: 'user_id' }, { statsigUnitID: 'stableID', column: 'stable_id' }],
      sourceType: 'query',
      owner: OWNERS[0],
      disableCURE: true,
    }),
    src({
      name: 'checkout_started',
      description: 'Users who started checkout.',
      tags: ['funnel', 'checkout'],
      sql: [
        'SELECT user_id, stable_id, event_ts, ds',
        'FROM analytics.events',
        "WHERE event_name = 'checkout_started'",
        '  AND ds BETWEEN {statsig_start_date} AND {statsig_end_date}',
      ].join('\n'),
      timestampColumn: 'event_ts',
      datePartitionColumn: 'ds',
      idTypeMapping: [{ statsigUnitID: 'userID', column: 'user_id' }, { statsigUnitID: 'stableID', column: 'stable_id' }],
      sourceType: 'query',
    }),
    src({
      name: 'app_open_table',
      description: 'Every app event straight from the events table.',
      isVerified: true,
      tags: ['product'],
      sql: 'SELECT * FROM analytics.events',
      timestampColumn: 'event_ts',
      timestampAsDay: false,
      idTypeMapping: [{ statsigUnitID: 'userID', column: 'user_id' }],
      sourceType: 'table',
      tableName: 'analytics.events',
      owner: OWNERS[2],
    }),
  ];

  const metricSource: SourceRecord[] = [
    src({
      name: 'app_events',
      description: 'All product analytics events (page views, carts, checkouts, purchases, app opens).',
      isVerified: true,
      tags: ['core', 'product'],
      sql: [
        'SELECT',
        '  user_id, stable_id, company_id,',
        '  event_name, event_value, event_ts, ds,',
        '  platform, app_version',
        'FROM analytics.events',
        'WHERE ds BETWEEN {statsig_start_date} AND {statsig_end_date}',
      ].join('\n'),
      timestampColumn: 'event_ts',
      timestampAsDay: false,
      datePartitionColumn: 'ds',
      idTypeMapping: [
        { statsigUnitID: 'userID', column: 'user_id' },
        { statsigUnitID: 'stableID', column: 'stable_id' },
        { statsigUnitID: 'companyID', column: 'company_id' },
      ],
      sourceType: 'query',
      customFieldMapping: [{ key: 'is_mobile', formula: "platform IN ('ios', 'android')" }],
      isReadOnly: false,
      owner: OWNERS[0],
      team: 'Growth',
      teamID: 'team_growth',
    }),
    src({
      name: 'Order Revenue',
      description: 'One row per order with revenue in USD.',
      isVerified: true,
      tags: ['revenue', 'finance'],
      sql: [
        'SELECT order_id, user_id, stable_id, company_id, order_ts, ds, revenue_usd, item_count, currency',
        'FROM analytics.orders',
        'WHERE ds BETWEEN {statsig_start_date} AND {statsig_end_date}',
      ].join('\n'),
      timestampColumn: 'order_ts',
      datePartitionColumn: 'ds',
      idTypeMapping: [
        { statsigUnitID: 'userID', column: 'user_id' },
        { statsigUnitID: 'stableID', column: 'stable_id' },
        { statsigUnitID: 'companyID', column: 'company_id' },
      ],
      sourceType: 'query',
      owner: OWNERS[1],
      disableCURE: false,
    }),
    src({
      name: 'support_metrics_daily',
      description: 'Pre-aggregated daily support metrics per user.',
      tags: ['support'],
      sql: 'SELECT unit_id, ds, metric_name, metric_value\nFROM analytics.daily_metrics\nWHERE ds BETWEEN {statsig_start_date} AND {statsig_end_date}',
      timestampColumn: 'ds',
      timestampAsDay: true,
      idTypeMapping: [{ statsigUnitID: 'userID', column: 'unit_id' }],
      sourceType: 'query',
    }),
    src({
      name: 'user_signups',
      description: 'Sign-up moment of each user.',
      tags: ['growth'],
      sql: 'SELECT user_id, stable_id, country, plan, signup_ts\nFROM analytics.users',
      timestampColumn: 'signup_ts',
      idTypeMapping: [{ statsigUnitID: 'userID', column: 'user_id' }, { statsigUnitID: 'stableID', column: 'stable_id' }],
      sourceType: 'query',
    }),
    src({
      name: 'raw_orders_table',
      description: 'The orders table, read as a table source.',
      tags: [],
      sql: 'SELECT * FROM analytics.orders',
      timestampColumn: 'order_ts',
      idTypeMapping: [{ statsigUnitID: 'userID', column: 'user_id' }, { statsigUnitID: 'companyID', column: 'company_id' }],
      sourceType: 'table',
      tableName: 'analytics.orders',
      owner: OWNERS[2],
    }),
  ];
  return { assignment, entityProperty, qualifyingEvent, metricSource };
}

function metric(name: string, source: string, fields: Record<string, unknown>, createdTime: number): MetricDefinition {
  const { warehouseNative, ...rest } = fields;
  return {
    id: `${name}::user_warehouse`,
    name,
    type: 'user_warehouse',
    directionality: 'increase',
    description: '',
    tags: [],
    isVerified: false,
    isReadOnly: false,
    isHidden: false,
    isPermanent: false,
    unitTypes: ['userID', 'stableID'],
    lineage: { events: [], metrics: [] },
    warehouseNative: { metricSourceName: source, criteria: [], ...(warehouseNative as Record<string, unknown> | undefined) },
    creatorName: 'Priya Raman',
    creatorEmail: 'priya.raman@example.com',
    createdTime,
    lastModifiedTime: createdTime,
    ...rest,
  };
}

function defaultMetrics(nowMs: number): MetricDefinition[] {
  const day = 86_400_000;
  return [
    metric('add_to_cart_users', 'app_events', {
      description: 'Share of units that added something to the cart.',
      tags: ['funnel'],
      warehouseNative: {
        aggregation: 'count_distinct', valueColumn: 'user_id',
        criteria: [{ type: 'value', column: 'event_name', condition: '=', values: ['add_to_cart'] }],
      },
    }, nowMs - 40 * day),
    metric('purchase_events', 'app_events', {
      description: 'Number of purchase events.',
      isVerified: true,
      warehouseNative: {
        aggregation: 'count',
        criteria: [{ type: 'value', column: 'event_name', condition: '=', values: ['purchase'] }],
      },
    }, nowMs - 35 * day),
    metric('gross_revenue', 'Order Revenue', {
      description: 'Total revenue per unit (USD), winsorized at the 99.9th percentile.',
      isVerified: true,
      tags: ['revenue'],
      warehouseNative: { aggregation: 'sum', valueColumn: 'revenue_usd', winsorizationHigh: 0.999 },
    }, nowMs - 30 * day),
    metric('orders_per_user', 'Order Revenue', {
      warehouseNative: { aggregation: 'count' },
    }, nowMs - 21 * day),
    metric('avg_order_value', 'Order Revenue', {
      type: 'ratio',
      id: 'avg_order_value::ratio',
      warehouseNative: {
        aggregation: 'ratio', numeratorAggregation: 'sum', valueColumn: 'revenue_usd',
        denominatorAggregation: 'count', denominatorMetricSourceName: 'Order Revenue',
      },
    }, nowMs - 14 * day),
    metric('support_tickets', 'support_metrics_daily', {
      directionality: 'decrease',
      warehouseNative: {
        aggregation: 'sum', valueColumn: 'metric_value',
        criteria: [{ type: 'value', column: 'metric_name', condition: '=', values: ['support_tickets'] }],
      },
    }, nowMs - 7 * day),
  ];
}

function defaultIngestion(seedName: string): IngestionSource[] {
  const id = (s: string): string => stableUuid(`ingestion:${seedName}:${s}`);
  return [
    {
      id: id('app_events_ingest'), type: 'snowflake-v2', dataset: 'Events', source_name: 'app_events_ingest',
      query: 'SELECT user_id, stable_id, event_name, event_value, event_ts, platform, app_version\nFROM analytics.events',
      column_mapping: {
        event_name: 'event_name', timestamp: 'event_ts', event_value: 'event_value',
        ids: { userID: 'user_id', stableID: 'stable_id' },
        metadata: { platform: 'platform', app_version: 'app_version' },
      },
      enabled: true,
    },
    {
      id: id('daily_metric_ingest'), type: 'snowflake-v2', dataset: 'Metrics', source_name: 'daily_metric_ingest',
      query: 'SELECT unit_id, id_type, ds, metric_name, metric_value\nFROM analytics.daily_metrics',
      column_mapping: { unit_id: 'unit_id', id_type: 'user_id', dateid: 'ds', metric_name: 'metric_name', metric_value: 'metric_value' },
      enabled: true,
    },
    {
      id: id('ratio_metric_ingest'), type: 'snowflake-v2', dataset: 'Metrics', source_name: 'ratio_metric_ingest',
      query: 'SELECT unit_id, ds, metric_name, numerator, denominator\nFROM analytics.daily_metrics\nWHERE metric_name = \'nps_score\'',
      column_mapping: { unit_id: 'unit_id', id_type: 'user_id', dateid: 'ds', metric_name: 'metric_name', numerator: 'numerator', denominator: 'denominator' },
      enabled: false,
      share: 'statsig_share', schema: 'analytics', table: 'daily_metrics',
    },
    {
      id: id('exposure_export'), type: 'bigquery-v2', dataset: 'export_exposures', source_name: 'exposure_export',
      query: 'SELECT experiment_id, group_id, user_id, stable_id, exposure_ts\nFROM analytics.exposures',
      column_mapping: { experiment: 'experiment_id', group_id: 'group_id', timestamp: 'exposure_ts', ids: { userID: 'user_id', stableID: 'stable_id' } },
      enabled: true,
    },
  ];
}

function stamp(date: string, hour: number, minute: number): string {
  return `${date}T${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}:00.000Z`;
}

/** Builds an ingestion run with a plausible status history. */
export function makeRun(runID: string, trigger: string, sources: string[], dateStamps: string[], createdAt: string, outcome: string): IngestionRun {
  const t0 = Date.parse(createdAt);
  const at = (min: number): string => new Date(t0 + min * 60_000).toISOString();
  const chain = outcome === 'enqueued' ? ['enqueued']
    : outcome === 'download_error' ? ['enqueued', 'started', 'download_started', 'download_error']
      : ['enqueued', 'started', 'download_started', 'download_complete', 'metrics_started', 'metrics_complete', 'pulse_complete'];
  const history = chain.map((status, i) => ({ statusTimestamp: at(i * 9), status })).reverse();
  const last = history[0]?.statusTimestamp ?? createdAt;
  return {
    runID, latestStatus: outcome, lastUpdatedAt: last, createdAt, trigger, sources, dateStamps,
    runHistory: history,
    granularHistory: sources.map((source) => ({
      source,
      latestSourceStatus: outcome,
      statusByDate: dateStamps.map((dateStamp) => ({ dateStamp, statuses: history.map((h) => ({ ...h })) })),
    })),
  };
}

function defaultRunsAndStatuses(seedName: string, ingestion: IngestionSource[], today: string): { runs: IngestionRun[]; statuses: IngestionStatus[] } {
  const runs: IngestionRun[] = [];
  const groups = [
    { dataset: 'Events', hour: 2 },
    { dataset: 'Metrics', hour: 3 },
  ];
  for (let d = 1; d <= 6; d++) {
    const day = addDays(today, -d);
    const target = addDays(day, -1);
    for (const g of groups) {
      const sources = ingestion.filter((s) => s.dataset === g.dataset).map((s) => s.source_name);
      if (sources.length === 0) continue;
      const outcome = d === 2 && g.dataset === 'Events' ? 'download_error' : 'pulse_complete';
      runs.push(makeRun(stableUuid(`run:${seedName}:${g.dataset}:${d}`), 'scheduled', sources, [target], stamp(day, g.hour, 30), outcome));
    }
  }
  runs.sort((a, b) => b.createdAt.localeCompare(a.createdAt));

  const statuses: IngestionStatus[] = [];
  for (let d = 13; d >= 1; d--) {
    const ds = addDays(today, -d);
    for (const s of ingestion) {
      const h = hashInt(`${s.source_name}:${ds}`);
      let status = 'IMPORT_SUCCESSFUL';
      let message = `Your job for ${s.dataset.toLowerCase()} ingestion completed successfully`;
      let error: string | undefined;
      if (!s.enabled) { status = 'LOADED_EMPTY_DATA'; message = 'Source is disabled; nothing was loaded'; }
      else if (d === 3 && s.dataset === 'Events') { status = 'QUERY_ERROR'; message = 'The ingestion query failed'; error = 'SQL compilation error: Object \'ANALYTICS.EVENTS\' does not exist or not authorized.'; }
      else if (h % 11 === 0) { status = 'LOADED_EMPTY_DATA'; message = 'The query returned no rows for this date'; }
      const row: IngestionStatus = {
        ds: `${ds}T00:00:00.000Z`,
        ingestion_dataset: s.dataset,
        ingestion_source: s.type,
        source_name: s.source_name,
        message,
        status,
        rowCount: status === 'IMPORT_SUCCESSFUL' ? 1000 + (h % 90_000) : 0,
        timestamp: stamp(addDays(ds, 1), 2 + (h % 3), h % 60),
      };
      if (s.dataset === 'Metrics') row.metricCount = status === 'IMPORT_SUCCESSFUL' ? 1 + (h % 4) : 0;
      if (error !== undefined) row.error_message = error;
      statuses.push(row);
    }
  }
  return { runs, statuses };
}

function defaultReviewSettings(): ReviewSettings {
  return {
    is_config_review_required: false,
    is_metric_review_required: true,
    is_metric_review_required_on_verified_only: true,
    is_whn_analysis_only_review_required: false,
    is_whn_source_review_required: false,
  };
}

const LARGE_TABLES = [
  { table: 'analytics.events', ts: 'event_ts' },
  { table: 'analytics.orders', ts: 'order_ts' },
  { table: 'analytics.users', ts: 'updated_at' },
] as const;

function largeSources(count: number): Record<SourceKind, SourceRecord[]> {
  const out: Record<SourceKind, SourceRecord[]> = { assignment: [], entityProperty: [], qualifyingEvent: [], metricSource: [] };
  const prefix: Record<SourceKind, string> = {
    assignment: 'large_assignment_', entityProperty: 'large_entity_property_', qualifyingEvent: 'large_qualifying_event_', metricSource: 'large_metric_source_',
  };
  const kinds: SourceKind[] = ['assignment', 'entityProperty', 'qualifyingEvent', 'metricSource'];
  for (let i = 0; i < count; i++) {
    const kind = kinds[i % 4] as SourceKind;
    const list = out[kind];
    const n = list.length;
    const name = `${prefix[kind]}${String(n).padStart(5, '0')}`;
    const tags = n % 3 === 0 ? ['generated'] : n % 3 === 1 ? ['generated', `batch_${n % 7}`] : [];
    const owner = n % 5 === 0 ? OWNERS[n % OWNERS.length] : undefined;
    let rec: SourceRecord;
    if (kind === 'assignment') {
      rec = src({
        name, tags, description: `Generated assignment source #${n}.`,
        sql: `SELECT user_id, stable_id, experiment_id, group_id, exposure_ts\nFROM analytics.exposures\nWHERE ds BETWEEN {statsig_start_date} AND {statsig_end_date}\n  AND experiment_id <> 'exp_${n}'`,
        timestampColumn: 'exposure_ts', experimentIDColumn: 'experiment_id', groupIDColumn: 'group_id',
        idTypeMapping: [{ statsigUnitID: 'userID', column: 'user_id' }, { statsigUnitID: 'stableID', column: 'stable_id' }],
      });
    } else if (kind === 'entityProperty') {
      rec = src({
        name, tags, description: `Generated entity property source #${n}.`,
        sql: `SELECT user_id, country, plan, updated_at\nFROM analytics.users\nWHERE plan <> 'plan_${n}'`,
        timestampColumn: 'updated_at',
        idTypeMapping: [{ statsigUnitID: 'userID', column: 'user_id' }],
      });
    } else {
      const t = LARGE_TABLES[n % LARGE_TABLES.length] ?? LARGE_TABLES[0];
      rec = src({
        name, tags, description: `Generated ${kind === 'metricSource' ? 'metric source' : 'qualifying event'} #${n}.`,
        sql: `SELECT *\nFROM ${t.table}\nWHERE ${t.ts} >= {statsig_start_ts} -- variant ${n}`,
        timestampColumn: t.ts,
        idTypeMapping: [{ statsigUnitID: 'userID', column: 'user_id' }],
        sourceType: 'query',
      });
    }
    if (owner) rec.owner = { ...owner };
    list.push(rec);
  }
  return out;
}

function toMap(list: SourceRecord[]): Map<string, SourceRecord> {
  const m = new Map<string, SourceRecord>();
  for (const r of list) m.set(r.name, r);
  return m;
}

/** Every project has Statsig's built-in userID and stableID; the seeds add the ones their sources map. */
function defaultUnitIdTypes(): { name: string; description: string }[] {
  return [
    { name: 'userID', description: 'Statsig user ID (built in).' },
    { name: 'stableID', description: 'Device-level stable ID (built in).' },
    { name: 'companyID', description: 'The customer company an event belongs to.' },
  ];
}

/** Builds the whole project state for a seed. Throws on an invalid seed string. */
export function buildSeed(seed: string, now: Date = new Date()): ProjectState {
  const spec = parseSeed(seed);
  if (!spec) throw new Error(`Invalid seed "${seed}": use default, empty or large:N`);
  const today = isoDate(now);
  const schedules = new Map<string, number>(INGESTION_DATASETS.map((d) => [d, 10]));
  if (spec.kind === 'empty') {
    return {
      seed, unitIdTypes: defaultUnitIdTypes(), sources: { assignment: new Map(), entityProperty: new Map(), qualifyingEvent: new Map(), metricSource: new Map() },
      metrics: [], ingestion: [], runs: [], statuses: [], schedules,
      reviewSettings: {
        is_config_review_required: false, is_metric_review_required: false, is_metric_review_required_on_verified_only: false,
        is_whn_analysis_only_review_required: false, is_whn_source_review_required: false,
      },
      databricksConnection: null,
    };
  }
  const sources = spec.kind === 'default' ? defaultSources() : largeSources(spec.count);
  const ingestion = defaultIngestion(seed);
  const { runs, statuses } = defaultRunsAndStatuses(seed, ingestion, today);
  schedules.set('Events', 9);
  return {
    seed,
    unitIdTypes: defaultUnitIdTypes(),
    sources: {
      assignment: toMap(sources.assignment),
      entityProperty: toMap(sources.entityProperty),
      qualifyingEvent: toMap(sources.qualifyingEvent),
      metricSource: toMap(sources.metricSource),
    },
    metrics: spec.kind === 'default' ? defaultMetrics(now.getTime()) : [],
    ingestion,
    runs,
    statuses,
    schedules,
    reviewSettings: defaultReviewSettings(),
    databricksConnection: spec.kind === 'default'
      ? { host: 'dbc-1a2b3c4d-5e6f.cloud.databricks.com', path: '/sql/1.0/warehouses/8f2c1d0e9b7a6543', verified: true, hasDeltaSharingCredentials: true, updatedAt: stamp(addDays(today, -20), 15, 4) }
      : null,
  };
}
