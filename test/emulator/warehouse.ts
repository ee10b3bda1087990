// The emulator's sample warehouse: one embedded, in-memory DuckDB holding a dozen rows in each of a
// few `analytics.*` tables. Source SQL is never executed for its rows: the emulator only asks DuckDB
// to *prepare* `SELECT * FROM (<sql>) AS q LIMIT 0`, which parses and binds the query and tells us its
// result columns. File access and extension loading are disabled, so user SQL cannot reach the disk.
import { DuckDBInstance } from '@duckdb/node-api';
import type { DuckDBConnection } from '@duckdb/node-api';

export type DescribeResult = { ok: true; columns: string[] } | { ok: false; error: string };

export interface Warehouse {
  /** Result columns of a source query (Statsig macros are substituted first). */
  describeQuery(sql: string): Promise<DescribeResult>;
  /** Columns of a table such as `analytics.events`. */
  describeTable(tableName: string): Promise<DescribeResult>;
  close(): void;
}

/** Fixed analysis window the Statsig macros expand to. */
export const MACRO_WINDOW = { startDate: '2024-06-01', endDate: '2024-06-30' } as const;

const MACROS: Record<string, { quoted: string; bare: string }> = {
  statsig_start_date: { quoted: MACRO_WINDOW.startDate, bare: `DATE '${MACRO_WINDOW.startDate}'` },
  statsig_end_date: { quoted: MACRO_WINDOW.endDate, bare: `DATE '${MACRO_WINDOW.endDate}'` },
  statsig_start_ts: { quoted: `${MACRO_WINDOW.startDate} 00:00:00`, bare: `TIMESTAMP '${MACRO_WINDOW.startDate} 00:00:00'` },
  statsig_end_ts: { quoted: `${MACRO_WINDOW.endDate} 23:59:59`, bare: `TIMESTAMP '${MACRO_WINDOW.endDate} 23:59:59'` },
  statsig_start_timestamp: { quoted: `${MACRO_WINDOW.startDate} 00:00:00`, bare: `TIMESTAMP '${MACRO_WINDOW.startDate} 00:00:00'` },
  statsig_end_timestamp: { quoted: `${MACRO_WINDOW.endDate} 23:59:59`, bare: `TIMESTAMP '${MACRO_WINDOW.endDate} 23:59:59'` },
};

/**
 * Replaces Statsig macros with literals: `'{statsig_start_date}'` (already quoted by the author) becomes
 * `'2024-06-01'`; a bare `{statsig_start_date}` becomes `DATE '2024-06-01'`. Unknown macros are left alone
 * (DuckDB then reports a parse error, which is what a typo deserves).
 */
export function substituteMacros(sql: string): string {
  return sql.replace(/('?)\{\s*(statsig_[a-z_]+)\s*\}('?)/gi, (whole, open: string, name: string, close: string) => {
    const macro = MACROS[name.toLowerCase()];
    if (!macro) return whole;
    if (open === "'" && close === "'") return `'${macro.quoted}'`;
    return `${open}${macro.bare}${close}`;
  });
}

const SAMPLE_DDL = `
CREATE SCHEMA analytics;
CREATE TABLE analytics.users AS
SELECT 'u' || lpad(i::VARCHAR, 3, '0') AS user_id,
       's' || lpad(i::VARCHAR, 3, '0') AS stable_id,
       'c' || lpad((i % 4)::VARCHAR, 2, '0') AS company_id,
       ['US', 'DE', 'FR', 'BR', 'IN', 'JP'][1 + i % 6] AS country,
       ['free', 'pro', 'enterprise'][1 + i % 3] AS plan,
       TIMESTAMP '2024-01-01 09:00:00' + INTERVAL (i * 3) DAY AS signup_ts,
       TIMESTAMP '2024-06-01 00:00:00' + INTERVAL (i) HOUR AS updated_at,
       DATE '2024-06-01' + (i % 5)::INTEGER AS ds
FROM range(12) t(i);
CREATE TABLE analytics.companies AS
SELECT 'c' || lpad(i::VARCHAR, 2, '0') AS company_id,
       ['Acme Corp', 'Globex', 'Initech', 'Umbrella'][1 + i % 4] || ' ' || i::VARCHAR AS company_name,
       ['retail', 'saas', 'finance', 'health'][1 + i % 4] AS industry,
       (i + 1) * 45 AS employee_count,
       ['pro', 'enterprise'][1 + i % 2] AS plan,
       TIMESTAMP '2024-05-20 00:00:00' + INTERVAL (i) DAY AS updated_at
FROM range(12) t(i);
CREATE TABLE analytics.exposures AS
SELECT 'u' || lpad(i::VARCHAR, 3, '0') AS user_id,
       's' || lpad(i::VARCHAR, 3, '0') AS stable_id,
       'c' || lpad((i % 4)::VARCHAR, 2, '0') AS company_id,
       ['checkout_redesign', 'pricing_page_v2', 'onboarding_tour'][1 + i % 3] AS experiment_id,
       ['control', 'test'][1 + i % 2] AS group_id,
       ['Control', 'Test'][1 + i % 2] AS group_name,
       TIMESTAMP '2024-06-02 08:00:00' + INTERVAL (i * 7) HOUR AS exposure_ts,
       DATE '2024-06-02' + (i // 4)::INTEGER AS ds
FROM range(12) t(i);
CREATE TABLE analytics.events AS
SELECT 'u' || lpad((i % 12)::VARCHAR, 3, '0') AS user_id,
       's' || lpad((i % 12)::VARCHAR, 3, '0') AS stable_id,
       'c' || lpad((i % 4)::VARCHAR, 2, '0') AS company_id,
       ['page_view', 'add_to_cart', 'checkout_started', 'purchase', 'app_open'][1 + i % 5] AS event_name,
       (i * 3.5)::DOUBLE AS event_value,
       TIMESTAMP '2024-06-03 10:00:00' + INTERVAL (i * 5) HOUR AS event_ts,
       DATE '2024-06-03' + (i // 5)::INTEGER AS ds,
       ['ios', 'android', 'web'][1 + i % 3] AS platform,
       '5.' || (i % 4)::VARCHAR || '.0' AS app_version,
       '/products/' || (100 + i)::VARCHAR AS page_url,
       'sess_' || (i // 2)::VARCHAR AS session_id
FROM range(12) t(i);
CREATE TABLE analytics.orders AS
SELECT 'o' || lpad(i::VARCHAR, 4, '0') AS order_id,
       'u' || lpad((i % 12)::VARCHAR, 3, '0') AS user_id,
       's' || lpad((i % 12)::VARCHAR, 3, '0') AS stable_id,
       'c' || lpad((i % 4)::VARCHAR, 2, '0') AS company_id,
       TIMESTAMP '2024-06-04 12:00:00' + INTERVAL (i * 9) HOUR AS order_ts,
       DATE '2024-06-04' + (i // 3)::INTEGER AS ds,
       round(19.99 + i * 7.25, 2)::DOUBLE AS revenue_usd,
       1 + i % 4 AS item_count,
       ['USD', 'EUR', 'GBP'][1 + i % 3] AS currency,
       CASE WHEN i % 4 = 0 THEN 'SUMMER10' ELSE NULL END AS coupon_code
FROM range(12) t(i);
CREATE TABLE analytics.daily_metrics AS
SELECT 'u' || lpad((i % 6)::VARCHAR, 3, '0') AS unit_id,
       'u' || lpad((i % 6)::VARCHAR, 3, '0') AS user_id,
       'user_id' AS id_type,
       DATE '2024-06-01' + (i // 6)::INTEGER AS ds,
       ['support_tickets', 'nps_score'][1 + i % 2] AS metric_name,
       (i % 7)::DOUBLE AS metric_value,
       (i % 5)::DOUBLE AS numerator,
       (1 + i % 3)::DOUBLE AS denominator
FROM range(12) t(i);
`;

