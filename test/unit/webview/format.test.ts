import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { plural, problemCount } from '../../../src/shared/format.ts';

describe('counts', () => {
  it('pluralises: 0 problems, 1 problem, 2 problems', () => {
    assert.equal(plural(0, 'problem'), '0 problems');
    assert.equal(plural(1, 'problem'), '1 problem');
    assert.equal(plural(2, 'problem'), '2 problems');
    assert.equal(plural(2, 'entry', 'entries'), '2 entries');
  });

  it('counts every problem shown, with the severities when they are mixed', () => {
    const e = { severity: 'error' } as const;
    const w = { severity: 'warning' } as const;
    const i = { severity: 'info' } as const;
    assert.equal(problemCount([]), '0 problems');
    assert.equal(problemCount([e]), '1 problem');
    assert.equal(problemCount([w, w]), '2 problems');
    assert.equal(problemCount([e, w]), '2 problems (1 error, 1 warning)');
    assert.equal(problemCount([w, e, e, i, i]), '5 problems (2 errors, 1 warning, 2 infos)');
  });
});
