// The paging algorithm on its own, over an in-memory page function (the HTTP path is covered by
// client.test.ts against the emulator).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { listAllPages, mapBounded, type Page } from '../../src/core/pagination.ts';

interface FakeServer {
  fetchPage(page: number): Promise<Page<string>>;
  calls: number[];
  maxInFlight: number;
}

function server(items: string[], opts: { cap: number; total?: boolean; lie?: boolean; mutate?: (page: number, items: string[]) => void }): FakeServer {
  const s: FakeServer = {
    calls: [],
    maxInFlight: 0,
    async fetchPage(page) {
      s.calls.push(page);
      inFlight++;
      s.maxInFlight = Math.max(s.maxInFlight, inFlight);
      await new Promise((r) => setTimeout(r, 1));
      inFlight--;
      opts.mutate?.(page, items);
      const slice = items.slice((page - 1) * opts.cap, page * opts.cap);
      return {
        items: slice,
        pagination: {
          itemsPerPage: opts.cap, pageNumber: page,
          nextPage: opts.lie ? '/list?page=1' : slice.length === opts.cap ? `/list?page=${page + 1}` : null,
          previousPage: null,
          ...(opts.total === false ? {} : { totalItems: items.length }),
        },
      };
    },
  };
  let inFlight = 0;
  return s;
}

const names = (n: number) => Array.from({ length: n }, (_, i) => `s${String(i).padStart(5, '0')}`);

describe('listAllPages', () => {
  it('fetches page 1, then the rest concurrently, and returns everything once', async () => {
    const s = server(names(1_000), { cap: 100 });
    const r = await listAllPages({ fetchPage: (p) => s.fetchPage(p), identity: (x) => x, concurrency: 4 });
    assert.equal(r.items.length, 1_000);
    assert.deepEqual(r.items.slice(0, 2), ['s00000', 's00001']);
    assert.equal(s.calls[0], 1);
    assert.equal(r.pagesFetched, 10);
    assert.equal(s.calls.length, 10, 'no page beyond the total is asked for');
    assert.equal(r.sequentialRounds, 1 + Math.ceil(9 / 4));
    assert.ok(s.maxInFlight <= 4 && s.maxInFlight > 1, `in flight ${s.maxInFlight}`);
  });

  it('ignores a lying nextPage and still terminates', async () => {
    const s = server(names(250), { cap: 100, lie: true });
    const r = await listAllPages({ fetchPage: (p) => s.fetchPage(p), identity: (x) => x });
    assert.equal(r.items.length, 250);
    assert.equal(s.calls.length, 3);
  });

  it('without totalItems, probes ahead in batches and stops at the first short page', async () => {
    const s = server(names(530), { cap: 100, total: false });
    const r = await listAllPages({ fetchPage: (p) => s.fetchPage(p), identity: (x) => x, concurrency: 3 });
    assert.equal(r.items.length, 530);
    assert.ok(s.calls.length <= 1 + 6, `calls ${s.calls.length}`);
  });

  it('stops on an empty page when the last page is exactly full and there is no total', async () => {
    const s = server(names(200), { cap: 100, total: false });
    const r = await listAllPages({ fetchPage: (p) => s.fetchPage(p), identity: (x) => x, concurrency: 1 });
    assert.equal(r.items.length, 200);
    assert.deepEqual(s.calls, [1, 2, 3]);
  });

  it('uses the server\'s page size, not the one asked for (server caps limit)', async () => {
    const s = server(names(45), { cap: 10 });
    const r = await listAllPages({ fetchPage: (p) => s.fetchPage(p), identity: (x) => x });
    assert.equal(r.items.length, 45);
    assert.equal(s.calls.length, 5);
  });

  it('de-duplicates items shifted by an insertion while listing, and does not lose the tail', async () => {
    let inserted = false;
    const s = server(names(300), {
      cap: 100,
      mutate: (page, items) => {
        if (page === 3 && !inserted) {
          inserted = true;
          items.unshift('new-first');
        }
      },
    });
    const r = await listAllPages({ fetchPage: (p) => s.fetchPage(p), identity: (x) => x, concurrency: 1 });
    assert.equal(new Set(r.items).size, r.items.length);
    assert.ok(r.items.includes('s00299'));
    assert.ok(r.duplicatesDropped >= 1);
  });

  it('never loops forever: maxPages caps a server that always returns full pages', async () => {
    let calls = 0;
    const r = await listAllPages({
      fetchPage: (p) => {
        calls++;
        return Promise.resolve({ items: [`p${p}a`, `p${p}b`], pagination: { itemsPerPage: 2, pageNumber: p, nextPage: `/x?page=${p + 1}`, previousPage: null } });
      },
      identity: (x) => x,
      maxPages: 50,
    });
    assert.equal(r.truncated, true);
    assert.ok(calls <= 50);
  });

  it('an empty listing costs one request', async () => {
    const s = server([], { cap: 100 });
    const r = await listAllPages({ fetchPage: (p) => s.fetchPage(p), identity: (x) => x });
    assert.deepEqual(r.items, []);
    assert.deepEqual(s.calls, [1]);
  });

  it('a failing page fails the listing (no silent partial result)', async () => {
    await assert.rejects(
      listAllPages({
        fetchPage: (p) => {
          if (p === 3) return Promise.reject(new Error('boom on page 3'));
          return Promise.resolve({ items: [`a${p}`, `b${p}`], pagination: { itemsPerPage: 2, pageNumber: p, nextPage: null, previousPage: null, totalItems: 10 } });
        },
        identity: (x) => x,
      }),
      /boom on page 3/,
    );
  });
});