/** The sample tables and their columns, for documentation and tests. */
export const SAMPLE_TABLES = [
  'analytics.users', 'analytics.companies', 'analytics.exposures', 'analytics.events', 'analytics.orders', 'analytics.daily_metrics',
] as const;

function cleanError(message: string): string {
  if (/multiple statements/i.test(message)) return 'SQL must be a single SELECT statement.';
  // Drop DuckDB's "LINE 1: ..." caret context: it points into the emulator's wrapper query.
  const head = message.split(/\n\s*\nLINE \d+:/)[0] ?? message;
  return head.replace(/\s*\n\s*/g, ' ').trim();
}

const TABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*){0,2}$/;

export async function createWarehouse(): Promise<Warehouse> {
  const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  const connection: DuckDBConnection = await instance.connect();
  await connection.run(SAMPLE_DDL);
  // After the sample data exists: no file system, no extensions, and nobody can switch that back.
  await connection.run("SET enable_external_access = false; SET autoinstall_known_extensions = false; SET autoload_known_extensions = false; SET lock_configuration = true;");

  const cache = new Map<string, DescribeResult>();
  let queue: Promise<unknown> = Promise.resolve();
  let closed = false;

  function prepareColumns(wrapped: string): Promise<DescribeResult> {
    const cached = cache.get(wrapped);
    if (cached) return Promise.resolve(cached);
    const run = queue.then(async (): Promise<DescribeResult> => {
      if (closed) return { ok: false, error: 'The sample warehouse is closed.' };
      try {
        const prepared = await connection.prepare(wrapped);
        const columns: string[] = [];
        for (let i = 0; i < prepared.columnCount; i++) columns.push(prepared.columnName(i));
        prepared.destroySync();
        return { ok: true, columns };
      } catch (err) {
        return { ok: false, error: cleanError(err instanceof Error ? err.message : String(err)) };
      }
    });
    queue = run.catch(() => undefined);
    return run.then((result) => {
      if (cache.size > 1000) cache.clear();
      cache.set(wrapped, result);
      return result;
    });
  }

  return {
    describeQuery(sql: string): Promise<DescribeResult> {
      const body = substituteMacros(sql).trim().replace(/;+\s*$/, '');
      if (body === '') return Promise.resolve({ ok: false, error: 'SQL is empty.' });
      // Newlines keep a trailing `-- comment` in the user's SQL from swallowing the wrapper.
      return prepareColumns(`SELECT * FROM (\n${body}\n) AS q LIMIT 0`);
    },
    describeTable(tableName: string): Promise<DescribeResult> {
      const name = tableName.trim();
      if (!TABLE_NAME.test(name)) return Promise.resolve({ ok: false, error: `Table "${tableName}" does not exist.` });
      return prepareColumns(`SELECT * FROM ${name} LIMIT 0`).then((r) =>
        r.ok ? r : { ok: false, error: `Table "${tableName}" does not exist.` });
    },
    close(): void {
      if (closed) return;
      closed = true;
      try { connection.closeSync(); } catch { /* already closed */ }
      try { instance.closeSync(); } catch { /* already closed */ }
    },
  };
}
