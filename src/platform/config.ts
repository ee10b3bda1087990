// Typed settings, parsed with zod at the one place they enter the extension.
import * as vscode from 'vscode';
import { z } from 'zod';
import { Settings } from '../constants.ts';
import { DEFAULT_BASE_URL } from '../core/client.ts';

export const ExtensionConfig = z.object({
  apiBaseUrl: z.string().url().catch(DEFAULT_BASE_URL),
  requestTimeoutMs: z.number().int().min(1_000).max(300_000).catch(30_000),
  pageSize: z.number().int().min(1).max(1_000).catch(100),
  respectReviewSettings: z.boolean().catch(false),
  sqlDialect: z.enum(['snowflake', 'bigquery', 'databricks', 'redshift', 'athena', 'postgres', 'duckdb']).catch('snowflake'),
});
export type ExtensionConfig = z.infer<typeof ExtensionConfig>;

export function readConfig(): ExtensionConfig {
  const c = vscode.workspace.getConfiguration(Settings.section);
  return ExtensionConfig.parse({
    // Application scope only: read the user-level value so a workspace can never redirect the key.
    apiBaseUrl: c.inspect<string>(Settings.apiBaseUrl)?.globalValue ?? DEFAULT_BASE_URL,
    requestTimeoutMs: c.get(Settings.requestTimeoutMs),
    pageSize: c.get(Settings.pageSize),
    respectReviewSettings: c.get(Settings.respectReviewSettings),
    sqlDialect: c.get(Settings.sqlDialect),
  });
}
