// statsig-whn pull and validate: sources as code (README "Sources as code", docs/source-files.md).
// The folder format and the lock are core (src/core/sourceFiles.ts, sourceLock.ts); the checks are
// the extension's own (src/core/validation.ts); Statsig is reached through the one client
// (src/core/client.ts: retries, the mutation limiter that keeps dry runs within the rate limit,
// the key masked in every error).
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { SourcesApi } from '../core/api.ts';
import { ConsoleClient, DEFAULT_BASE_URL, normalizeBaseUrl } from '../core/client.ts';
import { parseDocument, type Problem, type Severity } from '../core/document.ts';
import { placeProblem } from '../core/sourceFindings.ts';
import { planPull } from '../core/sourcePull.ts';
import { errorMessage, isStatsigApiError, NotFoundError } from '../core/errors.ts';
import { descriptor, KindIds, refName, type KindId, type SourceRecord } from '../core/kinds.ts';
import { maskSecrets } from '../core/mask.ts';
import { mapBounded } from '../core/pagination.ts';
import { KIND_FOLDERS, parseFolder, type FolderProblem, type LocalSource } from '../core/sourceFiles.ts';
import { lockKey, sourceHash, type Lock } from '../core/sourceLock.ts';
import { isSqlDialect, SQL_DIALECTS, type SqlDialect } from '../core/sql/index.ts';
import { localValidation, validateDraft, type DryRunOutcome } from '../core/validation.ts';
import { annotation, type AnnotationLevel } from './annotations.ts';
import { lockIn, readTree, removeFile, writeAtomic, writeLock } from './folder.ts';

export const SOURCES_EXIT = { ok: 0, problems: 1, usage: 2 } as const;

export interface SourcesIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** Asks a question on the terminal and gives the answer; absent when there is no terminal (CI). */
  readonly ask?: (question: string) => Promise<string>;
  /** Calls `handler` on Ctrl+C (SIGINT) until the returned function is called; absent: Ctrl+C ends the process. */
  readonly onInterrupt?: (handler: () => void) => () => void;
}

export class SourcesUsageError extends Error {}

const COMMON_OPTIONS = `Options of pull and validate:
  --dir <folder>      the sources folder (default: statsig)
  --api-url <url>     the Console API (default: $STATSIG_API_URL, else ${DEFAULT_BASE_URL});
                      http:// only for 127.0.0.1, ::1 and localhost
The key comes from $STATSIG_CONSOLE_API_KEY and is never printed.`;

export const SOURCES_HELP: Record<'pull' | 'validate', string> = {
  pull: `statsig-whn pull [--kind <kind>]… [NAME…] [--force] [--dir <folder>] [--api-url <url>]

Writes Statsig's sources into the folder, one <name>.sql and one <name>.source.json per source
(docs/source-files.md), and records in statsig.lock.json which Statsig version each came from.
  --kind <kind>   only this kind (repeatable): ${KindIds.join(', ')}
                  or its folder name (${KindIds.map((k) => KIND_FOLDERS[k]).join(', ')})
  NAME…           only the sources with these names (an ingestion source's source_name)
  --force         overwrite local changes
A source whose files were changed since they were pulled (their content differs from the
lock's base), or files not pulled at all, are never overwritten without --force: pull then
writes nothing and names each. Sources deleted on Statsig are removed locally when unchanged.
${COMMON_OPTIONS}
Exit codes: 0 pulled, 1 refused (local changes), a NAME not found or Statsig could not be read,
2 bad usage or configuration.
`,
  validate: `statsig-whn validate [--local-only] [--format text|json|github] [--dialect <dialect>] [--dir <folder>] [--api-url <url>]

Checks every source in the folder the way the editor does: the files themselves, JSON, the
schema of the request a push would send, the SQL in the warehouse's dialect, mapped columns
against the query's output and (online) unit ID types. Then Statsig's dry run for every source
that differs from its base in statsig.lock.json (or is not in it), at the rate limit.
  --local-only        no network: no key needed, no dry run, no unit ID types
  --format <format>   text (default), json, or github (GitHub Actions annotations on the
                      exact line and column of the .sql or .source.json file)
  --dialect <name>    the warehouse's SQL dialect (default snowflake): ${SQL_DIALECTS.join(', ')}
${COMMON_OPTIONS}
Exit codes: 0 every source passes, 1 a source fails (or a dry run could not run), 2 bad usage or configuration.
`,
};

export interface Connection {
  readonly api: SourcesApi;
  readonly key: string;
}

