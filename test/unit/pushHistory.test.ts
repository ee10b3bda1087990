// The push history folder and its cross-window protocol, in plain Node: several HistoryFolder
// instances on one folder play several VS Code windows pushing at once. The newest 50 entries of a
// source are never lost, whatever the interleaving (a fast-check scheduler drives an in-memory file
// system call by call), and at rest exactly the newest 50 are left.
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import {
  HISTORY_LIMIT, HistoryFolder, changedFields, entryFileName, type HistoryFs, type PushHistoryEntry,
} from '../../src/core/pushHistory.ts';

let root: string;
before(async () => { root = await mkdtemp(join(tmpdir(), 'history-')); });
after(async () => { await rm(root, { recursive: true, force: true }); });

let n = 0;
const freshDir = () => join(root, `case-${n++}`, 'history');

const ORDERS = 'statsig://proj/metricSource/orders.json';
const USERS = 'statsig://proj/assignmentSource/users.json';

function entry(at: number, uri = ORDERS, sql = `SELECT ${at}`): PushHistoryEntry {
  const replaced = { name: 'orders', sql: 'SELECT 0', owner: { ownerName: 'a' } };
  const pushed = { name: 'orders', sql, owner: { ownerName: 'b' } };
  return {
    version: 1, at, projectId: 'proj', projectLabel: 'Project', uri, kind: 'metricSource', name: 'orders', mode: 'patch',
    pushed, replaced, changed: changedFields('metricSource', replaced, pushed),
  };
}

test('changedFields: the fields that differ, server-owned ones ignored; a create changes every field it sets', () => {
  assert.deepEqual(changedFields('metricSource', { name: 'o', sql: 'a', owner: { x: 1 }, tags: ['t'] }, { name: 'o', sql: 'b', owner: { x: 2 } }), ['sql', 'tags']);
  assert.deepEqual(changedFields('metricSource', { sql: 'a', owner: 1 }, { sql: 'a', owner: 2 }), []);
  assert.deepEqual(changedFields('metricSource', null, { sql: 'a', name: 'o', owner: 1 }), ['name', 'sql']);
  assert.deepEqual(changedFields('metricSource', { mapping: { a: 1, b: 2 } }, { mapping: { b: 2, a: 1 } }), [], 'key order is not a change');
});

test('add and list: newest first, per source and across sources; owner-only files and folders; the schema is enforced', async () => {
  const dir = freshDir();
  const a = new HistoryFolder(dir, { newId: () => 'a' });
  const b = new HistoryFolder(dir, { newId: () => 'b' });
  await a.add(entry(1000));
  await b.add(entry(3000));
  await a.add(entry(2000, USERS));
  await b.add(entry(1000)); // the same millisecond as a's first: both kept, ordered by id
  assert.deepEqual((await a.list(ORDERS)).map((e) => e.at), [3000, 1000, 1000]);
  assert.deepEqual((await b.list(USERS)).map((e) => e.uri), [USERS]);
  assert.deepEqual((await a.list()).map((e) => [e.at, e.uri]), [[3000, ORDERS], [2000, USERS], [1000, ORDERS], [1000, ORDERS]]);
  assert.deepEqual(await a.list('statsig://proj/metricSource/none.json'), []);
  assert.equal((await stat(dir)).mode & 0o777, 0o700);
  const folder = a.folderOf(ORDERS);
  assert.equal((await stat(folder)).mode & 0o777, 0o700);
  for (const name of await readdir(folder)) assert.equal((await stat(join(folder, name))).mode & 0o777, 0o600, name);
  assert.deepEqual((await readdir(folder)).filter((f) => !f.endsWith('.json')), [], 'no temporary file is left');
  assert.deepEqual((await a.list(ORDERS))[0]?.changed, ['sql']);
  await assert.rejects(a.add({ ...entry(1), mode: 'none' as unknown as 'patch' }), /mode/);
  assert.deepEqual(await new HistoryFolder(freshDir()).list(), [], 'no folder yet: no entries');
});

test('list skips unreadable files and files of another source, with a warning, and never throws', async () => {
  const dir = freshDir();
  const warnings: string[] = [];
  const folder = new HistoryFolder(dir, { warn: (m) => warnings.push(m) });
  await folder.add(entry(10));
  const path = folder.folderOf(ORDERS);
  await writeFile(join(path, entryFileName(20, 'bad')), '{ not json');
  await writeFile(join(path, entryFileName(30, 'wrong')), JSON.stringify({ version: 1, at: 30 }));
  await writeFile(join(path, entryFileName(40, 'other')), JSON.stringify(entry(40, USERS)));
  await writeFile(join(path, 'notes.txt'), 'not an entry');
  assert.deepEqual((await folder.list(ORDERS)).map((e) => e.at), [10]);
  assert.equal(warnings.length, 3, warnings.join(' | '));
  assert.deepEqual(warnings, [
    'Ignoring push history file 000000000000040-other.json: it belongs to another source.',
    'Ignoring an unreadable push history file 000000000000030-wrong.json.',
    'Ignoring an unreadable push history file 000000000000020-bad.json.',
  ]);
  // A file where a source's folder should be: that source has no entries, the others are listed.
  warnings.length = 0;
  await writeFile(folder.folderOf(USERS), 'in the way');
  assert.deepEqual(await folder.list(USERS), []);
  assert.deepEqual((await folder.list()).map((e) => e.at), [40, 10], 'every source: the file of another source is listed under its own');
  assert.match(warnings.join(' | '), /Ignoring push history folder .*ENOTDIR/);
});

