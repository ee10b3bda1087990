// The command line: prints one line with the URL and one with the control token, serves, stops cleanly on SIGTERM/SIGINT;
// bad flags exit 2 with a message on stderr.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';

const CLI = fileURLToPath(new URL('./cli.ts', import.meta.url));

function run(args: string[]): { child: ReturnType<typeof spawn>; firstLine: Promise<string>; stdout: () => string; stderr: () => string } {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr?.on('data', (c: Buffer) => { err += c.toString(); });
  const firstLine = new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const nl = out.indexOf('\n');
      if (nl >= 0) resolve(out.slice(0, nl));
    });
    child.once('exit', (code) => reject(new Error(`exited with ${String(code)} before printing: ${err}`)));
  });
  return { child, firstLine, stdout: () => out, stderr: () => err };
}

test('starts with large:10000 on a free port, serves, and stops on SIGTERM with exit code 0', async () => {
  const p = run(['--port', '0', '--key', 'cli-key', '--read-only-key', 'cli-ro', '--seed', 'large:10000', '--max-page-size', '20',
    '--project-id', 'cli-main', '--project', 'cli-second:cli-key-2:empty', '--control-token', 'cli-control-token-0123456789']);
  const line = await p.firstLine;
  const m = /^Statsig Console API emulator listening on (http:\/\/127\.0\.0\.1:(\d+)) \(seed large:10000, project cli-main\)$/.exec(line);
  assert.ok(m, line);
  const url = m[1] ?? '';
  const r = await fetch(`${url}/console/v1/experiments/qualifying_events?limit=100`, { headers: { 'STATSIG-API-KEY': 'cli-ro' } });
  assert.equal(r.status, 200);
  const body = await r.json() as { data: unknown[]; pagination: { totalItems: number; itemsPerPage: number } };
  assert.equal(body.pagination.totalItems, 2500);
  assert.equal(body.pagination.itemsPerPage, 20);
  const w = await fetch(`${url}/console/v1/settings/reviews`, { method: 'POST', headers: { 'STATSIG-API-KEY': 'cli-ro' }, body: '{}' });
  assert.equal(w.status, 403);
  const second = await fetch(`${url}/console/v1/project`, { headers: { 'STATSIG-API-KEY': 'cli-key-2' } });
  assert.deepEqual(((await second.json()) as { data: unknown }).data, { id: 'cli-second' });
  const noToken = await fetch(`${url}/__emulator/stats`);
  assert.equal(noToken.status, 403);
  const withToken = await fetch(`${url}/__emulator/stats`, { headers: { 'x-emulator-token': 'cli-control-token-0123456789' } });
  assert.equal(withToken.status, 200);
  p.child.kill('SIGTERM');
  const [code] = await once(p.child, 'exit') as [number | null];
  assert.equal(code, 0);
  assert.deepEqual(p.stdout().trim().split('\n').slice(1), ['Control endpoint token (header x-emulator-token): cli-control-token-0123456789']);
});

test('SIGINT also stops it cleanly', async () => {
  const p = run(['--port', '0', '--seed', 'empty']);
  assert.match(await p.firstLine, /\(seed empty, project local-project\)$/);
  p.child.kill('SIGINT');
  const [code] = await once(p.child, 'exit') as [number | null];
  assert.equal(code, 0);
});

test('bad flags: message on stderr and exit code 2', async () => {
  for (const args of [['--bogus'], ['--seed', 'large:x'], ['--port', 'abc'], ['--error-rate', '2'], ['--max-page-size', '0'], ['extra'], ['--control-token', 'short'], ['--project', 'no-key']]) {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (c: Buffer) => { err += c.toString(); });
    const [code] = await once(child, 'exit') as [number | null];
    assert.equal(code, 2, args.join(' '));
    assert.match(err, /statsig emulator: /);
  }
});
