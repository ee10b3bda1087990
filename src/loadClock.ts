// Imported first by extension.ts, so it is evaluated before any other module of the bundle: the
// benchmark reports how long the bundle takes to load separately from activate() itself.
import { performance } from 'node:perf_hooks';

export const bundleStartedAt = performance.now();
