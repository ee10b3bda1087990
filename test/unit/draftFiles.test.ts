// The drafts folder and its cross-window protocol, in plain Node: two DraftFolder instances on one
// folder play two VS Code windows. A save is never lost, whatever the timing.
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { DraftFolder, contentHash, draftFileName, type Draft } from '../../src/core/draftFiles.ts';

let root: string;
before(async () => { root = await mkdtemp(join(tmpdir(), 'drafts-')); });
after(async () => { await rm(root, { recursive: true, force: true }); });

let n = 0;
async function folders(): Promise<[DraftFolder, DraftFolder]> {
  const dir = join(root, `case-${n++}`, 'drafts');
  const a = new DraftFolder(dir, 'windowA');
  const b = new DraftFolder(dir, 'windowB');
  await a.ensure();
  return [a, b];
}

const KEY = 'statsig://proj/metricSource/orders.json';
const draft = (content: string, base: Record<string, unknown> | null = { sql: 'SELECT 0' }): Draft => ({
  version: 1, uri: KEY, content, base, isNew: false, savedAt: Date.now(),
  validation: { contentHash: contentHash(content), state: 'passed', errors: 0, at: 1 },
});

test('write and read back, owner-only; remove; unreadable files are reported, never thrown', async () => {
  const [a, b] = await folders();
  await a.write(draft('v1'));
  assert.equal(((await b.read(KEY)) as Draft).content, 'v1', 'the other window reads it');
  assert.equal((await stat(a.dir)).mode & 0o777, 0o700);
  assert.equal((await stat(a.pathOf(KEY))).mode & 0o777, 0o600);
  await writeFile(join(a.dir, 'garbage.json'), '{ not json');
  const unreadable: string[] = [];
  assert.deepEqual((await b.readAll((name) => unreadable.push(name))).map((d) => d.content), ['v1']);
  assert.deepEqual(unreadable, ['garbage.json']);
  assert.equal(await b.remove(KEY), true);
  assert.equal(await a.read(KEY), 'missing');
  assert.equal(await a.remove(KEY), false);
  assert.match(draftFileName(KEY), /^[0-9a-f]{32}\.json$/);
});

test('settle: the pushed content goes; a newer save stays on the new base without its stale validation; no file is "gone"', async () => {
  const [a] = await folders();
  await a.write(draft('pushed'));
  assert.equal(await a.settle(KEY, contentHash('pushed'), { sql: 'SELECT 1' }), 'deleted');
  assert.equal(await a.read(KEY), 'missing');
  await a.write(draft('newer'));
  assert.equal(await a.settle(KEY, contentHash('pushed'), { sql: 'SELECT 1' }), 'rebased');
  const kept = (await a.read(KEY)) as Draft;
  assert.equal(kept.content, 'newer');
  assert.deepEqual(kept.base, { sql: 'SELECT 1' });
  assert.equal(kept.validation, undefined);
  await a.remove(KEY);
  assert.equal(await a.settle(KEY, contentHash('pushed'), {}), 'gone');
  assert.deepEqual((await readdir(a.dir)).filter((f) => !f.endsWith('.json')), [], 'no temporary file is left');
});

test('two windows racing: one settles a push while the other saves newer content — the newer save always survives', async () => {
  for (let i = 0; i < 150; i++) {
    const [a, b] = await folders();
    await a.write(draft('pushed'));
    const delay = i % 3;
    const [outcome] = await Promise.all([
      a.settle(KEY, contentHash('pushed'), { sql: 'SELECT 1' }),
      (async () => {
        for (let t = 0; t < delay; t++) await new Promise((r) => setImmediate(r));
        await b.write(draft(`newer ${i}`));
      })(),
    ]);
    const after = await a.read(KEY);
    assert.ok(after !== 'missing' && after !== undefined, `round ${i} (${outcome}): the newer save was lost`);
    assert.equal(after.content, `newer ${i}`, `round ${i} (${outcome})`);
    assert.deepEqual((await readdir(a.dir)).filter((f) => !f.endsWith('.json')), [], `round ${i}: temporary files left`);
  }
});

test('leftovers of a window that stopped mid-way: an old .settling draft comes back, an old .tmp goes, young ones stay', async () => {
  const [a] = await folders();
  const path = a.pathOf(KEY);
  await writeFile(`${path}.4242.settling`, JSON.stringify(draft('left aside')));
  await writeFile(`${path}.4242.tmp`, 'half');
  const old = new Date(Date.now() - 5 * 60_000);
  await utimes(`${path}.4242.settling`, old, old);
  await utimes(`${path}.4242.tmp`, old, old);
  await writeFile(`${path}.4343.tmp`, 'young');
  await a.recoverLeftovers();
  assert.equal(((await a.read(KEY)) as Draft).content, 'left aside');
  assert.deepEqual((await readdir(a.dir)).sort(), [draftFileName(KEY), `${draftFileName(KEY)}.4343.tmp`].sort());
  // A newer draft wins over an old leftover.
  await writeFile(`${path}.4444.settling`, JSON.stringify(draft('older')));
  await utimes(`${path}.4444.settling`, old, old);
  await a.recoverLeftovers();
  assert.equal(((await a.read(KEY)) as Draft).content, 'left aside');
});
