// Local Statsig Console API emulator (test infrastructure and demo backend; never shipped).
// node:http on 127.0.0.1 only. Every answer is JSON with `content-type: application/json`.
//
// Order of processing for a /console/v1 request:
//   stats -> latency -> deterministic faults (dropNext, failNext, force429) -> random faults
//   (dropRate, errorRate) -> auth (401) -> route (404) -> read-only key (403) -> mutation rate limit
//   (429) -> JSON body (400) -> handler (validation 400, DuckDB checks, 404, 2xx).
// Faults model the network and the service, so they hit requests before auth and before any state
// changes: a faulted request never changes the project.
// The loopback-only control endpoint /__emulator/{faults,reset,stats,projects} bypasses all of that;
// it requires the run's token (x-emulator-token), so a web page cannot drive it.
// Every key belongs to one project (its own id and state); a read-only key reads that project.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ApiContext, ApiResult } from './api.ts';
import { errorResult, isMutation, matchRoute } from './api.ts';
import type { ProjectState } from './model.ts';
import { buildSeed, parseSeed } from './seeds.ts';
import { isObject } from './validate.ts';
import type { Warehouse } from './warehouse.ts';
import { createWarehouse } from './warehouse.ts';

export interface RateLimit { short: number; shortWindowMs: number; long: number; longWindowMs: number }

/** Another project the emulator serves, next to the main one: its own id, key(s) and state. */
export interface ProjectOptions {
  id: string;
  key: string;
  readOnlyKey?: string;
  /** Default 'default'. */
  seed?: string;
}

export interface EmulatorOptions {
  /** 0 or undefined = pick a free port; the host is always 127.0.0.1. */
  port?: number;
  /** The valid Console API key (header STATSIG-API-KEY) of the main project. */
  key: string;
  /** A key of the main project that may read but gets 403 on every mutation. */
  readOnlyKey?: string;
  /** The main project's id (GET /console/v1/project); default `local-project`. */
  projectId?: string;
  /** More projects, each with its own keys and state. Keys must all differ. */
  projects?: ProjectOptions[];
  /**
   * Secret the control endpoint (/__emulator/…) requires in the `x-emulator-token` header, so a web
   * page in a browser on this machine cannot drive it. Default: 32 random bytes, hex.
   */
  controlToken?: string;
  /** 'default' | 'empty' | 'large:N' (default 'default'). */
  seed?: string;
  /** Server cap on `limit` (default 100); the default limit when absent is 10. */
  maxPageSize?: number;
  latencyMs?: number;
  errorRate?: number;
  dropRate?: number;
  /** Default 100 mutations / 10 s and 900 / 15 min. */
  rateLimit?: RateLimit;
  /** Called for every /console/v1 request after its response is sent (not for dropped connections). */
  onExchange?: (e: Exchange) => void;
}

export interface Exchange {
  method: string;
  /** Raw request path (still percent-encoded), without the query string. */
  path: string;
  query: Record<string, string | string[]>;
  /** Request headers, lower-case names. */
  headers: Record<string, string>;
  /** Parsed JSON body, the raw text when it was not JSON, or undefined when there was none. */
  requestBody: unknown;
  status: number;
  responseBody: unknown;
  responseHeaders: Record<string, string>;
}

export interface Faults {
  latencyMs: number;
  /** 0..1 share of answers replaced by 500/502/503. */
  errorRate: number;
  /** 0..1 share of connections destroyed without an answer. */
  dropRate: number;
  /** The next `count` /console requests get `status` with a JSON body {status, message}. */
  failNext: { status: number; count: number } | null;
  /** The next N requests: socket destroyed without a response. */
  dropNext: number;
  /** The next N requests get 429 with `Retry-After: 1`. */
  force429: number;
  /** When set, dropNext / failNext / force429 hit only requests with these methods (e.g. ["POST","PATCH"]). */
  faultMethods: readonly string[] | null;
  /** List responses carry a wrong `nextPage` (page 1 again, or a page beyond the end instead of null). */
  lieNextPage: boolean;
  /** List responses leave out `pagination.totalItems`. */
  omitTotalItems: boolean;
}

export interface Stats {
  requests: number;
  mutations: number;
  /** Keyed by `METHOD /console/v1/template/{param}`; unmatched paths count under `METHOD (unmatched)`. */
  byRoute: Record<string, number>;
  maxConcurrent: number;
  inFlight: number;
}