describe('listAllPages against servers that answer nonsense (spec-valid shapes)', () => {
  const page = (items: string[], p: number, extra: Partial<Page<string>['pagination']> = {}): Page<string> => ({
    items, pagination: { itemsPerPage: items.length, pageNumber: p, nextPage: null, previousPage: null, ...extra },
  });

  it('a server that ignores `page` (always page 1) costs one batch, not 5,000 requests, and is marked truncated', async () => {
    let calls = 0;
    const r = await listAllPages({
      fetchPage: (p) => { calls++; return Promise.resolve(page(['a', 'b', 'c'], p, { totalItems: 1_000_000 })); },
      identity: (x) => x,
      concurrency: 8,
    });
    assert.deepEqual(r.items, ['a', 'b', 'c']);
    assert.ok(calls <= 1 + 8, `calls ${calls}`);
    assert.equal(r.truncated, true, 'fewer items than totalItems: the listing says it is incomplete');
  });

  it('the same server without totalItems stops as soon as a page brings nothing new', async () => {
    let calls = 0;
    const r = await listAllPages({
      fetchPage: (p) => { calls++; return Promise.resolve(page(['a', 'b'], p)); },
      identity: (x) => x,
      concurrency: 4,
    });
    assert.deepEqual(r.items, ['a', 'b']);
    assert.ok(calls <= 1 + 4, `calls ${calls}`);
  });

  it('itemsPerPage of 1 with a huge totalItems: pages are asked for in batches and stop at the first page with nothing new', async () => {
    let calls = 0;
    const all = names(25);
    const r = await listAllPages({
      fetchPage: (p) => { calls++; return Promise.resolve(page(all.slice((p - 1) * 5, p * 5), p, { itemsPerPage: 1, totalItems: 9_999_999 })); },
      identity: (x) => x,
      concurrency: 4,
    });
    assert.equal(r.items.length, 25);
    assert.ok(calls <= 12, `calls ${calls}`);
  });

  it('itemsPerPage larger than what a page holds does not cut the listing at page 1 when totalItems says there is more', async () => {
    const all = names(30);
    const r = await listAllPages({
      fetchPage: (p) => Promise.resolve(page(all.slice((p - 1) * 10, p * 10), p, { itemsPerPage: 1_000, totalItems: 30 })),
      identity: (x) => x,
    });
    assert.equal(r.items.length, 30);
    assert.equal(r.truncated, false);
  });

  it('non-finite or negative numbers are ignored, never trusted', async () => {
    const all = names(12);
    const r = await listAllPages({
      fetchPage: (p) => Promise.resolve(page(all.slice((p - 1) * 5, p * 5), p, { itemsPerPage: Number.NaN, totalItems: -4 })),
      identity: (x) => x,
    });
    assert.equal(r.items.length, 12);
  });
});

describe('mapBounded', () => {
  it('keeps order and bounds concurrency', async () => {
    let inFlight = 0;
    let max = 0;
    const out = await mapBounded([5, 1, 4, 2, 3], 2, async (n) => {
      inFlight++;
      max = Math.max(max, inFlight);
      await new Promise((r) => setTimeout(r, n));
      inFlight--;
      return n * 10;
    });
    assert.deepEqual(out, [50, 10, 40, 20, 30]);
    assert.equal(max, 2);
  });
});
