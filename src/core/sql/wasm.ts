// A binding to Apache sqlparser-rs compiled to WebAssembly: the `.wasm` of
// @guanmingchiu/sqlparser-ts 0.62.0 (Apache-2.0), without the JavaScript glue that package ships.
//
// Why our own binding: the package's glue (wasm-bindgen output) keeps one instance per JavaScript
// module, forever. A trap inside the WebAssembly (sqlparser-rs overflows its stack on an expression
// chained about 750 levels deep, e.g. `a+a+…+a`) leaves that instance unusable — every later
// call fails — and the glue cannot make another. Here each SqlparserInstance is an object: a trap
// throws out of `parse`, and the caller (parser.ts) builds a fresh instance from the compiled module.
//
// The import object is wasm-bindgen's, adapted from the package's `wasm/sqlparser_rs_wasm.js`
// (the names carry the build's hashes; test/unit/sql/parser.test.ts checks they match the .wasm,
// so a version bump that changes them fails there, and at run time instantiation fails with a
// LinkError, which parser.ts reports as "the SQL was not checked locally").

interface Exports {
  readonly memory: WebAssembly.Memory;
  readonly parse_sql: (dialectPtr: number, dialectLen: number, sqlPtr: number, sqlLen: number) => [number, number, number];
  readonly __wbindgen_malloc: (size: number, align: number) => number;
  readonly __wbindgen_realloc: (ptr: number, oldSize: number, newSize: number, align: number) => number;
  readonly __wbindgen_free: (ptr: number, size: number, align: number) => void;
  readonly __wbindgen_exn_store: (index: number) => void;
  readonly __externref_table_alloc: () => number;
  readonly __wbindgen_externrefs: WebAssembly.Table;
  readonly __externref_table_dealloc: (index: number) => void;
  readonly __wbindgen_start: () => void;
}

/** The module name the .wasm imports its JavaScript functions from. */
export const IMPORT_MODULE = './sqlparser_rs_wasm_bg.js';

export type ParseOutcome = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: unknown };

export class SqlparserInstance {
  readonly #exports: Exports;
  #u8: Uint8Array | undefined;
  #view: DataView | undefined;
  readonly #encoder = new TextEncoder();
  readonly #decoder = new TextDecoder('utf-8', { ignoreBOM: true, fatal: true });
  #vectorLength = 0;
  /** The last message sqlparser-rs' panic hook wrote (it would go to console.error). */
  lastPanic: string | undefined;

  private constructor(module: WebAssembly.Module) {
    // The imports reach the exports, which exist only once the instance does.
    const holder: { exports?: Exports } = {};
    const self = () => {
      if (!holder.exports) throw new Error('sqlparser: called before instantiation');
      return holder.exports;
    };
    const instance = new WebAssembly.Instance(module, { [IMPORT_MODULE]: this.#imports(self) });
    holder.exports = instance.exports as unknown as Exports;
    this.#exports = holder.exports;
    holder.exports.__wbindgen_start();
  }

  static instantiate(module: WebAssembly.Module): SqlparserInstance {
    return new SqlparserInstance(module);
  }

  /** Bytes of linear memory this instance holds (it never shrinks; parser.ts starts afresh past a limit). */
  get memoryBytes(): number {
    return this.#exports.memory.buffer.byteLength;
  }

  /**
   * sqlparser-rs' AST of `sql` (a JSON-like value), or its error ({message}). A trap in the
   * WebAssembly (WebAssembly.RuntimeError) is thrown: this instance must not be used again.
   */
  parse(dialect: string, sql: string): ParseOutcome {
    const w = this.#exports;
    const d = this.#passString(dialect);
    const dl = this.#vectorLength;
    const s = this.#passString(sql);
    const sl = this.#vectorLength;
    const [value, error, failed] = w.parse_sql(d, dl, s, sl);
    return failed ? { ok: false, error: this.#take(error) } : { ok: true, value: this.#take(value) };
  }

  #memory(): Uint8Array {
    if (!this.#u8 || this.#u8.byteLength === 0) this.#u8 = new Uint8Array(this.#exports.memory.buffer);
    return this.#u8;
  }

  #dataView(): DataView {
    const buffer = this.#exports.memory.buffer;
    if (!this.#view || this.#view.buffer !== buffer) this.#view = new DataView(buffer);
    return this.#view;
  }

  #string(ptr: number, len: number): string {
    return this.#decoder.decode(this.#memory().subarray(ptr >>> 0, (ptr >>> 0) + len));
  }

  /** Copies a string into the instance's memory as UTF-8; its length in bytes is left in #vectorLength. */
  #passString(arg: string): number {
    const w = this.#exports;
    let len = arg.length;
    let ptr = w.__wbindgen_malloc(len, 1) >>> 0;
    let mem = this.#memory();
    let offset = 0;
    for (; offset < len; offset++) {
      const code = arg.charCodeAt(offset);
      if (code > 0x7f) break;
      mem[ptr + offset] = code;
    }
    if (offset !== len) {
      const rest = offset === 0 ? arg : arg.slice(offset);
      ptr = w.__wbindgen_realloc(ptr, len, (len = offset + rest.length * 3), 1) >>> 0;
      mem = this.#memory();
      const written = this.#encoder.encodeInto(rest, mem.subarray(ptr + offset, ptr + len)).written;
      offset += written;
      ptr = w.__wbindgen_realloc(ptr, len, offset, 1) >>> 0;
    }
    this.#vectorLength = offset;
    return ptr;
  }

  #take(index: number): unknown {
    const w = this.#exports;
    const value: unknown = w.__wbindgen_externrefs.get(index);
    w.__externref_table_dealloc(index);
    return value;
  }

