// The `statsig-whn` executable (bundled to dist/cli.cjs by esbuild.mjs, `bin` in package.json).
import { main } from './main.ts';

main();
