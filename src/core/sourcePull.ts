// What a pull does to a sources folder, decided pure (the CLI's `statsig-whn pull` and VS Code's
// Pull to Workspace… both read the folder and Statsig, then write what this says): each source
// pulled is written unless its files already say the same; a local change (files that differ from
// the lock's base, or were never pulled) is never overwritten without `force`; a source of a fully
// listed kind that Statsig no longer has is removed when its files are as pulled. Nothing is
// written at all when anything is refused (the caller says which files).
import type { KindId, SourceRecord } from './kinds.ts';
import { filesOf, JSON_SUFFIX, parseFolder, sourceStem, SQL_SUFFIX, tooLongForFiles, type SourceFile } from './sourceFiles.ts';
import { lockKey, sourceHash, withEntry, type Lock } from './sourceLock.ts';

export interface PullInput {
  /** Every file under the root now (relative paths with `/`). */
  readonly files: ReadonlyMap<string, string>;
  readonly lock: Lock;
  /** The sources read from Statsig. */
  readonly records: readonly SourceRecord[];
  /**
   * Kinds whose every source was read (complete, untruncated listing, nothing named): only their
   * sources missing from `records` count as deleted on Statsig.
   */
  readonly complete: ReadonlySet<KindId>;
  readonly force: boolean;
}

export interface PullPlan {
  readonly writes: readonly SourceFile[];
  /** Files to delete (relative paths). */
  readonly removals: readonly string[];
  /** Local changes that would be overwritten: one line per source, naming its files. When any, nothing may be written. */
  readonly refused: readonly string[];
  /** Sources that cannot be kept as files (a name too long once encoded), with why: not written, not in the lock. */
  readonly skipped: readonly { readonly ref: SourceRecord['ref']; readonly reason: string }[];
  /** The lock after the pull. */
  readonly lock: Lock;
  /** Sources written, already up to date, and removed. */
  readonly written: number;
  readonly unchanged: number;
  readonly removed: number;
}

function withoutKey(lock: Lock, key: string): Lock {
  const sources = { ...lock.sources };
  delete sources[key];
  return { ...lock, sources };
}

const stemOf = (path: string) => path.replace(/\.(sql|source\.json)$/, '');

export function planPull(input: PullInput): PullPlan {
  const { files, records, complete, force } = input;
  let lock = input.lock;
  // What the folder holds now, to tell a stale copy (unchanged since its base: overwrite) from a local change (refuse).
  const local = parseFolder(files);
  const localByKey = new Map(local.sources.map((s) => [lockKey(s.ref), s]));
  const unchangedSinceBase = (key: string): boolean => {
    const entry = input.lock.sources[key];
    const source = localByKey.get(key);
    return entry !== undefined && source !== undefined && sourceHash(source.ref.kind, source.data) === entry.hash;
  };

  const writes: SourceFile[] = [];
  const removals: string[] = [];
  const refused: string[] = [];
  const skipped: { ref: SourceRecord['ref']; reason: string }[] = [];
  const pulled = new Set<string>();
  let unchanged = 0;
  for (const record of records) {
    const key = lockKey(record.ref);
    pulled.add(key);
    const tooLong = tooLongForFiles(record.ref);
    if (tooLong) {
      skipped.push({ ref: record.ref, reason: tooLong });
      continue;
    }
    const target = filesOf(record.ref, record.data);
    const stem = sourceStem(record.ref);
    const nowSql = files.get(`${stem}${SQL_SUFFIX}`);
    const nowJson = files.get(`${stem}${JSON_SUFFIX}`);
    const targetSql = target.find((f) => f.path.endsWith(SQL_SUFFIX))?.text;
    const targetJson = target.find((f) => f.path.endsWith(JSON_SUFFIX))?.text;
    if (nowSql === targetSql && nowJson === targetJson) {
      unchanged++;
    } else if ((nowSql === undefined && nowJson === undefined) || unchangedSinceBase(key) || force) {
      writes.push(...target);
      if (targetSql === undefined && nowSql !== undefined) removals.push(`${stem}${SQL_SUFFIX}`);
    } else {
      const differing = ([[SQL_SUFFIX, nowSql, targetSql], [JSON_SUFFIX, nowJson, targetJson]] as const).filter(([, a, b]) => a !== b).map(([suffix]) => `${stem}${suffix}`);
      refused.push(differing.join(', '));
    }
    lock = withEntry(lock, record.ref, sourceHash(record.ref.kind, record.data));
  }
  // Sources of a fully listed kind that Statsig no longer has: removed when the files are as pulled.
  for (const key of Object.keys(input.lock.sources)) {
    const kind = key.slice(0, key.indexOf('/')) as KindId;
    if (pulled.has(key) || !complete.has(kind)) continue;
    const source = localByKey.get(key);
    if (!source) {
      lock = withoutKey(lock, key);
    } else if (unchangedSinceBase(key) || force) {
      removals.push(source.jsonPath, ...(source.sqlPath ? [source.sqlPath] : []));
      lock = withoutKey(lock, key);
    } else {
      refused.push(`${source.jsonPath} (deleted on Statsig)`);
    }
  }
  return {
    writes, removals, refused, skipped, lock, unchanged,
    written: new Set(writes.map((w) => stemOf(w.path))).size,
    removed: new Set(removals.filter((p) => p.endsWith(JSON_SUFFIX)).map(stemOf)).size,
  };
}
