// The drafts folder on a local disk, shared by every VS Code window: one JSON file per draft, and
// the cross-window protocol that keeps a save from ever being lost. No `vscode` here, so the
// subtle part (two windows saving and settling the same draft at once) is unit-tested in plain Node
// (test/unit/draftFiles.test.ts). src/features/documents/drafts.ts keeps the in-memory index, the
// events and the watcher on top of it.
//
// The protocol:
// - a write goes to `<file>.<tag>.tmp` first and is renamed over the file, so a reader never sees
//   half a draft;
// - settling after a push first renames the draft file aside (`<file>.<tag>.settling`): what is
//   judged is exactly what is removed, and a save that lands meanwhile creates a new file, which
//   is never overwritten (a hard link makes "put back unless a newer one exists" atomic);
// - a window that stopped mid-way leaves `.settling`/`.tmp` files: the next start puts the draft
//   back (unless a newer one exists) and drops the temp, once they are older than a minute.
import { createHash } from 'node:crypto';
import { access, chmod, link, mkdir, readFile, readdir, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';

export const LastValidation = z.object({
  contentHash: z.string(),
  /** Outcome of the dry run (or of the local checks when they stopped it). */
  state: z.enum(['passed', 'failed', 'unchanged', 'unavailable', 'skipped', 'error']),
  errors: z.number().int().nonnegative(),
  at: z.number(),
});
export type LastValidation = z.infer<typeof LastValidation>;

/**
 * A three-way merge left conflicts in the draft's SQL (src/core/merge.ts): the draft holds the
 * markers, and `remote` is Statsig's version it was merged with. Once the draft is saved without
 * markers, the merge concludes: `remote` becomes the base and this goes.
 */
export const Merging = z.object({
  remote: z.record(z.string(), z.unknown()),
  at: z.number(),
});
export type Merging = z.infer<typeof Merging>;

export const Draft = z.object({
  version: z.literal(1),
  uri: z.string(),
  content: z.string(),
  /**
   * The remote object the draft was made from. Null for a source that does not exist yet (isNew),
   * and for a draft whose starting point is unknown (saved from an editor restored after a restart
   * before its remote was read): push then treats it as a possible conflict.
   */
  base: z.record(z.string(), z.unknown()).nullable(),
  isNew: z.boolean(),
  savedAt: z.number(),
  validation: LastValidation.optional(),
  /** Set while a merge's conflicts are being resolved (absent in drafts written before merges existed). */
  merging: Merging.optional(),
});
export type Draft = z.infer<typeof Draft>;

/** Drafts hold unpushed SQL and Statsig data: readable by their owner only. */
export const FILE_MODE = 0o600;
export const DIR_MODE = 0o700;
/** Leftovers younger than this may belong to another window at work right now. */
const LEFTOVER_AGE_MS = 60_000;

export function contentHash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The file name of a draft (its document URI, hashed: any URI gives a safe, fixed-length name). */
export function draftFileName(key: string): string {
  return `${contentHash(key).slice(0, 32)}.json`;
}

/** A draft file's text as a draft, or undefined when it is not one (half written, foreign, corrupt). */
export function parseDraft(text: string): Draft | undefined {
  try {
    const parsed = Draft.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A draft that stays after a push of older content: now based on what was pushed. savedAt stays
 * (it is the document's mtime: a change would look like an edit from elsewhere); the validation
 * goes, since it checked a request against the old base.
 */
export function rebased(draft: Draft, base: Record<string, unknown>): Draft {
  const { validation: _stale, ...rest } = draft;
  return { ...rest, base, isNew: false };
}

export function codeOf(error: unknown): string {
  return error && typeof error === 'object' && 'code' in error ? String(error.code) : '';
}

/**
 * Moves `src` to `dest` unless `dest` exists (a newer save, which wins): true when moved. A hard
 * link makes "unless it exists" atomic; where the file system has none, check then rename.
 */
export async function moveIfAbsent(src: string, dest: string): Promise<boolean> {
  try {
    await link(src, dest);
  } catch (error) {
    if (codeOf(error) === 'ENOENT') throw error;
    const exists = await access(dest).then(() => true, () => false);
    if (codeOf(error) === 'EEXIST' || exists) {
      await unlink(src).catch(() => undefined);
      return false;
    }
    await rename(src, dest);
    return true;
  }
  await unlink(src).catch(() => undefined);
  return true;
}

export type SettleOutcome = 'deleted' | 'rebased' | 'gone';

/** One window's view of the drafts folder. `tag` names this window's temporary files (its pid). */
export class DraftFolder {
  readonly dir: string;
  private readonly tag: string;

  constructor(dir: string, tag = String(process.pid)) {
    this.dir = dir;
    this.tag = tag;
  }

  pathOf(key: string): string {
    return join(this.dir, draftFileName(key));
  }

  /** Creates the folder, owner-only (also when an older version created it with the default mode). */
  async ensure(): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: DIR_MODE });
    await chmod(this.dir, DIR_MODE);
  }

  /** One draft: the draft, 'missing' when there is no file, undefined when it cannot be read. */
  async read(key: string): Promise<Draft | 'missing' | undefined> {
    return this.readFile(this.pathOf(key));
  }

  async readFile(path: string): Promise<Draft | 'missing' | undefined> {
    try {
      return parseDraft(await readFile(path, 'utf8'));
    } catch (error) {
      return codeOf(error) === 'ENOENT' ? 'missing' : undefined;
    }
  }

  /** Every readable draft; `onUnreadable` hears the names of the others. */
  async readAll(onUnreadable: (name: string) => void = () => undefined): Promise<Draft[]> {
    const names = await readdir(this.dir).catch(() => [] as string[]);
    const drafts: Draft[] = [];
    for (const name of names.filter((n) => n.endsWith('.json'))) {
      const found = await this.readFile(join(this.dir, name));
      if (found === undefined) onUnreadable(name);
      else if (found !== 'missing') drafts.push(found);
    }
    return drafts;
  }

  /** Writes a draft atomically (temp file, then rename): another window never reads half of it. */
  async write(draft: Draft): Promise<void> {
    const path = this.pathOf(draft.uri);
    const temp = `${path}.${this.tag}.tmp`;
    await writeFile(temp, new TextEncoder().encode(JSON.stringify(draft)), { mode: FILE_MODE });
    await rename(temp, path);
  }

  /** Removes a draft's file; false when there was none. */
  async remove(key: string): Promise<boolean> {
    try {
      await unlink(this.pathOf(key));
      return true;
    } catch (error) {
      if (codeOf(error) === 'ENOENT') return false;
      throw error;
    }
  }

  /**
   * After a successful push of the content whose hash is `pushedHash`: if the draft file holds
   * exactly that, it goes ('deleted'); if it holds a newer save, it stays on the new `base`
   * ('rebased'), unless an even newer save landed meanwhile, which wins; 'gone' when there is no
   * file. On any failure the draft is put back as it was: nothing is lost.
   */
  async settle(key: string, pushedHash: string, base: Record<string, unknown>): Promise<SettleOutcome> {
    const path = this.pathOf(key);
    const taken = `${path}.${this.tag}.settling`;
    try {
      await rename(path, taken);
    } catch (error) {
      if (codeOf(error) !== 'ENOENT') throw error;
      return 'gone';
    }
    try {
      const draft = parseDraft(await readFile(taken, 'utf8'));
      if (draft?.uri !== key) throw new Error('the draft file is not readable');
      if (contentHash(draft.content) === pushedHash) {
        await unlink(taken);
        return 'deleted';
      }
      const temp = `${path}.${this.tag}.tmp`;
      await writeFile(temp, new TextEncoder().encode(JSON.stringify(rebased(draft, base))), { mode: FILE_MODE });
      await moveIfAbsent(temp, path);
      await unlink(taken);
      return 'rebased';
    } catch (error) {
      await moveIfAbsent(taken, path).catch(() => undefined);
      throw error;
    }
  }

  /**
   * Leftovers of a window that stopped mid-way: a `.settling` draft goes back (unless a newer one
   * exists), a `.tmp` goes. Only files older than a minute (`now` for tests).
   */
  async recoverLeftovers(now = Date.now()): Promise<void> {
    const names = await readdir(this.dir).catch(() => [] as string[]);
    for (const name of names) {
      const match = /^(.+\.json)\.[\w-]+\.(settling|tmp)$/.exec(name);
      if (!match?.[1]) continue;
      const full = join(this.dir, name);
      const age = now - (await stat(full).then((st) => st.mtimeMs, () => now));
      if (age < LEFTOVER_AGE_MS) continue;
      if (match[2] === 'settling') await moveIfAbsent(full, join(this.dir, match[1])).catch(() => undefined);
      else await unlink(full).catch(() => undefined);
    }
  }
}
