// One list of dialects: the setting's choices in package.json are the analysis' dialects.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DIALECTS, isSqlDialect, SQL_DIALECTS } from '../../../src/core/sql/dialects.ts';
import { manifest } from '../helpers/manifest.ts';

describe('SQL dialects', () => {
  it('the sqlDialect setting offers exactly the dialects the analysis knows', () => {
    const setting = manifest.contributes.configuration.properties['statsigWhn.sqlDialect'] as { enum?: readonly string[] } | undefined;
    assert.deepEqual(setting?.enum, [...SQL_DIALECTS]);
    assert.ok(SQL_DIALECTS.every((d) => DIALECTS[d].id === d && isSqlDialect(d)));
    assert.equal(isSqlDialect('trino'), false);
  });
});