export function connect(values: { 'api-url'?: string | undefined }, io: SourcesIo): Connection {
  const key = io.env['STATSIG_CONSOLE_API_KEY']?.trim();
  if (!key) throw new SourcesUsageError('Set STATSIG_CONSOLE_API_KEY to a Console API key (in CI: a repository secret).');
  const raw = values['api-url'] ?? io.env['STATSIG_API_URL'] ?? DEFAULT_BASE_URL;
  let baseUrl: string;
  try {
    baseUrl = normalizeBaseUrl(raw);
  } catch (error) {
    throw new SourcesUsageError(maskSecrets(errorMessage(error), [key]));
  }
  const client = new ConsoleClient({ baseUrl, apiKey: key, timeoutMs: 30_000 });
  return { api: new SourcesApi(client), key };
}

export function kindsOf(values: readonly string[] | undefined): KindId[] {
  if (!values || values.length === 0) return [...KindIds];
  return values.map((v) => {
    const kind = KindIds.find((k) => k === v || KIND_FOLDERS[k] === v);
    if (!kind) throw new SourcesUsageError(`Unknown kind "${v}". Use one of: ${KindIds.join(', ')}.`);
    return kind;
  });
}

// ------------------------------------------------------------------ pull

export async function pullCommand(args: string[], io: SourcesIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args, allowPositionals: true, strict: true,
    options: { kind: { type: 'string', multiple: true }, force: { type: 'boolean' }, dir: { type: 'string' }, 'api-url': { type: 'string' }, help: { type: 'boolean' } },
  });
  if (values.help) {
    io.stdout(SOURCES_HELP.pull);
    return SOURCES_EXIT.ok;
  }
  const kinds = kindsOf(values.kind);
  const names = new Set(positionals);
  const root = resolve(io.cwd, values.dir ?? 'statsig');
  const { api } = connect(values, io);
  const files = readTree(root);
  const lockState = lockIn(files);
  if (lockState.state === 'invalid') throw new SourcesUsageError(`${root}/statsig.lock.json is not a lock file: ${lockState.message}. Fix or delete it.`);

  const project = await api.getProject();
  if (lockState.state === 'ok' && lockState.lock.projectId !== project.id) {
    throw new SourcesUsageError(`${root} was pulled from the project ${lockState.lock.projectId}, but this key belongs to ${project.id}. Use another --dir, or the key of that project.`);
  }
  const lock: Lock = lockState.state === 'ok' ? lockState.lock : { version: 1, projectId: project.id, sources: {} };

  const records: SourceRecord[] = [];
  const complete = new Set<KindId>();
  let failed = false;
  for (const kind of kinds) {
    try {
      const listing = await api.list(kind);
      for (const item of listing.invalid) io.stderr(`statsig-whn: skipped a ${descriptor(kind).singular} Statsig returned that cannot be read (${item.label}): ${item.issues.join('; ')}\n`);
      if (listing.truncated) io.stderr(`statsig-whn: the list of ${descriptor(kind).label.toLowerCase()} is incomplete (${listing.truncatedReason ?? 'truncated'}); nothing of this kind is removed locally.\n`);
      if (listing.failures && listing.failures.length > 0) {
        for (const f of listing.failures) io.stderr(`statsig-whn: ${f.label} could not be read: ${errorMessage(f.error)}\n`);
      }
      if (!listing.truncated && !(listing.failures && listing.failures.length > 0) && listing.invalid.length === 0) complete.add(kind);
      records.push(...listing.records.filter((r) => names.size === 0 || names.has(refName(r.ref))));
    } catch (error) {
      failed = true;
      io.stderr(`statsig-whn: ${descriptor(kind).label} could not be listed: ${errorMessage(error)}\n`);
    }
  }
  const missing = [...names].filter((n) => !records.some((r) => refName(r.ref) === n));
  if (missing.length > 0) {
    io.stderr(`statsig-whn: no ${kinds.length === 1 ? descriptor(kinds[0] ?? 'metricSource').singular : 'source'} named ${missing.map((n) => JSON.stringify(n)).join(', ')} on Statsig.\n`);
    failed = true;
  }
  if (failed) {
    io.stderr('statsig-whn: nothing was written.\n');
    return SOURCES_EXIT.problems;
  }

  const plan = planPull({ files, lock, records, complete: names.size === 0 ? complete : new Set(), force: values.force === true });
  if (plan.refused.length > 0) {
    io.stderr(`statsig-whn: local changes would be overwritten; nothing was written. Commit or move them, or pull --force:\n${plan.refused.map((p) => `  ${p}\n`).join('')}`);
    return SOURCES_EXIT.problems;
  }
  for (const f of plan.writes) writeAtomic(root, f.path, f.text);
  for (const p of plan.removals) removeFile(root, p);
  writeLock(root, plan.lock);
  io.stdout(`Pulled ${records.length - plan.skipped.length} ${records.length - plan.skipped.length === 1 ? 'source' : 'sources'} of project ${project.id} into ${values.dir ?? 'statsig'}: ${plan.written} written, ${plan.unchanged} unchanged, ${plan.removed} removed.\n`);
  for (const s of plan.skipped) io.stderr(`statsig-whn: not pulled: ${lockKey(s.ref)}: ${s.reason}.\n`);
  return plan.skipped.length > 0 ? SOURCES_EXIT.problems : SOURCES_EXIT.ok;
}

