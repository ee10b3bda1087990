// Listing every page, correctly and fast.
//
// Page 1 comes first (it tells the server's real page size and, usually, `totalItems`). The rest
// is then fetched in concurrent batches. `nextPage` is never followed: the spec's own examples
// get it wrong, so the page numbers are computed here. Listing stops on `totalItems`, on a short
// or empty page, on a page that brings no new item (a server that ignores `page` would otherwise
// cost thousands of requests), and never runs past `maxPages`. Items are de-duplicated by
// identity (a source created or deleted while listing shifts the pages under us). `truncated`
// says the listing is known to be incomplete.
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
  const seen = new Set<string>();
  const items: T[] = [];
  let duplicatesDropped = 0;
  /** Adds a page's items in order; returns how many were new. */
  const take = (pageItems: readonly T[]): number => {
    let fresh = 0;
    for (const item of pageItems) {
      const id = options.identity(item);
      if (seen.has(id)) {
        duplicatesDropped++;
        continue;
      }
      seen.add(id);
      items.push(item);
      fresh++;
    }
    return fresh;
  };

  const first = await options.fetchPage(1);
  take(first.items);
  let pagesFetched = 1;
  let rounds = 1;
  const total = nonNegativeInt(first.pagination.totalItems);
  // The page size is what page 1 held (the server may cap `limit`); `itemsPerPage` only counts
  // when page 1 is full by it. Nonsense numbers (NaN, 0, huge) are never trusted on their own.
  const claimed = positiveInt(first.pagination.itemsPerPage);
  const size = first.items.length;
  const moreByTotal = total !== undefined && seen.size < total;
  let done = size === 0
    || (total !== undefined && !moreByTotal)
    || (total === undefined && claimed !== undefined && size < claimed);
  /** Pages the server's total asks for, if it gave one (bounded by maxPages). */
  const lastByTotal = total !== undefined && size > 0 ? Math.ceil(total / size) : undefined;
  let truncated = false;

  // Further pages in batches of `concurrency`, in order. Stop at the first page that is empty,
  // short, or brings nothing new (a server that ignores `page`, or whose numbers are nonsense),
  // at the total, or at maxPages.
  let next = 2;
  // Items shifted by an insertion while listing push the tail one page further: the bound grows
  // by the pages the duplicates fill (so it stays bounded).
  const bound = () => (lastByTotal === undefined ? Number.MAX_SAFE_INTEGER : lastByTotal + Math.ceil(duplicatesDropped / Math.max(1, size)));
  while (!done) {
    const end = Math.min(next + concurrency - 1, maxPages, bound());
    if (next > end) {
      truncated = next > maxPages;
      break;
    }
    const batch = range(next, end);
    rounds++;
    const got = await mapBounded(batch, concurrency, (p) => options.fetchPage(p));
    pagesFetched += batch.length;
    for (const pageResult of got) {
      const pageItems = pageResult.items;
      const fresh = take(pageItems);
      if (pageItems.length === 0 || fresh === 0 || pageItems.length < size || (total !== undefined && seen.size >= total)) {
        done = true;
        break;
      }
    }
    next = end + 1;
    if (!done && next > bound()) done = true;
  }
  // The server's own total says items are missing (it ignored `page`, or stopped short).
  if (total !== undefined && seen.size < total) truncated = true;
  return { items, pagesFetched, sequentialRounds: rounds, duplicatesDropped, truncated };
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
