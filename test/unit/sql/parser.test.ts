// Loading sqlparser-rs: lazily (configuring reads nothing), synchronously, from an injected
// location; a missing file is a reason, not a throw; a trap in the WebAssembly costs one parse.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { configureSqlParser, loadSqlParser, parseRaw, resetSqlParserForTests, sqlParserStatus } from '../../../src/core/sql/parser.ts';
import { IMPORT_MODULE } from '../../../src/core/sql/wasm.ts';
import { useSqlParser, WASM_PATH } from '../helpers/sqlParser.ts';

describe('SQL parser loading', () => {
  it('reads nothing until the first parse, then is ready', () => {
    resetSqlParserForTests();
    assert.deepEqual(sqlParserStatus(), { state: 'unconfigured' });
    assert.deepEqual(parseRaw('SELECT 1', 'generic'), { kind: 'unavailable', reason: 'the SQL parser was not set up' });
    configureSqlParser({ wasmPath: '/nonexistent/but/not/read/yet.wasm' });
    assert.deepEqual(sqlParserStatus(), { state: 'unloaded' });
    useSqlParser();
    assert.deepEqual(sqlParserStatus(), { state: 'unloaded' });
    const r = parseRaw('SELECT a FROM t', 'snowflake');
    assert.equal(r.kind, 'ast');
    const status = sqlParserStatus();
    assert.equal(status.state, 'ready');
  });

  it('a .wasm that cannot be read is a reason to report, and a later configuration can fix it', () => {
    resetSqlParserForTests();
    configureSqlParser({ wasmPath: '/nonexistent/sqlparser_rs_wasm_bg.wasm' });
    const r = parseRaw('SELECT 1', 'generic');
    assert.equal(r.kind, 'unavailable');
    assert.match(r.kind === 'unavailable' ? r.reason : '', /could not be loaded \(ENOENT/);
    assert.equal(sqlParserStatus().state, 'failed');
    useSqlParser();
    assert.equal(parseRaw('SELECT 1', 'generic').kind, 'ast');
  });

  it('bytes or a compiled module work as well as a path, and every import of this build is provided', () => {
    resetSqlParserForTests();
    const bytes = readFileSync(WASM_PATH);
    const module = new WebAssembly.Module(bytes);
    const imports = WebAssembly.Module.imports(module);
    assert.ok(imports.length > 30 && imports.every((i) => i.module === IMPORT_MODULE), 'the .wasm imports from the module name the binding provides');
    configureSqlParser({ wasm: module });
    assert.deepEqual(loadSqlParser(), { ok: true }); // a LinkError here would name a missing import
    resetSqlParserForTests();
    configureSqlParser({ wasm: bytes });
    assert.equal(parseRaw('SELECT 1', 'duckdb').kind, 'ast');
  });

  it('a trap in the WebAssembly (stack overflow) costs that parse only: the next one gets a fresh instance', () => {
    resetSqlParserForTests();
    useSqlParser();
    const deep = `SELECT ${Array.from({ length: 5000 }, () => 'a').join(' + ')}`;
    const r = parseRaw(deep, 'snowflake');
    assert.equal(r.kind, 'unavailable');
    assert.match(r.kind === 'unavailable' ? r.reason : '', /failed on this SQL/);
    assert.equal(parseRaw('SELECT a FROM t', 'snowflake').kind, 'ast');
    assert.equal(parseRaw(deep, 'snowflake').kind, 'unavailable');
    assert.equal(parseRaw('SELECT b FROM t', 'postgresql').kind, 'ast');
  });

  it('errors come back as sqlparser-rs messages with their position', () => {
    useSqlParser();
    assert.deepEqual(parseRaw('SELECT a FROM t WHERE = 1', 'postgresql'), { kind: 'error', message: 'sql parser error: Expected: an expression, found: = at Line: 1, Column: 23' });
  });
});
