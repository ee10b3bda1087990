// Shared helpers for the emulator's own tests: a real server on 127.0.0.1, fetch, and a spec
// conformance check over every exchange a test file produced.
import assert from 'node:assert/strict';
import type { Emulator, EmulatorOptions, Exchange } from './server.ts';
import { startEmulator } from './server.ts';
import type { SpecValidator } from './spec-validator.ts';
import { createSpecValidator } from './spec-validator.ts';

export const KEY = 'console-test-key';
export const READ_ONLY_KEY = 'console-test-read-only';

export interface Reply { status: number; body: unknown; headers: Headers }

export interface Harness {
  emu: Emulator;
  url: string;
  exchanges: Exchange[];
  /** Calls the Console API with the valid key (or `key`), JSON body when given. */
  api(method: string, path: string, body?: unknown, opts?: { key?: string | null; rawBody?: string }): Promise<Reply>;
  /** Calls the control endpoint with the run's token (or `token`; null: none). */
  control(method: string, path: string, body?: unknown, opts?: { token?: string | null }): Promise<Reply>;
  close(): Promise<void>;
}

export async function startHarness(opts: Partial<EmulatorOptions> = {}): Promise<Harness> {
  const exchanges: Exchange[] = [];
  const emu = await startEmulator({ key: KEY, readOnlyKey: READ_ONLY_KEY, ...opts, onExchange: (e) => exchanges.push(e) });
  async function call(method: string, path: string, body: unknown, headers: Record<string, string>, rawBody?: string): Promise<Reply> {
    const init: RequestInit = { method, headers: { ...headers } };
    if (rawBody !== undefined) {
      init.body = rawBody;
      (init.headers as Record<string, string>)['content-type'] = 'application/json';
    } else if (body !== undefined) {
      init.body = JSON.stringify(body);
      (init.headers as Record<string, string>)['content-type'] = 'application/json';
    }
    const res = await fetch(`${emu.url}${path}`, init);
    const text = await res.text();
    let parsed: unknown = text;
    try { parsed = JSON.parse(text); } catch { /* keep text */ }
    return { status: res.status, body: parsed, headers: res.headers };
  }
  return {
    emu,
    url: emu.url,
    exchanges,
    api(method, path, body, o = {}) {
      const headers: Record<string, string> = { 'STATSIG-API-VERSION': '20240601' };
      const key = o.key === undefined ? KEY : o.key;
      if (key !== null) headers['STATSIG-API-KEY'] = key;
      return call(method, path, body, headers, o.rawBody);
    },
    control(method, path, body, o = {}) {
      return call(method, path, body, o.token === null ? {} : { 'x-emulator-token': o.token ?? emu.controlToken });
    },
    close: () => emu.close(),
  };
}

/** Narrowing helper for JSON bodies in tests. */
export function obj(v: unknown): Record<string, unknown> {
  assert.ok(typeof v === 'object' && v !== null && !Array.isArray(v), `expected a JSON object, got ${JSON.stringify(v)}`);
  return v as Record<string, unknown>;
}

export function arr(v: unknown): unknown[] {
  assert.ok(Array.isArray(v), `expected a JSON array, got ${JSON.stringify(v)}`);
  return v;
}

export function data(r: Reply): Record<string, unknown> {
  return obj(obj(r.body).data);
}

export function list(r: Reply): Record<string, unknown>[] {
  return arr(obj(r.body).data).map(obj);
}

export function pagination(r: Reply): Record<string, unknown> {
  return obj(obj(r.body).pagination);
}

/** Asserts a 400 whose errors name `property` (and returns the matching error message). */
export function expect400(r: Reply, property: string): string {
  assert.equal(r.status, 400, `expected 400, got ${r.status}: ${JSON.stringify(r.body)}`);
  const body = obj(r.body);
  assert.equal(body.status, 400);
  assert.equal(typeof body.message, 'string');
  const errors = arr(body.errors).map(obj);
  const hit = errors.find((e) => e.property === property);
  assert.ok(hit, `expected an error for ${property}, got ${JSON.stringify(errors)}`);
  return String(hit.errorMessage);
}

let sharedValidator: SpecValidator | null = null;
export function specValidator(): SpecValidator {
  sharedValidator ??= createSpecValidator();
  return sharedValidator;
}

/**
 * Every exchange on a status the spec documents must have zero violations; exchanges on
 * undocumented statuses (403, 429, 5xx, undocumented 404/400/401, unknown routes) must have the
 * common error shape. Returns counts so callers can assert coverage.
 */
export function assertExchangesConform(exchanges: Exchange[]): { documented: number; undocumented: number } {
  const v = specValidator();
  const problems: string[] = [];
  let documented = 0;
  let undocumented = 0;
  for (const e of exchanges) {
    const r = v.checkExchange(e);
    if (r.undocumentedStatus) {
      undocumented++;
      assert.ok(e.status >= 400, `undocumented success status ${e.status} for ${e.method} ${e.path}`);
      if (r.errorShapeViolations.length > 0) problems.push(`${e.method} ${e.path} -> ${e.status} (undocumented): ${r.errorShapeViolations.join('; ')}`);
    } else {
      documented++;
      if (r.violations.length > 0) problems.push(`${e.method} ${e.path} -> ${e.status}: ${r.violations.join('; ')}`);
    }
  }
  assert.deepEqual(problems, [], `spec violations:\n${problems.join('\n')}`);
  return { documented, undocumented };
}
