// Command line for the Statsig Console API emulator.
//   node test/emulator/cli.ts --port 4000 --key console-local-dev [--read-only-key K] [--project-id ID]
//     [--project ID:KEY[:SEED]]… [--control-token T]
//     [--seed default|empty|large:N] [--latency MS] [--error-rate X] [--drop-rate X] [--max-page-size N]
// Prints one line with the URL and the control token and runs until SIGINT/SIGTERM. Bad flags:
// message on stderr, exit 2.
import { parseArgs } from 'node:util';
import { parseSeed } from './seeds.ts';
import type { EmulatorOptions, ProjectOptions } from './server.ts';
import { startEmulator } from './server.ts';

const USAGE = 'Usage: node test/emulator/cli.ts [--port 4000] [--key console-local-dev] [--read-only-key KEY] '
  + '[--project-id ID] [--project ID:KEY[:SEED]]... [--control-token TOKEN] [--seed default|empty|large:N] [--latency MS] [--error-rate 0..1] [--drop-rate 0..1] [--max-page-size N]';

function fail(message: string): never {
  process.stderr.write(`statsig emulator: ${message}\n${USAGE}\n`);
  process.exit(2);
}

function int(raw: string | undefined, flag: string, min: number, max: number, fallback: number): number {
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw)) fail(`${flag} must be an integer, got "${raw}"`);
  const n = Number(raw);
  if (n < min || n > max) fail(`${flag} must be between ${min} and ${max}, got ${n}`);
  return n;
}

function share(raw: string | undefined, flag: string): number {
  if (raw === undefined) return 0;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1) fail(`${flag} must be a number between 0 and 1, got "${raw}"`);
  return n;
}

function parse(argv: string[]): EmulatorOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string' },
        key: { type: 'string' },
        'read-only-key': { type: 'string' },
        seed: { type: 'string' },
        latency: { type: 'string' },
        'error-rate': { type: 'string' },
        'drop-rate': { type: 'string' },
        'max-page-size': { type: 'string' },
        'project-id': { type: 'string' },
        project: { type: 'string', multiple: true },
        'control-token': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    fail(err instanceof Error ? err.message : String(err));
  }
  if (values.help === true) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const seed = values.seed ?? 'default';
  if (!parseSeed(seed)) fail(`--seed must be default, empty or large:N, got "${seed}"`);
  const key = values.key ?? 'console-local-dev';
  if (key.trim() === '') fail('--key must not be empty');
  const readOnlyKey = values['read-only-key'];
  if (readOnlyKey !== undefined && (readOnlyKey.trim() === '' || readOnlyKey === key)) fail('--read-only-key must be non-empty and differ from --key');
  const projects: ProjectOptions[] = (values.project ?? []).map((raw) => {
    const [id, projectKey, projectSeed, ...rest] = raw.split(':');
    if (!id || !projectKey || rest.length > 0) fail(`--project must be ID:KEY or ID:KEY:SEED, got "${raw}"`);
    if (projectSeed !== undefined && !parseSeed(projectSeed)) fail(`--project ${id}: seed must be default, empty or large:N`);
    return { id, key: projectKey, ...(projectSeed !== undefined ? { seed: projectSeed } : {}) };
  });
  const controlToken = values['control-token'];
  if (controlToken !== undefined && controlToken.length < 16) fail('--control-token must be at least 16 characters');
  return {
    port: int(values.port, '--port', 0, 65535, 4000),
    key,
    ...(values['project-id'] !== undefined ? { projectId: values['project-id'] } : {}),
    ...(projects.length > 0 ? { projects } : {}),
    ...(controlToken !== undefined ? { controlToken } : {}),
    ...(readOnlyKey !== undefined ? { readOnlyKey } : {}),
    seed,
    latencyMs: int(values.latency, '--latency', 0, 600_000, 0),
    errorRate: share(values['error-rate'], '--error-rate'),
    dropRate: share(values['drop-rate'], '--drop-rate'),
    maxPageSize: int(values['max-page-size'], '--max-page-size', 1, 100_000, 100),
  };
}

const options = parse(process.argv.slice(2));
let emulator;
try {
  emulator = await startEmulator(options);
} catch (err) {
  process.stderr.write(`statsig emulator: could not start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
const running = emulator;

let stopping = false;
function stop(): void {
  if (stopping) return;
  stopping = true;
  running.close().then(() => process.exit(0), () => process.exit(1));
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
process.stdout.write(`Statsig Console API emulator listening on ${running.url} (seed ${options.seed ?? 'default'}, project ${running.projectId})\n`);
process.stdout.write(`Control endpoint token (header x-emulator-token): ${running.controlToken}\n`);
