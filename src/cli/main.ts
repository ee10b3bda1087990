// statsig-whn: the project's command line, for CI and for people who prefer a terminal. The same
// core as the extension (src/core: no `vscode`), so a check here says what the editor says.
// Commands: `sql` (analyse SQL from stdin), `check` (the whole local validation of one source
// document), and sources as code (src/cli/sources.ts): `pull` (Statsig → a folder of .sql and
// .source.json files and statsig.lock.json) and `validate` (the folder's local checks and Statsig's
// dry run), `plan` and `push` (src/cli/plan.ts: what push would do; doing it). Exit codes: 0 no
// error, 1 an error found, 2 bad usage or configuration, 3 (plan, push) a conflict.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { LineIndex, parseDocument, type Problem } from '../core/document.ts';
import { KindIds, KINDS, refOf, type KindId, type SourceRef } from '../core/kinds.ts';
import { analyzeSql, configureSqlParser, isSqlDialect, outputColumnNames, SQL_DIALECTS, WASM_FILE, type SqlDialect } from '../core/sql/index.ts';
import { localValidation } from '../core/validation.ts';
import { maskSecrets } from '../core/mask.ts';
import { isStatsigApiError } from '../core/errors.ts';
import { PLAN_HELP, planCommand, pushCommand } from './plan.ts';
import { pullCommand, SOURCES_HELP, SourcesUsageError, validateCommand, type SourcesIo } from './sources.ts';

export const EXIT = { ok: 0, problems: 1, usage: 2 } as const;

/** Larger inputs are refused before reading them (a source document is a few KB). */
const MAX_INPUT_BYTES = 5 * 1024 * 1024;

const HELP = `statsig-whn: Statsig Warehouse Native sources as code, and local checks

Usage:
  statsig-whn pull [--kind <kind>] [NAME…] [--force]
                                                   Statsig's sources → the folder (default statsig/)
  statsig-whn validate [--local-only] [--format text|json|github]
                                                   check every source of the folder, dry-run the changed ones
  statsig-whn plan [--format text|json] [--prune] [--kind <kind>] [NAME…]
                                                   what push would do, with a diff of each change
  statsig-whn push [--yes] [--force] [--prune] [--kind <kind>] [NAME…]
                                                   the folder → Statsig, updating the lock as it goes
  statsig-whn sql --dialect <dialect>              analyse SQL read from stdin
  statsig-whn check <file> --kind <kind> [--dialect <dialect>]
                                                   validate one source document (JSON)
  statsig-whn <command> --help                     help for one command
  statsig-whn --version

Dialects: ${SQL_DIALECTS.join(', ')}
Kinds:    ${KindIds.join(', ')}

pull, validate, plan and push: --dir <folder> (default statsig), --api-url <url> (default $STATSIG_API_URL,
else https://statsigapi.net); the key comes from $STATSIG_CONSOLE_API_KEY and is never printed.
sql and check: JSON on stdout: {"problems":[{"from","to","line","column","severity","message"}], …}
  from/to: 0-based offsets into the input; line/column: 1-based.
Exit codes: 0 no error, 1 at least one error, 2 bad usage or unreadable input, 3 (plan, push)
a source changed on Statsig since the pull.
`;

const COMMAND_HELP: Record<string, string> = {
  ...SOURCES_HELP,
  ...PLAN_HELP,
  sql: `statsig-whn sql --dialect <dialect>

Reads SQL on stdin, with Statsig macros such as {statsig_start_date}, and prints
{"problems":[…],"outputColumns":["user_id","ts"]|null,"tables":["analytics.events"]}.
outputColumns is null when the query's columns cannot be known (SELECT * over a table).
Dialects: ${SQL_DIALECTS.join(', ')}
Exit codes: 0 no error, 1 a syntax error, 2 bad usage.
`,
  check: `statsig-whn check <file> --kind <kind> [--dialect <dialect>]

Validates one source document as the editor does before Statsig's dry run: JSON, schema, identity
and unknown fields, the SQL in the dialect (default snowflake), mapped columns against the query's
output. Prints {"problems":[…]}; positions point into the file.
Kinds: ${KindIds.join(', ')}
Exit codes: 0 no error, 1 at least one error, 2 bad usage or unreadable file.
`,
};