  #add(value: unknown): number {
    const w = this.#exports;
    const index = w.__externref_table_alloc();
    w.__wbindgen_externrefs.set(index, value);
    return index;
  }

  #writeString(at: number, value: string | undefined): void {
    const ptr = value === undefined ? 0 : this.#passString(value);
    const len = value === undefined ? 0 : this.#vectorLength;
    const view = this.#dataView();
    view.setInt32(at + 4, len, true);
    view.setInt32(at, ptr, true);
  }

  /** wasm-bindgen's imports for this build (see the header). `self` is the instance's exports, once they exist. */
  #imports(self: () => Exports): WebAssembly.ModuleImports {
    return {
      __wbg_Error_fdd633d4bb5dd76a: (ptr: number, len: number) => new Error(this.#string(ptr, len)),
      __wbg_Number_c4bdf66bb78f7977: (v: unknown) => Number(v),
      __wbg_String_8564e559799eccda: (at: number, v: unknown) => this.#writeString(at, String(v)),
      __wbg___wbindgen_bigint_get_as_i64_d9e915702856f831: (at: number, v: unknown) => {
        const view = this.#dataView();
        view.setBigInt64(at + 8, typeof v === 'bigint' ? v : 0n, true);
        view.setInt32(at, typeof v === 'bigint' ? 1 : 0, true);
      },
      __wbg___wbindgen_boolean_get_edaed31a367ce1bd: (v: unknown) => (typeof v === 'boolean' ? (v ? 1 : 0) : 0xffffff),
      __wbg___wbindgen_debug_string_8a447059637473e2: (at: number, v: unknown) => this.#writeString(at, debugString(v)),
      __wbg___wbindgen_in_4990f46af709e33c: (key: PropertyKey, o: object) => key in o,
      __wbg___wbindgen_is_bigint_90b5ccfe67c78460: (v: unknown) => typeof v === 'bigint',
      __wbg___wbindgen_is_null_6d937fbfb6478470: (v: unknown) => v === null,
      __wbg___wbindgen_is_object_0beba4a1980d3eea: (v: unknown) => typeof v === 'object' && v !== null,
      __wbg___wbindgen_is_undefined_721f8decd50c87a3: (v: unknown) => v === undefined,
      __wbg___wbindgen_jsval_eq_4e8c38722cb8ff51: (a: unknown, b: unknown) => a === b,
      // wasm-bindgen's loose equality, as its glue does.
      __wbg___wbindgen_jsval_loose_eq_4b9aba9e5b3c4582: (a: unknown, b: unknown) => a == b,
      __wbg___wbindgen_number_get_1cc01dd708740256: (at: number, v: unknown) => {
        const view = this.#dataView();
        view.setFloat64(at + 8, typeof v === 'number' ? v : 0, true);
        view.setInt32(at, typeof v === 'number' ? 1 : 0, true);
      },
      __wbg___wbindgen_string_get_71bb4348194e31f0: (at: number, v: unknown) => this.#writeString(at, typeof v === 'string' ? v : undefined),
      __wbg___wbindgen_throw_ea4887a5f8f9a9db: (ptr: number, len: number) => {
        throw new Error(this.#string(ptr, len));
      },
      __wbg_error_a6fa202b58aa1cd3: (ptr: number, len: number) => {
        try {
          this.lastPanic = this.#string(ptr, len);
        } finally {
          self().__wbindgen_free(ptr, len, 1);
        }
      },
      __wbg_fromCodePoint_93fb75ffd4cdf384: (code: number) => {
        try {
          return String.fromCodePoint(code >>> 0);
        } catch (e) {
          self().__wbindgen_exn_store(this.#add(e));
          return undefined;
        }
      },
      __wbg_get_with_ref_key_6412cf3094599694: (o: Record<PropertyKey, unknown>, key: PropertyKey) => o[key],
      __wbg_instanceof_ArrayBuffer_2a7bb09fee70c2da: (v: unknown) => v instanceof ArrayBuffer,
      __wbg_instanceof_Uint8Array_f080092dc70f5d58: (v: unknown) => v instanceof Uint8Array,
      __wbg_isSafeInteger_a3389a198582f5f6: (v: unknown) => Number.isSafeInteger(v),
      __wbg_length_589238bdcf171f0e: (v: { length: number }) => v.length,
      __wbg_new_227d7c05414eb861: () => new Error(),
      __wbg_new_2e117a478906f062: () => ({}),
      __wbg_new_36e147a8ced3c6e0: () => [],
      __wbg_new_81880fb5002cb255: (v: ArrayBufferLike) => new Uint8Array(v),
      __wbg_prototypesetcall_d721637c7ca66eb8: (ptr: number, len: number, target: Uint8Array) => {
        target.set(this.#memory().subarray(ptr >>> 0, (ptr >>> 0) + len));
      },
      // The keys are the AST's Rust field and variant names; should one ever be "__proto__", it stays data.
      __wbg_set_6be42768c690e380: (o: Record<PropertyKey, unknown>, key: PropertyKey, v: unknown) => {
        if (key === '__proto__') Object.defineProperty(o, key, { value: v, enumerable: true, writable: true, configurable: true });
        else o[key] = v;
      },
      __wbg_set_dc601f4a69da0bc2: (a: unknown[], i: number, v: unknown) => {
        a[i >>> 0] = v;
      },
      __wbg_stack_3b0d974bbf31e44f: (at: number, e: Error) => this.#writeString(at, e.stack ?? ''),
      __wbindgen_cast_0000000000000001: (v: number) => v,
      __wbindgen_cast_0000000000000002: (v: bigint) => v,
      __wbindgen_cast_0000000000000003: (ptr: number, len: number) => this.#string(ptr, len),
      __wbindgen_cast_0000000000000004: (v: bigint) => BigInt.asUintN(64, v),
      __wbindgen_init_externref_table: () => {
        const table = self().__wbindgen_externrefs;
        const offset = table.grow(4);
        table.set(0, undefined);
        table.set(offset + 0, undefined);
        table.set(offset + 1, null);
        table.set(offset + 2, true);
        table.set(offset + 3, false);
      },
    };
  }
}

/** wasm-bindgen's description of a value for a panic message (only ever read by a person). */
function debugString(v: unknown): string {
  if (typeof v === 'string') return `"${v}"`;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint' || v === null || v === undefined) return String(v);
  if (typeof v === 'function') return 'Function';
  if (typeof v === 'symbol') return v.toString();
  if (Array.isArray(v)) return `[${v.map(debugString).join(', ')}]`;
  if (v instanceof Error) return `${v.name}: ${v.message}`;
  try {
    return `Object(${JSON.stringify(v)})`;
  } catch {
    return 'Object';
  }
}
