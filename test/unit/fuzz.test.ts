// Property-based fuzzing in the unit stage: every target of test/fuzz/properties.ts (the save
// pipeline of each kind, the editor protocol both ways, planEdit, small helpers against reference
// implementations) with a FIXED seed, so a run is reproducible and a failure names its input.
// Long campaigns with random seeds: `npm run fuzz -- --count 100000`.
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { targets } from '../fuzz/properties.ts';

const SEED = 20_240_601;
const RUNS = Number(process.env['FUZZ_UNIT_RUNS'] ?? 2000);

describe('fuzz (fixed seed)', () => {
  for (const target of targets) {
    it(`${target.name}: ${RUNS} cases`, async () => {
      await fc.assert(fc.asyncProperty(target.arbitrary, (input) => target.check(input)), { seed: SEED, numRuns: RUNS, endOnFailure: true });
    });
  }
});