export interface Io {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly stdin: () => string;
  readonly readFile: (path: string) => Buffer;
}

class UsageError extends Error {}

interface OutProblem {
  readonly from: number;
  readonly to: number;
  readonly line: number;
  readonly column: number;
  readonly severity: 'error' | 'warning' | 'info';
  readonly message: string;
}

function placed(text: string, spans: readonly { from: number; to: number; severity: OutProblem['severity']; message: string }[]): OutProblem[] {
  const lines = new LineIndex(text);
  return spans.map(({ from, to, severity, message }) => {
    const { line, character } = lines.position(from);
    return { from, to, line: line + 1, column: character + 1, severity, message };
  });
}

function dialectOf(value: string | undefined, required: boolean): SqlDialect {
  if (value === undefined) {
    if (required) throw new UsageError('--dialect is required.');
    return 'snowflake';
  }
  if (!isSqlDialect(value)) throw new UsageError(`Unknown dialect "${value}". Use one of: ${SQL_DIALECTS.join(', ')}.`);
  return value;
}

function decode(bytes: Buffer, what: string): string {
  if (bytes.byteLength > MAX_INPUT_BYTES) throw new UsageError(`${what} is larger than ${MAX_INPUT_BYTES / 1024 / 1024} MB; a source is a few KB.`);
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  return text.startsWith('\uFEFF') ? text.slice(1) : text;
}

function sqlCommand(args: string[], io: Io): number {
  const { values, positionals } = parseArgs({ args, options: { dialect: { type: 'string' }, help: { type: 'boolean' } }, allowPositionals: true, strict: true });
  if (values.help) {
    io.stdout(COMMAND_HELP['sql'] ?? '');
    return EXIT.ok;
  }
  if (positionals.length > 0) throw new UsageError(`sql reads stdin and takes no file (got "${positionals[0] ?? ''}").`);
  const dialect = dialectOf(values.dialect, true);
  const sql = decode(Buffer.from(io.stdin(), 'utf8'), 'The input');
  const analysis = analyzeSql(sql, dialect);
  const problems = placed(sql, analysis.problems);
  io.stdout(`${JSON.stringify({ problems, outputColumns: outputColumnNames(analysis), tables: analysis.tables }, null, 2)}\n`);
  return problems.some((p) => p.severity === 'error') ? EXIT.problems : EXIT.ok;
}

/** The source the document names, or a placeholder when it names none yet (identity problems are reported anyway). */
function refIn(kind: KindId, text: string): SourceRef {
  const parsed = parseDocument(text);
  const named = parsed.ok ? refOf(kind, parsed.value) : undefined;
  if (named) return named;
  const identity = Object.fromEntries(KINDS[kind].addressing.identityFields.map((f) => [f, 'unnamed']));
  return refOf(kind, identity) ?? ({ kind: 'metricSource', name: 'unnamed' } as const);
}

function checkCommand(args: string[], io: Io): number {
  const { values, positionals } = parseArgs({
    args, options: { kind: { type: 'string' }, dialect: { type: 'string' }, help: { type: 'boolean' } }, allowPositionals: true, strict: true,
  });
  if (values.help) {
    io.stdout(COMMAND_HELP['check'] ?? '');
    return EXIT.ok;
  }
  const [file, ...extra] = positionals;
  if (!file) throw new UsageError('check needs the file of one source document.');
  if (extra.length > 0) throw new UsageError(`check takes one file (also got "${extra[0] ?? ''}").`);
  const kind = values.kind;
  if (!kind) throw new UsageError(`--kind is required: one of ${KindIds.join(', ')}.`);
  if (!(KindIds as readonly string[]).includes(kind)) throw new UsageError(`Unknown kind "${kind}". Use one of: ${KindIds.join(', ')}.`);
  const dialect = dialectOf(values.dialect, false);
  let bytes: Buffer;
  try {
    bytes = io.readFile(file);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw new UsageError(`Cannot read ${file}${typeof code === 'string' ? ` (${code})` : ''}.`);
  }
  const text = decode(bytes, file);
  const k = kind as KindId;
  const { problems } = localValidation(text, { kind: k, ref: refIn(k, text), isNew: true, base: undefined, dialect });
  const out = placed(text, problems.map((p: Problem) => ({ from: p.range.start, to: p.range.end, severity: p.severity, message: p.message })));
  io.stdout(`${JSON.stringify({ problems: out }, null, 2)}\n`);
  return out.some((p) => p.severity === 'error') ? EXIT.problems : EXIT.ok;
}

