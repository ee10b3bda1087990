// The sources folder on disk for the CLI: read every file under the root, write a file atomically
// (a temp file beside it, renamed over it: a reader never sees half a file, and a failure midway
// leaves the old file), remove a file and the folders it leaves empty. The format itself is pure
// (src/core/sourceFiles.ts, src/core/sourceLock.ts).
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { LOCK_FILE } from '../core/sourceFiles.ts';
import { formatLock, parseLock, type Lock } from '../core/sourceLock.ts';

/** Folders never read (version control, editors' and tools' own). */
const SKIPPED = new Set(['.git', 'node_modules']);

/** Every file under `root`, by path relative to it with `/`; an absent root is an empty folder. */
export function readTree(root: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string): void => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (error) {
      if ((error as { code?: unknown }).code === 'ENOENT' && dir === root) return;
      throw error;
    }
    for (const e of entries) {
      const full = join(dir, e.name);
      if (e.isDirectory()) {
        if (!SKIPPED.has(e.name)) walk(full);
      } else if (e.isFile()) {
        const bytes = readFileSync(full);
        const text = new TextDecoder('utf-8').decode(bytes);
        files.set(relative(root, full).split(sep).join('/'), text);
      }
    }
  };
  walk(root);
  return files;
}

/** Writes `text` to `root/path` through a temp file renamed over it. */
export function writeAtomic(root: string, path: string, text: string): void {
  const file = join(root, ...path.split('/'));
  mkdirSync(dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(temp, text, { flag: 'wx' });
  try {
    renameSync(temp, file);
  } catch (error) {
    try {
      unlinkSync(temp);
    } catch { /* already gone */ }
    throw error;
  }
}

/** Removes `root/path`, then the folders up to the root it leaves empty. */
export function removeFile(root: string, path: string): void {
  const file = join(root, ...path.split('/'));
  try {
    unlinkSync(file);
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'ENOENT') throw error;
  }
  for (let dir = dirname(file); relative(root, dir) !== '' && !relative(root, dir).startsWith('..'); dir = dirname(dir)) {
    try {
      rmdirSync(dir);
    } catch {
      break;
    }
  }
}

export type LockState = { readonly state: 'absent' } | { readonly state: 'ok'; readonly lock: Lock } | { readonly state: 'invalid'; readonly message: string };

/** The lock among the files readTree found. */
export function lockIn(files: ReadonlyMap<string, string>): LockState {
  const text = files.get(LOCK_FILE);
  if (text === undefined) return { state: 'absent' };
  const read = parseLock(text);
  return read.ok ? { state: 'ok', lock: read.lock } : { state: 'invalid', message: read.message };
}

export function writeLock(root: string, lock: Lock): void {
  writeAtomic(root, LOCK_FILE, formatLock(lock));
}
