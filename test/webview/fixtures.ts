// Sources and init messages for the webview tests, with the real JSON Schemas of each kind.
import { jsonSchemaFor } from '../../src/core/jsonSchema.ts';
import { descriptor, type KindId } from '../../src/core/kinds.ts';
import type { InitMessage } from '../../src/shared/editorProtocol.ts';

export const METRIC_SQL = 'SELECT user_id, order_ts, amount\nFROM analytics.orders\nWHERE amount > 0';

export function metricSource(): Record<string, unknown> {
  return {
    name: 'orders',
    description: 'One row per paid order.',
    sql: METRIC_SQL,
    timestampColumn: 'order_ts',
    idTypeMapping: [{ statsigUnitID: 'userID', column: 'user_id' }],
    tags: ['revenue', 'core'],
    sourceType: 'query',
    customFieldMapping: [{ key: 'net', formula: 'amount - refunds' }],
    isReadOnly: false,
    owner: { ownerID: 'u1', ownerType: 'USER', ownerName: 'Ada Lovelace', ownerEmail: 'ada@example.com' },
    team: null,
    warehouseHint: { cluster: 'wh-small' },
  };
}

export function ingestionSource(): Record<string, unknown> {
  return {
    type: 'snowflake-v2',
    dataset: 'Events',
    source_name: 'app_events_ingest',
    query: 'SELECT user_id, stable_id, event_name, event_ts, platform\nFROM analytics.events',
    column_mapping: {
      event_name: 'event_name',
      timestamp: 'event_ts',
      ids: { userID: 'user_id', stableID: 'stable_id' },
      metadata: { platform: 'platform' },
    },
    enabled: true,
  };
}

export function initFor(kind: KindId, value: Record<string, unknown>, overrides: Partial<InitMessage> = {}): InitMessage {
  const d = descriptor(kind);
  return {
    type: 'init',
    kind,
    title: [value['name'], value['source_name']].find((t): t is string => typeof t === 'string') ?? kind,
    schema: jsonSchemaFor(kind),
    readOnlyPaths: [],
    sqlField: d.sqlField,
    sqlDialect: 'snowflake',
    text: JSON.stringify(value, null, 2),
    isNew: false,
    capabilities: { dryRun: d.capabilities.dryRun },
    ...overrides,
  };
}

/** VS Code's Dark Modern colours, set on <html> the way VS Code does (CSSOM, not a style element). */
export const DARK_THEME: Readonly<Record<string, string>> = {
  'font-family': 'system-ui, sans-serif',
  'font-size': '13px',
  'editor-font-family': "'DejaVu Sans Mono', monospace",
  'editor-font-size': '13px',
  foreground: '#cccccc',
  descriptionForeground: '#9d9d9d',
  errorForeground: '#f85149',
  'editor-background': '#1f1f1f',
  'editor-foreground': '#cccccc',
  'input-background': '#313131',
  'input-foreground': '#cccccc',
  'input-border': '#3c3c3c',
  'input-placeholderForeground': '#989898',
  focusBorder: '#0078d4',
  'button-background': '#0078d4',
  'button-foreground': '#ffffff',
  'button-hoverBackground': '#026ec1',
  'button-secondaryBackground': '#313131',
  'button-secondaryForeground': '#cccccc',
  'button-secondaryHoverBackground': '#3c3c3c',
  'dropdown-background': '#313131',
  'dropdown-foreground': '#cccccc',
  'dropdown-border': '#3c3c3c',
  'badge-background': '#616161',
  'badge-foreground': '#f8f8f8',
  'panel-border': '#2b2b2b',
  'inputValidation-errorBackground': '#5a1d1d',
  'inputValidation-errorBorder': '#be1100',
  'inputValidation-warningBackground': '#352a05',
  'inputValidation-warningBorder': '#b89500',
  'inputValidation-infoBackground': '#063b49',
  'inputValidation-infoBorder': '#1b81a8',
  'textLink-foreground': '#4daafc',
  'textCodeBlock-background': '#2b2b2b',
  'editorLineNumber-foreground': '#6e7681',
  'editorLineNumber-activeForeground': '#cccccc',
  'editor-selectionBackground': '#264f78',
  'editorCursor-foreground': '#aeafad',
  'editorError-foreground': '#f14c4c',
  'debugTokenExpression-name': '#c586c0',
  'debugTokenExpression-string': '#ce9178',
  'debugTokenExpression-number': '#b5cea8',
  'debugTokenExpression-boolean': '#4e94ce',
};