/** Runs one command line; returns the exit code. Never throws. */
export function run(argv: readonly string[], io: Io, version: string): number {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      io.stdout(HELP);
      return command === undefined ? EXIT.usage : EXIT.ok;
    }
    if (command === '--version' || command === '-v') {
      io.stdout(`${version}\n`);
      return EXIT.ok;
    }
    if (command === 'sql') return sqlCommand(rest, io);
    if (command === 'check') return checkCommand(rest, io);
    throw new UsageError(`Unknown command "${command}". Commands: pull, validate, plan, push, sql, check (statsig-whn --help).`);
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: unknown }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' || (error as { code?: unknown }).code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' || (error as { code?: unknown }).code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
      io.stderr(`statsig-whn: ${(error as Error).message}\n`);
      return EXIT.usage;
    }
    io.stderr(`statsig-whn: unexpected failure: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT.usage;
  }
}

const isUsage = (error: unknown) => error instanceof UsageError || error instanceof SourcesUsageError
  || ['ERR_PARSE_ARGS_UNKNOWN_OPTION', 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE', 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL'].includes(String((error as { code?: unknown }).code));

/**
 * Runs one command line, the commands that talk to Statsig or the disk included; returns the exit
 * code. Never throws. Everything printed has the key (and anything key-shaped) masked.
 */
export async function runCli(argv: readonly string[], io: Io & SourcesIo, version: string): Promise<number> {
  const key = io.env['STATSIG_CONSOLE_API_KEY']?.trim() ?? '';
  const masked = { ...io, stdout: (t: string) => io.stdout(maskSecrets(t, [key])), stderr: (t: string) => io.stderr(maskSecrets(t, [key])) };
  const [command, ...rest] = argv;
  const commands = { pull: pullCommand, validate: validateCommand, plan: planCommand, push: pushCommand } as const;
  if (command !== 'pull' && command !== 'validate' && command !== 'plan' && command !== 'push') return run(argv, masked, version);
  try {
    return await commands[command](rest, masked);
  } catch (error) {
    if (isStatsigApiError(error)) {
      // A refused key is configuration (2); Statsig unreachable or failing is a failed run (1).
      const config = error.kind === 'auth' || error.kind === 'forbidden';
      masked.stderr(`statsig-whn: ${config ? 'Statsig refused the key in STATSIG_CONSOLE_API_KEY' : 'Statsig could not be read'}: ${error.message}\n`);
      return config ? EXIT.usage : EXIT.problems;
    }
    masked.stderr(`statsig-whn: ${isUsage(error) ? '' : 'unexpected failure: '}${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT.usage;
  }
}

/** One question on the terminal (push's confirmation); the answer's line. */
async function askOnTerminal(question: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return await rl.question(question);
  } finally {
    rl.close();
  }
}

/** The bundled entry (dist/cli.cjs): the parser's WebAssembly sits beside it. */
export function main(): void {
  configureSqlParser({ wasmPath: join(__dirname, WASM_FILE) });
  void runCli(process.argv.slice(2), {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    stdin: () => readFileSync(0, 'utf8'),
    readFile: (path) => readFileSync(path),
    env: process.env,
    cwd: process.cwd(),
    ...(process.stdin.isTTY ? { ask: askOnTerminal } : {}),
    onInterrupt: (handler) => {
      // The first Ctrl+C asks the command to stop cleanly; a second one ends the process.
      const listener = () => {
        process.off('SIGINT', listener);
        process.once('SIGINT', () => process.exit(130));
        handler();
      };
      process.on('SIGINT', listener);
      return () => process.off('SIGINT', listener);
    },
  }, process.env.STATSIG_WHN_VERSION ?? 'development').then((code) => {
    process.exitCode = code;
  });
}
