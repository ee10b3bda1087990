// The SQL parser for plain-Node tests: the .wasm straight from node_modules (the extension reads
// its copy in dist/). Configuring reads nothing; the first analysis loads it.
import path from 'node:path';
import { configureSqlParser, WASM_FILE } from '../../../src/core/sql/parser.ts';
import { REPO_ROOT } from './spec.ts';

export const WASM_PATH = path.join(REPO_ROOT, 'node_modules', '@guanmingchiu', 'sqlparser-ts', 'wasm', WASM_FILE);

export function useSqlParser(): void {
  configureSqlParser({ wasmPath: WASM_PATH });
}