// ------------------------------------------------------------------ validate

export interface Finding {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly severity: Severity;
  readonly message: string;
}

export interface SourceReport {
  readonly source: string;
  readonly files: readonly string[];
  /** Differs from its base in the lock (or is not in it): a dry run is due. */
  readonly changed: boolean;
  readonly dryRun: DryRunOutcome['state'] | 'not run';
  readonly dryRunMessage?: string;
  readonly findings: readonly Finding[];
}

/** Where a problem of the combined source document lies in its files (core/sourceFindings.ts), as the CLI prints it. */
export function findingOf(source: LocalSource, problem: Problem, sqlField: string, jsonRoot: ReturnType<typeof parseDocument>): Finding {
  const { file, line, column, severity, message } = placeProblem(source, problem, sqlField, jsonRoot);
  return { file, line, column, severity, message };
}

function parseFormat(value: string | undefined): 'text' | 'json' | 'github' {
  const format = value ?? 'text';
  if (format !== 'text' && format !== 'json' && format !== 'github') throw new SourcesUsageError(`Unknown format "${format}". Use text, json or github.`);
  return format;
}

function parseDialect(value: string | undefined): SqlDialect {
  if (value === undefined) return 'snowflake';
  if (!isSqlDialect(value)) throw new SourcesUsageError(`Unknown dialect "${value}". Use one of: ${SQL_DIALECTS.join(', ')}.`);
  return value;
}