export interface Emulator {
  url: string;
  port: number;
  /** The main project's id. */
  projectId: string;
  /** Required by the control endpoint in the `x-emulator-token` header. */
  controlToken: string;
  /** Adds a project at run time (also POST /__emulator/projects). */
  addProject(p: ProjectOptions): void;
  close(): Promise<void>;
  setFaults(f: Partial<Faults>): void;
  reset(seed?: string): Promise<void>;
  stats(): Stats;
}

export const DEFAULT_PROJECT_ID = 'local-project';
export const CONTROL_TOKEN_HEADER = 'x-emulator-token';

export const DEFAULT_RATE_LIMIT: RateLimit = { short: 100, shortWindowMs: 10_000, long: 900, longWindowMs: 900_000 };
const MAX_BODY_BYTES = 2 * 1024 * 1024;
const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/** The control endpoint answers only these peers. */
export function isLoopbackAddress(address: string | undefined): boolean {
  return address !== undefined && LOOPBACK.has(address);
}

function rate(v: number | undefined, name: string): number {
  const x = v ?? 0;
  if (!Number.isFinite(x) || x < 0 || x > 1) throw new Error(`${name} must be between 0 and 1`);
  return x;
}

/** Checks a partial Faults object (control endpoint); returns error messages. */
export function validateFaults(f: Record<string, unknown>): string[] {
  const errors: string[] = [];
  const count = (k: string): void => {
    const v = f[k];
    if (v !== undefined && (typeof v !== 'number' || !Number.isInteger(v) || v < 0)) errors.push(`${k} must be a non-negative integer`);
  };
  const share = (k: string): void => {
    const v = f[k];
    if (v !== undefined && (typeof v !== 'number' || !(v >= 0 && v <= 1))) errors.push(`${k} must be a number between 0 and 1`);
  };
  const bool = (k: string): void => {
    if (f[k] !== undefined && typeof f[k] !== 'boolean') errors.push(`${k} must be a boolean`);
  };
  count('latencyMs'); count('dropNext'); count('force429');
  share('errorRate'); share('dropRate');
  bool('lieNextPage'); bool('omitTotalItems');
  const fn = f.failNext;
  if (fn !== undefined && fn !== null) {
    if (!isObject(fn) || typeof fn.status !== 'number' || !Number.isInteger(fn.status) || fn.status < 100 || fn.status > 599
      || typeof fn.count !== 'number' || !Number.isInteger(fn.count) || fn.count < 0) {
      errors.push('failNext must be null or {status: 100..599, count: non-negative integer}');
    }
  }
  const fm = f.faultMethods;
  if (fm !== undefined && fm !== null && !(Array.isArray(fm) && fm.every((m) => typeof m === 'string' && /^[A-Z]+$/.test(m)))) {
    errors.push('faultMethods must be null or an array of upper-case HTTP methods');
  }
  const known = new Set(['latencyMs', 'errorRate', 'dropRate', 'failNext', 'dropNext', 'force429', 'faultMethods', 'lieNextPage', 'omitTotalItems']);
  for (const k of Object.keys(f)) if (!known.has(k)) errors.push(`unknown fault ${k}`);
  return errors;
}

/** Constant-time comparison of the control token (a header may arrive as an array). */
function tokenMatches(sent: string | string[] | undefined, expected: string): boolean {
  const value = Array.isArray(sent) ? sent[0] : sent;
  if (typeof value !== 'string') return false;
  const a = Buffer.from(value);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function readBody(req: IncomingMessage): Promise<{ text: string; tooLarge: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(c);
    });
    req.on('end', () => resolve({ text: Buffer.concat(chunks).toString('utf8'), tooLarge }));
    req.on('error', reject);
  });
}

function flatHeaders(h: IncomingMessage['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

function queryRecord(q: URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const key of new Set(q.keys())) {
    const all = q.getAll(key);
    out[key] = all.length === 1 ? (all[0] ?? '') : all;
  }
  return out;
}

function responseHeaderRecord(res: ServerResponse): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(res.getHeaders())) if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : String(v);
  return out;
}

