// Listing every page, correctly and fast.
//
// Page 1 comes first (it tells the server's real page size and, usually, `totalItems`). The rest
// is then fetched concurrently (bounded). `nextPage` is never followed: the spec's own examples
// get it wrong, so the page numbers are computed here. Listing stops on `totalItems`, on a short
// page or on an empty page, and never runs past `maxPages`. Items are de-duplicated by identity
// (a source created or deleted while listing shifts the pages under us).
import type { PaginationMetadata } from './schemas/common.ts';

export interface Page<T> {
  readonly items: readonly T[];
  readonly pagination: PaginationMetadata;
}

export interface ListAllOptions<T> {
  readonly fetchPage: (page: number) => Promise<Page<T>>;
  readonly identity: (item: T) => string;
  /** Pages in flight at once after page 1. */
  readonly concurrency?: number;
  /** Hard stop, whatever the server says. */
  readonly maxPages?: number;
}

export interface ListAllResult<T> {
  readonly items: T[];
  readonly pagesFetched: number;
  /** Rounds of requests that had to wait for each other (page 1 counts as one). */
  readonly sequentialRounds: number;
  readonly duplicatesDropped: number;
  /** True when `maxPages` cut the listing short. */
  readonly truncated: boolean;
}

export const DEFAULT_LIST_CONCURRENCY = 8;
export const DEFAULT_MAX_PAGES = 5_000;

/** Runs `worker` over `inputs` with at most `limit` in flight; results keep the input order. */
export async function mapBounded<I, O>(inputs: readonly I[], limit: number, worker: (input: I) => Promise<O>): Promise<O[]> {
  const results = new Array<O>(inputs.length);
  let next = 0;
  const run = async (): Promise<void> => {
    while (next < inputs.length) {
      const index = next++;
      results[index] = await worker(inputs[index] as I);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, inputs.length)) }, run));
  return results;
}

export async function listAllPages<T>(options: ListAllOptions<T>): Promise<ListAllResult<T>> {
  const concurrency = Math.max(1, options.concurrency ?? DEFAULT_LIST_CONCURRENCY);
  const maxPages = Math.max(1, options.maxPages ?? DEFAULT_MAX_PAGES);
  const pages = new Map<number, readonly T[]>();
  let rounds = 1;

  const first = await options.fetchPage(1);
  pages.set(1, first.items);
  const perPage = positiveInt(first.pagination.itemsPerPage) ?? first.items.length;
  const total = nonNegativeInt(first.pagination.totalItems);
  let truncated = false;

  const isShort = (items: readonly T[]) => perPage === 0 || items.length < perPage;
  let done = isShort(first.items) || (total !== undefined && first.items.length >= total);

  if (!done && total !== undefined && perPage > 0) {
    // The server told us how many there are: fetch all remaining pages at once (bounded).
    const lastPage = Math.min(Math.ceil(total / perPage), maxPages);
    truncated = Math.ceil(total / perPage) > maxPages;
    const wanted = range(2, lastPage);
    rounds += Math.ceil(wanted.length / concurrency);
    const got = await mapBounded(wanted, concurrency, (p) => options.fetchPage(p));
    wanted.forEach((p, i) => pages.set(p, got[i]?.items ?? []));
    const last = pages.get(lastPage) ?? [];
    const ids = [...pages.values()].flatMap((items) => items.map(options.identity));
    const unique = new Set(ids).size;
    // Trust `totalItems` unless the pages disagree with it: a duplicate means items shifted
    // (something was inserted while listing), so the tail may be one page further.
    done = truncated || isShort(last) || (unique >= total && unique === ids.length);
  }

  // Without a total (or when it turned out stale): probe ahead in batches until a short page.
  let nextPage = Math.max(...pages.keys()) + 1;
  while (!done) {
    if (nextPage > maxPages) {
      truncated = true;
      break;
    }
    const batch = range(nextPage, Math.min(nextPage + concurrency - 1, maxPages));
    rounds++;
    const got = await mapBounded(batch, concurrency, (p) => options.fetchPage(p));
    for (let i = 0; i < batch.length; i++) {
      const items = got[i]?.items ?? [];
      pages.set(batch[i] as number, items);
      if (isShort(items)) {
        done = true;
        break;
      }
    }
    nextPage = (batch[batch.length - 1] ?? nextPage) + 1;
  }

  const seenIds = new Set<string>();
  const items: T[] = [];
  let duplicatesDropped = 0;
  for (const p of [...pages.keys()].sort((x, y) => x - y)) {
    for (const item of pages.get(p) ?? []) {
      const id = options.identity(item);
      if (seenIds.has(id)) {
        duplicatesDropped++;
        continue;
      }
      seenIds.add(id);
      items.push(item);
    }
  }
  return { items, pagesFetched: pages.size, sequentialRounds: rounds, duplicatesDropped, truncated };
}

function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let i = from; i <= to; i++) out.push(i);
  return out;
}

function positiveInt(n: number | undefined): number | undefined {
  return n !== undefined && Number.isFinite(n) && n >= 1 ? Math.floor(n) : undefined;
}

function nonNegativeInt(n: number | undefined): number | undefined {
  return n !== undefined && Number.isFinite(n) && n >= 0 ? Math.floor(n) : undefined;
}