test(`51+ pushes of a source keep the newest ${HISTORY_LIMIT}; other sources are untouched; old .tmp leftovers go`, async () => {
  const dir = freshDir();
  const folder = new HistoryFolder(dir);
  await folder.add(entry(1, USERS));
  // A window that stopped between write and rename long ago, and one writing right now.
  await folder.add(entry(2));
  const stale = join(folder.folderOf(ORDERS), `${entryFileName(5, 'old')}.tmp`);
  await writeFile(stale, '{}');
  const hourAgo = new Date(Date.now() - 3_600_000);
  await utimes(stale, hourAgo, hourAgo);
  await writeFile(join(folder.folderOf(ORDERS), `${entryFileName(6, 'now')}.tmp`), '{}');
  for (let at = 100; at < 100 + HISTORY_LIMIT + 5; at++) await folder.add(entry(at));
  const left = await folder.list(ORDERS);
  assert.equal(left.length, HISTORY_LIMIT);
  assert.deepEqual(left.map((e) => e.at), Array.from({ length: HISTORY_LIMIT }, (_, i) => 100 + HISTORY_LIMIT + 4 - i));
  assert.equal((await folder.list(USERS)).length, 1);
  const tmps = (await readdir(folder.folderOf(ORDERS))).filter((f) => f.endsWith('.tmp'));
  assert.deepEqual(tmps, [`${entryFileName(6, 'now')}.tmp`]);
});

test('two windows adding at once on a real folder: the newest 50 are all kept, and only they', async () => {
  const dir = freshDir();
  const windows = [new HistoryFolder(dir), new HistoryFolder(dir), new HistoryFolder(dir)];
  const names = await Promise.all(windows.map(async (w, i) => {
    const mine: string[] = [];
    for (let k = 0; k < 30; k++) mine.push(await w.add(entry(1000 + k * 3 + i)));
    return mine;
  }));
  const expected = names.flat().sort().slice(-HISTORY_LIMIT);
  const left = (await readdir(windows[0]!.folderOf(ORDERS))).sort();
  assert.deepEqual(left, expected);
});

// ------------------------------------------------------------------ interleavings, call by call

/** An in-memory file system whose every call takes effect when the fast-check scheduler says so. */
function scheduledFs(s: fc.Scheduler): { fs: HistoryFs; files: Map<string, string> } {
  const files = new Map<string, string>();
  const written = new Map<string, number>();
  const dirs = new Set<string>();
  const enoent = (path: string) => Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
  const step = async <T>(label: string, effect: () => T): Promise<T> => {
    await s.schedule(Promise.resolve(), label);
    return effect();
  };
  const fs: HistoryFs = {
    mkdir: (path) => step(`mkdir ${path}`, () => void dirs.add(path)),
    readdir: (path) => step(`readdir ${path}`, () => {
      if (!dirs.has(path)) throw enoent(path);
      return [...files.keys(), ...dirs].filter((p) => p.startsWith(`${path}/`) && !p.slice(path.length + 1).includes('/')).map((p) => p.slice(path.length + 1));
    }),
    readFile: (path) => step(`read ${path}`, () => {
      const text = files.get(path);
      if (text === undefined) throw enoent(path);
      return text;
    }),
    writeFile: (path, text) => step(`write ${path}`, () => {
      files.set(path, text);
      written.set(path, Date.now());
    }),
    rename: (from, to) => step(`rename ${from}`, () => {
      const text = files.get(from);
      if (text === undefined) throw enoent(from);
      files.delete(from);
      files.set(to, text);
      written.set(to, written.get(from) ?? Date.now());
    }),
    unlink: (path) => step(`unlink ${path}`, () => {
      if (!files.delete(path)) throw enoent(path);
    }),
    mtime: (path) => step(`mtime ${path}`, () => {
      const at = files.has(path) ? written.get(path) : undefined;
      if (at === undefined) throw enoent(path);
      return at;
    }),
  };
  return { fs, files };
}

async function interleaved(s: fc.Scheduler, perWindow: readonly number[], limit: number, sameMs: boolean): Promise<void> {
  const { fs, files } = scheduledFs(s);
  let clock = 0;
  let ids = 0;
  const written: string[] = [];
  const runs = perWindow.map(async (count, w) => {
    const folder = new HistoryFolder('/h', { fs, limit, newId: () => `w${w}n${ids++}` });
    for (let i = 0; i < count; i++) {
      const at = sameMs ? Math.floor(clock++ / 3) : clock++;
      written.push(await folder.add(entry(at)));
    }
  });
  await s.waitFor(Promise.all(runs));
  const folder = new HistoryFolder('/h').folderOf(ORDERS);
  const left = [...files.keys()].filter((p) => p.startsWith(`${folder}/`)).map((p) => p.slice(folder.length + 1)).sort();
  assert.deepEqual(left, written.sort().slice(-limit), `left ${left.length} of ${written.length}`);
}

test('property: under any interleaving of windows adding, the newest `limit` are never lost and exactly they are left', async () => {
  await fc.assert(fc.asyncProperty(
    fc.scheduler(), fc.array(fc.integer({ min: 1, max: 12 }), { minLength: 1, maxLength: 4 }), fc.integer({ min: 1, max: 6 }), fc.boolean(),
    (s, perWindow, limit, sameMs) => interleaved(s, perWindow, limit, sameMs),
  ), { numRuns: 150 });
});

test(`property: the same at the real limit (${HISTORY_LIMIT}), three windows pushing past it`, async () => {
  await fc.assert(fc.asyncProperty(
    fc.scheduler(), fc.tuple(fc.integer({ min: 10, max: 30 }), fc.integer({ min: 10, max: 30 }), fc.integer({ min: 1, max: 20 })), fc.boolean(),
    (s, perWindow, sameMs) => interleaved(s, perWindow, HISTORY_LIMIT, sameMs),
  ), { numRuns: 25 });
});