export async function validateCommand(args: string[], io: SourcesIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args, allowPositionals: true, strict: true,
    options: {
      'local-only': { type: 'boolean' }, format: { type: 'string' }, dialect: { type: 'string' }, dir: { type: 'string' },
      'api-url': { type: 'string' }, help: { type: 'boolean' },
    },
  });
  if (values.help) {
    io.stdout(SOURCES_HELP.validate);
    return SOURCES_EXIT.ok;
  }
  if (positionals.length > 0) throw new SourcesUsageError(`validate checks the whole folder and takes no argument (got "${positionals[0] ?? ''}"); use --dir.`);
  const format = parseFormat(values.format);
  const dialect = parseDialect(values.dialect);
  const localOnly = values['local-only'] === true;
  const dirLabel = values.dir ?? 'statsig';
  const root = resolve(io.cwd, dirLabel);
  const connection = localOnly ? undefined : connect(values, io);
  const files = readTree(root);
  if (files.size === 0) throw new SourcesUsageError(`${root} holds no sources (statsig-whn pull writes them).`);
  const lockState = lockIn(files);
  if (lockState.state === 'invalid') throw new SourcesUsageError(`${dirLabel}/statsig.lock.json is not a lock file: ${lockState.message}. Fix or delete it.`);
  const lock = lockState.state === 'ok' ? lockState.lock : undefined;

  let unitIdTypes: string[] | undefined;
  if (connection) {
    try {
      const project = await connection.api.getProject();
      if (lock && lock.projectId !== project.id) throw new SourcesUsageError(`${dirLabel} was pulled from the project ${lock.projectId}, but this key belongs to ${project.id}.`);
      unitIdTypes = (await connection.api.listUnitIdTypes()).types.map((t) => t.name);
    } catch (error) {
      if (error instanceof SourcesUsageError) throw error;
      if (isStatsigApiError(error) && (error.kind === 'auth' || error.kind === 'forbidden')) throw error;
      io.stderr(`statsig-whn: Statsig could not be read, nothing was validated: ${errorMessage(error)}\n`);
      return SOURCES_EXIT.problems;
    }
  }

  const folder = parseFolder(files);
  const reports = await mapBounded(folder.sources, connection ? 8 : 1, async (source): Promise<SourceReport> => {
    const kind = source.ref.kind;
    const d = descriptor(kind);
    const key = lockKey(source.ref);
    const entry = lock?.sources[key];
    const changed = entry === undefined || sourceHash(kind, source.data) !== entry.hash;
    // What the source is compared with (planPush, unknown and immutable fields): unchanged since
    // its base, the files are the base; changed, Statsig's version now (online), else the files
    // themselves (local only: fields Statsig sent are not taken for typos).
    let base: Record<string, unknown> | undefined = entry === undefined ? undefined : source.data;
    let isNew = entry === undefined;
    let dryRun: SourceReport['dryRun'] = 'not run';
    let dryRunMessage: string | undefined;
    if (connection && changed && entry !== undefined) {
      try {
        base = (await connection.api.get(source.ref)).data;
      } catch (error) {
        if (error instanceof NotFoundError) {
          isNew = true;
          base = undefined;
        } else {
          dryRun = 'error';
          dryRunMessage = `Statsig's version could not be read: ${errorMessage(error)}`;
        }
      }
    }
    const ctx = { kind, ref: source.ref, isNew, base, dialect, ...(unitIdTypes ? { unitIdTypes } : {}) };
    const text = JSON.stringify(source.data, null, 2);
    let problems: readonly Problem[];
    if (connection && changed && dryRun !== 'error') {
      const result = await validateDraft(text, ctx, connection.api);
      problems = result.problems;
      dryRun = result.dryRun.state;
      if (result.dryRun.state === 'error') dryRunMessage = result.dryRun.message;
      if (result.dryRun.state === 'passed') dryRunMessage = result.dryRun.message;
    } else {
      problems = localValidation(text, ctx).problems;
    }
    const jsonRoot = parseDocument(source.jsonText);
    const findings = problems.map((p) => findingOf(source, p, d.sqlField, jsonRoot));
    return { source: key, files: [source.jsonPath, ...(source.sqlPath ? [source.sqlPath] : [])], changed, dryRun, ...(dryRunMessage !== undefined ? { dryRunMessage } : {}), findings };
  });

  const folderFindings: Finding[] = folder.problems.map((p: FolderProblem) => ({ file: p.file, line: p.line ?? 1, column: p.column ?? 1, severity: 'error', message: p.message }));
  const failedSource = (r: SourceReport) => r.findings.some((f) => f.severity === 'error') || r.dryRun === 'failed' || r.dryRun === 'error';
  const failed = reports.filter(failedSource).length;
  const dryRuns = reports.filter((r) => r.dryRun === 'passed' || r.dryRun === 'failed').length;
  const ok = failed === 0 && folderFindings.length === 0;
  const summary = `${reports.length} ${reports.length === 1 ? 'source' : 'sources'}: ${reports.length - failed} passed, ${failed} failed${folderFindings.length ? `, ${folderFindings.length} folder ${folderFindings.length === 1 ? 'problem' : 'problems'}` : ''}; ${localOnly ? 'local checks only (--local-only)' : `${dryRuns} dry ${dryRuns === 1 ? 'run' : 'runs'} (sources changed since they were pulled)`}.`;
  const prefixed = (file: string) => `${dirLabel.replace(/\/+$/, '')}/${file}`;
  const dryRunNote = (r: SourceReport) => (r.dryRun === 'error' ? `The dry run of ${r.source} could not run: ${r.dryRunMessage ?? 'unknown error'}` : undefined);

  if (format === 'json') {
    io.stdout(`${JSON.stringify({
      ok, summary,
      problems: folderFindings.map((f) => ({ ...f, file: prefixed(f.file) })),
      sources: reports.map((r) => ({ ...r, files: r.files.map(prefixed), findings: r.findings.map((f) => ({ ...f, file: prefixed(f.file) })) })),
    }, null, 2)}\n`);
  } else if (format === 'github') {
    const level = (s: Severity): AnnotationLevel => (s === 'info' ? 'notice' : s);
    const lines: string[] = [];
    for (const f of folderFindings) lines.push(annotation({ level: 'error', file: prefixed(f.file), line: f.line, col: f.column, message: f.message }));
    for (const r of reports) {
      for (const f of r.findings) lines.push(annotation({ level: level(f.severity), file: prefixed(f.file), line: f.line, col: f.column, title: r.source, message: f.message }));
      const note = dryRunNote(r);
      if (note) lines.push(annotation({ level: 'error', file: prefixed(r.files[0] ?? ''), message: note }));
    }
    io.stdout(`${lines.map((l) => `${l}\n`).join('')}${summary}\n`);
  } else {
    const lines: string[] = [];
    for (const f of folderFindings) lines.push(`${prefixed(f.file)}:${f.line}:${f.column}: error: ${f.message}`);
    for (const r of reports) {
      for (const f of r.findings) lines.push(`${prefixed(f.file)}:${f.line}:${f.column}: ${f.severity}: ${f.message}`);
      const note = dryRunNote(r);
      if (note) lines.push(`${prefixed(r.files[0] ?? '')}: error: ${note}`);
    }
    io.stdout(`${lines.map((l) => `${l}\n`).join('')}${summary}\n`);
  }
  return ok ? SOURCES_EXIT.ok : SOURCES_EXIT.problems;
}
