// Loads sqlparser-rs (WebAssembly) lazily and synchronously, from a .wasm file whose location the
// host gives: the extension passes `<extensionPath>/dist/sqlparser_rs_wasm_bg.wasm` (esbuild.mjs
// copies it there), tests and scripts the copy in node_modules. Nothing is read or compiled
// until the first parse: activation never pays for it. Synchronous, so the save pipeline stays
// synchronous: `new WebAssembly.Module` + `new WebAssembly.Instance` from the bytes took 14–45 ms
// here, and the first parse another 20–70 ms while V8 compiles the functions it calls
// (docs/sql.md, npm run bench:sql; the toolchain trial saw 25–41 ms against 127–177 ms for the
// package's asynchronous init()).
//
// A trap inside the WebAssembly (a stack overflow on an expression chained about 750 deep) throws
// out of the parse; the instance is then dropped and the next parse gets a fresh one from the
// compiled module (wasm.ts says why the package's own glue cannot do that).
import { readFileSync } from 'node:fs';
import { SqlparserInstance } from './wasm.ts';

/** The file name of the WebAssembly in the package and in dist/. */
export const WASM_FILE = 'sqlparser_rs_wasm_bg.wasm';

export type ParserSetup =
  | { readonly wasmPath: string }
  | { readonly wasm: BufferSource | WebAssembly.Module };

export type ParserStatus =
  | { readonly state: 'unconfigured' }
  | { readonly state: 'unloaded' }
  | { readonly state: 'ready'; readonly loadMs: number }
  | { readonly state: 'failed'; readonly reason: string };

/** Past this much linear memory (it never shrinks) the next parse starts from a fresh instance. */
const MAX_MEMORY_BYTES = 256 * 1024 * 1024;

let setup: ParserSetup | undefined;
let module: WebAssembly.Module | undefined;
let instance: SqlparserInstance | undefined;
let failure: string | undefined;
let loadMs = 0;

/**
 * Where the .wasm is. Reads nothing: the first parse loads it. Configuring again before the first
 * parse (or after a failed load) replaces the location; once loaded, the module stays.
 */
export function configureSqlParser(next: ParserSetup): void {
  if (module) return;
  setup = next;
  failure = undefined;
}

export function sqlParserStatus(): ParserStatus {
  if (module) return { state: 'ready', loadMs };
  if (failure !== undefined) return { state: 'failed', reason: failure };
  return setup ? { state: 'unloaded' } : { state: 'unconfigured' };
}

/** Reads, compiles and instantiates the WebAssembly now (once); says why not when it cannot. */
export function loadSqlParser(): { readonly ok: true } | { readonly ok: false; readonly reason: string } {
  if (module && instance) return { ok: true };
  if (failure !== undefined) return { ok: false, reason: failure };
  if (!setup) return { ok: false, reason: 'the SQL parser was not set up' };
  const started = performance.now();
  try {
    if (!module) {
      if ('wasmPath' in setup) module = new WebAssembly.Module(readFileSync(setup.wasmPath));
      else module = setup.wasm instanceof WebAssembly.Module ? setup.wasm : new WebAssembly.Module(setup.wasm);
    }
    instance = SqlparserInstance.instantiate(module);
    loadMs = performance.now() - started;
    return { ok: true };
  } catch (error) {
    module = undefined;
    instance = undefined;
    failure = `the SQL parser could not be loaded (${error instanceof Error ? error.message : String(error)})`;
    return { ok: false, reason: failure };
  }
}

export type RawParse =
  | { readonly kind: 'ast'; readonly statements: readonly unknown[] }
  | { readonly kind: 'error'; readonly message: string }
  | { readonly kind: 'unavailable'; readonly reason: string };

/** sqlparser-rs' statements for `sql` in one of its dialects (`snowflake`, `generic`, …), or its error message. */
export function parseRaw(sql: string, parserDialect: string): RawParse {
  const loaded = loadSqlParser();
  if (!loaded.ok) return { kind: 'unavailable', reason: loaded.reason };
  const current = instance;
  if (!current) return { kind: 'unavailable', reason: 'the SQL parser is not loaded' };
  try {
    const outcome = current.parse(parserDialect, sql);
    if (current.memoryBytes > MAX_MEMORY_BYTES) instance = undefined;
    if (outcome.ok) return { kind: 'ast', statements: Array.isArray(outcome.value) ? outcome.value : [] };
    const e = outcome.error;
    const message = e && typeof e === 'object' && 'message' in e ? String(e.message) : String(e);
    return { kind: 'error', message };
  } catch (error) {
    // A trap: this instance is spent. The next parse instantiates the compiled module again.
    instance = undefined;
    const why = error instanceof Error ? error.message : String(error);
    return { kind: 'unavailable', reason: `the SQL parser failed on this SQL (${why})` };
  } finally {
    if (!instance && module) {
      try {
        instance = SqlparserInstance.instantiate(module);
      } catch {
        // the next parse tries again
      }
    }
  }
}

/** Forgets the loaded module (tests of loading only). */
export function resetSqlParserForTests(): void {
  setup = undefined;
  module = undefined;
  instance = undefined;
  failure = undefined;
  loadMs = 0;
}