export async function startEmulator(opts: EmulatorOptions): Promise<Emulator> {
  if (typeof opts.key !== 'string' || opts.key === '') throw new Error('key is required');
  const initialSeed = opts.seed ?? 'default';
  if (!parseSeed(initialSeed)) throw new Error(`Invalid seed "${initialSeed}": use default, empty or large:N`);
  const maxPageSize = opts.maxPageSize ?? 100;
  if (!Number.isInteger(maxPageSize) || maxPageSize < 1) throw new Error('maxPageSize must be a positive integer');
  const baseline: Faults = {
    latencyMs: Math.max(0, Math.floor(opts.latencyMs ?? 0)),
    errorRate: rate(opts.errorRate, 'errorRate'),
    dropRate: rate(opts.dropRate, 'dropRate'),
    failNext: null, dropNext: 0, force429: 0, faultMethods: null, lieNextPage: false, omitTotalItems: false,
  };
  const limits = opts.rateLimit ?? DEFAULT_RATE_LIMIT;

  const controlToken = opts.controlToken ?? randomBytes(32).toString('hex');
  if (controlToken.length < 16) throw new Error('controlToken must be at least 16 characters');
  const mainId = opts.projectId ?? DEFAULT_PROJECT_ID;

  interface Served { id: string; seed: string; state: ProjectState }
  const served = new Map<string, Served>();
  /** Key → the project it belongs to, and whether it may only read. */
  const keys = new Map<string, { project: Served; readOnly: boolean }>();
  function addProject(p: ProjectOptions): void {
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(p.id)) throw new Error(`project id "${p.id}" must be 1-64 letters, digits, _ or -`);
    if (served.has(p.id)) throw new Error(`project ${p.id} exists already`);
    const seed = p.seed ?? 'default';
    if (!parseSeed(seed)) throw new Error(`Invalid seed "${seed}": use default, empty or large:N`);
    const projectKeys = [p.key, ...(p.readOnlyKey !== undefined && p.readOnlyKey !== '' ? [p.readOnlyKey] : [])];
    for (const k of projectKeys) {
      if (typeof k !== 'string' || k === '') throw new Error(`project ${p.id}: a key must be a non-empty string`);
      if (keys.has(k)) throw new Error(`project ${p.id}: that key belongs to another project already`);
    }
    const project: Served = { id: p.id, seed, state: buildSeed(seed) };
    served.set(p.id, project);
    keys.set(p.key, { project, readOnly: false });
    if (p.readOnlyKey !== undefined && p.readOnlyKey !== '') keys.set(p.readOnlyKey, { project, readOnly: true });
  }
  addProject({ id: mainId, key: opts.key, ...(opts.readOnlyKey !== undefined ? { readOnlyKey: opts.readOnlyKey } : {}), seed: initialSeed });
  for (const p of opts.projects ?? []) addProject(p);
  const main = served.get(mainId) as Served;

  const warehouse: Warehouse = await createWarehouse();
  let faults: Faults = { ...baseline };
  let mutationLog: number[] = [];
  let stats: Stats = { requests: 0, mutations: 0, byRoute: {}, maxConcurrent: 0, inFlight: 0 };

  function setFaults(f: Partial<Faults>): void {
    faults = { ...faults, ...f };
    if (faults.failNext && faults.failNext.count <= 0) faults.failNext = null;
  }

  /** The main project gets `seed` (default: its current one); every other project its own seed again. */
  function reset(seed?: string): Promise<void> {
    const next = seed ?? main.seed;
    if (!parseSeed(next)) return Promise.reject(new Error(`Invalid seed "${next}": use default, empty or large:N`));
    main.seed = next;
    for (const p of served.values()) p.state = buildSeed(p.seed);
    faults = { ...baseline };
    mutationLog = [];
    stats = { requests: 0, mutations: 0, byRoute: {}, maxConcurrent: stats.inFlight, inFlight: stats.inFlight };
    return Promise.resolve();
  }

  /** Sliding-window limiter over accepted mutations; returns seconds to wait, or 0 when allowed. */
  function rateLimitDelay(now: number): number {
    mutationLog = mutationLog.filter((t) => t > now - limits.longWindowMs);
    const shortStart = now - limits.shortWindowMs;
    const inShort = mutationLog.filter((t) => t > shortStart);
    let waitMs = 0;
    if (inShort.length >= limits.short) {
      const oldest = inShort[inShort.length - limits.short] ?? now;
      waitMs = Math.max(waitMs, oldest + limits.shortWindowMs - now);
    }
    if (mutationLog.length >= limits.long) {
      const oldest = mutationLog[mutationLog.length - limits.long] ?? now;
      waitMs = Math.max(waitMs, oldest + limits.longWindowMs - now);
    }
    if (waitMs > 0) return Math.max(1, Math.ceil(waitMs / 1000));
    mutationLog.push(now);
    return 0;
  }

  function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): unknown {
    const text = body === undefined ? '{}' : JSON.stringify(body);
    res.statusCode = status;
    res.setHeader('content-type', 'application/json');
    res.setHeader('content-length', Buffer.byteLength(text));
    for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
    res.end(text);
    return JSON.parse(text) as unknown;
  }

  async function handleControl(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const { text } = await readBody(req);
    if (!isLoopbackAddress(req.socket.remoteAddress)) { send(res, 403, { status: 403, message: 'The emulator control endpoint only answers loopback clients.' }); return; }
    if (!tokenMatches(req.headers[CONTROL_TOKEN_HEADER], controlToken)) {
      send(res, 403, { status: 403, message: `The emulator control endpoint needs the run's token in the ${CONTROL_TOKEN_HEADER} header (printed at start).` });
      return;
    }
    const method = (req.method ?? 'GET').toUpperCase();
    let body: unknown = undefined;
    if (text.trim() !== '') {
      try { body = JSON.parse(text); } catch { send(res, 400, { status: 400, message: 'Request body is not valid JSON.' }); return; }
    }
    const path = url.pathname.replace(/\/+$/, '');
    if (path === '/__emulator/faults' && method === 'GET') { send(res, 200, faults); return; }
    if (path === '/__emulator/faults' && method === 'POST') {
      if (!isObject(body)) { send(res, 400, { status: 400, message: 'Body must be a JSON object with fault fields.' }); return; }
      const errors = validateFaults(body);
      if (errors.length > 0) { send(res, 400, { status: 400, message: errors.join('; ') }); return; }
      setFaults(body);
      send(res, 200, faults);
      return;
    }
    if (path === '/__emulator/reset' && method === 'POST') {
      const seed = isObject(body) ? body.seed : undefined;
      if (seed !== undefined && (typeof seed !== 'string' || !parseSeed(seed))) {
        send(res, 400, { status: 400, message: 'seed must be default, empty or large:N' });
        return;
      }
      await reset(seed);
      send(res, 200, { message: 'Emulator reset.', seed: main.seed });
      return;
    }
    if (path === '/__emulator/projects' && method === 'GET') {
      send(res, 200, [...served.values()].map((p) => ({ id: p.id, seed: p.seed })));
      return;
    }
    if (path === '/__emulator/projects' && method === 'POST') {
      const b = isObject(body) ? body : {};
      try {
        if (typeof b.id !== 'string' || typeof b.key !== 'string') throw new Error('body must be {id, key, readOnlyKey?, seed?}');
        addProject({
          id: b.id, key: b.key,
          ...(typeof b.readOnlyKey === 'string' ? { readOnlyKey: b.readOnlyKey } : {}),
          ...(typeof b.seed === 'string' ? { seed: b.seed } : {}),
        });
      } catch (err) {
        send(res, 400, { status: 400, message: err instanceof Error ? err.message : String(err) });
        return;
      }
      send(res, 201, { message: 'Project added.', id: b.id });
      return;
    }
    if (path === '/__emulator/stats' && method === 'GET') { send(res, 200, stats); return; }
    send(res, 404, { status: 404, message: `No emulator control route ${method} ${url.pathname}` });
  }

  async function handleConsole(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const rawSegments = url.pathname.replace(/\/+$/, '').split('/').filter((s) => s !== '');
    const match = matchRoute(method, rawSegments);
    const counted = stats;
    counted.requests++;
    if (isMutation(method)) counted.mutations++;
    const routeKey = match && 'route' in match ? `${method} ${match.route.template}` : `${method} (unmatched)`;
    counted.byRoute[routeKey] = (counted.byRoute[routeKey] ?? 0) + 1;
    counted.inFlight++;
    counted.maxConcurrent = Math.max(counted.maxConcurrent, counted.inFlight);
    res.on('close', () => { counted.inFlight--; if (counted !== stats) stats.inFlight = Math.max(0, stats.inFlight - 1); });

    const { text, tooLarge } = await readBody(req);
    let requestBody: unknown = undefined;
    let bodyError: string | null = null;
    if (tooLarge) bodyError = `Request body exceeds ${MAX_BODY_BYTES} bytes.`;
    else if (text.trim() !== '') {
      try { requestBody = JSON.parse(text); } catch (err) {
        requestBody = text;
        bodyError = `Request body is not valid JSON: ${err instanceof Error ? err.message : String(err)}`;
      }
    }

    let sentBody: unknown = undefined;
    const finish = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
      sentBody = send(res, status, body, headers);
    };
    res.on('finish', () => {
      if (!opts.onExchange) return;
      try {
        opts.onExchange({
          method, path: url.pathname, query: queryRecord(url.searchParams), headers: flatHeaders(req.headers), requestBody,
          status: res.statusCode, responseBody: sentBody, responseHeaders: responseHeaderRecord(res),
        });
      } catch (err) {
        console.error('onExchange threw:', err);
      }
    });

    // A minimal service time (1 ms) so that requests a client sends together really overlap here,
    // which is what maxConcurrent is for; latencyMs adds to it.
    await sleep(1 + faults.latencyMs);
    const targeted = !faults.faultMethods || faults.faultMethods.includes(method);
    if (targeted && faults.dropNext > 0) { faults.dropNext--; req.socket.destroy(); return; }
    if (targeted && faults.failNext && faults.failNext.count > 0) {
      const status = faults.failNext.status;
      faults.failNext = faults.failNext.count > 1 ? { status, count: faults.failNext.count - 1 } : null;
      finish(status, { status, message: `Injected failure (emulator fault failNext): HTTP ${status}` });
      return;
    }
    if (targeted && faults.force429 > 0) {
      faults.force429--;
      finish(429, { status: 429, message: 'Rate limit exceeded (injected by the emulator). Retry after 1 second.' }, { 'retry-after': '1' });
      return;
    }
    if (faults.dropRate > 0 && Math.random() < faults.dropRate) { req.socket.destroy(); return; }
    if (faults.errorRate > 0 && Math.random() < faults.errorRate) {
      const status = [500, 502, 503][Math.floor(Math.random() * 3)] ?? 500;
      finish(status, { status, message: `Injected server error (emulator fault errorRate): HTTP ${status}` });
      return;
    }

    const key = req.headers['statsig-api-key'];
    const keyValue = Array.isArray(key) ? key[0] : key;
    if (keyValue === undefined || keyValue === '') {
      finish(401, { status: 401, message: 'This endpoint only accepts an active CONSOLE key, but no STATSIG-API-KEY header was sent.' });
      return;
    }
    const holder = keys.get(keyValue);
    const readOnly = holder?.readOnly === true;
    if (!holder) {
      finish(401, { status: 401, message: 'This endpoint only accepts an active CONSOLE key, but an invalid key was sent.' });
      return;
    }
    if (!match) {
      finish(404, { status: 404, message: `Not Found. No Console API route for ${method} ${url.pathname}.` });
      return;
    }
    if ('badEncoding' in match) {
      const r = errorResult(400, `Path parameter ${match.badEncoding} is not valid percent-encoding.`, [{ property: match.badEncoding, errorMessage: 'is not valid percent-encoding' }]);
      finish(r.status, r.body);
      return;
    }
    const mutation = isMutation(method);
    if (mutation && readOnly) {
      finish(403, { status: 403, message: 'This API key is read-only' });
      return;
    }
    if (mutation) {
      const retryAfter = rateLimitDelay(Date.now());
      if (retryAfter > 0) {
        finish(429, { status: 429, message: `Rate limit exceeded: at most ${limits.short} mutations per ${limits.shortWindowMs / 1000} s and ${limits.long} per ${limits.longWindowMs / 1000} s. Retry after ${retryAfter} s.` }, { 'retry-after': String(retryAfter) });
        return;
      }
    }
    if (bodyError !== null && (method === 'POST' || method === 'PATCH')) {
      finish(400, { status: 400, message: bodyError });
      return;
    }
    const ctx: ApiContext = { projectId: holder.project.id, state: holder.project.state, warehouse, maxPageSize, lieNextPage: faults.lieNextPage, omitTotalItems: faults.omitTotalItems };
    let result: ApiResult;
    try {
      result = await match.route.handler(ctx, { method, params: match.params, query: url.searchParams, body: requestBody });
    } catch (err) {
      result = errorResult(500, `Internal emulator error: ${err instanceof Error ? err.message : String(err)}`);
    }
    finish(result.status, result.body, result.headers);
  }

  const server = createServer((req, res) => {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://127.0.0.1');
    } catch {
      send(res, 400, { status: 400, message: 'Malformed request URL.' });
      return;
    }
    const work = url.pathname.startsWith('/__emulator/')
      ? handleControl(req, res, url)
      : url.pathname === '/console/v1' || url.pathname.startsWith('/console/v1/')
        ? handleConsole(req, res, url)
        : readBody(req).then(() => { send(res, 404, { status: 404, message: `Not Found: ${url.pathname}` }); });
    work.catch((err: unknown) => {
      if (!res.headersSent) send(res, 500, { status: 500, message: `Internal emulator error: ${err instanceof Error ? err.message : String(err)}` });
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 5_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => { server.off('error', reject); resolve(); });
  });
  const port = (server.address() as AddressInfo).port;

  let closing: Promise<void> | null = null;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    projectId: mainId,
    controlToken,
    addProject,
    close(): Promise<void> {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => { warehouse.close(); resolve(); });
        server.closeAllConnections();
      });
      return closing;
    },
    setFaults,
    reset,
    stats(): Stats {
      return { ...stats, byRoute: { ...stats.byRoute } };
    },
  };
}
