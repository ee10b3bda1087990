// Typed settings, parsed with zod at the one place they enter the extension.
import * as vscode from 'vscode';
import { z } from 'zod';
import { Settings } from '../constants.ts';
import { DEFAULT_PAGE_SIZE } from '../core/api.ts';
import { DEFAULT_BASE_URL, DEFAULT_TIMEOUT_MS } from '../core/client.ts';
import { settingValue } from '../core/settings.ts';
import { SQL_DIALECTS } from '../core/sql/dialects.ts';

export const ExtensionConfig = z.object({
  apiBaseUrl: z.string().url().catch(DEFAULT_BASE_URL),
  requestTimeoutMs: z.number().int().min(1_000).max(300_000).catch(DEFAULT_TIMEOUT_MS),
  pageSize: z.number().int().min(1).max(1_000).catch(DEFAULT_PAGE_SIZE),
  respectReviewSettings: z.boolean().catch(false),
  sqlDialect: z.enum(SQL_DIALECTS).catch('snowflake'),
  /** Minutes between drift checks while the window is focused; 0: off. */
  driftCheckMinutes: z.number().int().min(0).max(120).catch(5),
});
export type ExtensionConfig = z.infer<typeof ExtensionConfig>;

export function readConfig(): ExtensionConfig {
  const c = vscode.workspace.getConfiguration(Settings.section);
  // User-only settings (src/core/settings.ts) take the user's value or the default: a workspace can
  // never redirect the key, change timeouts or page sizes, or switch off review enforcement.
  const read = (name: string): unknown => settingValue(name, c.inspect(name), c.get(name));
  return ExtensionConfig.parse({
    apiBaseUrl: read(Settings.apiBaseUrl),
    requestTimeoutMs: read(Settings.requestTimeoutMs),
    pageSize: read(Settings.pageSize),
    respectReviewSettings: read(Settings.respectReviewSettings),
    sqlDialect: read(Settings.sqlDialect),
    driftCheckMinutes: read(Settings.driftCheckMinutes),
  });
}
