// The issue "Trust", in the webview: a deep document, a huge map key and a bad diagnostic item.
// Each test here failed on the code before the fix.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { jsonSchemaFor } from '../../../src/core/jsonSchema.ts';
import { templateFor } from '../../../src/core/templates.ts';
import { parseHostMessage } from '../../../src/shared/editorProtocol.ts';
import { buildFormModel, humanize } from '../../../src/webview/formModel.ts';
import { parseSourceText } from '../../../src/webview/sourceText.ts';

describe('Trust: the webview', () => {
  it('says in its banner that a document is nested too deep', () => {
    const parsed = parseSourceText(`{"name":"orders","x":${'['.repeat(3000)}${']'.repeat(3000)}}`);
    assert.deepEqual(parsed, { ok: false, message: 'the document is nested 3,001 levels deep; at most 200 are supported', line: 1, column: 221 });
  });

  it('the form model does not recurse without end into an open map', () => {
    let nested: unknown = 'user_id';
    for (let i = 0; i < 5000; i++) nested = { a: nested };
    const value = { ...templateFor({ kind: 'ingestionSource', type: 'snowflake-v2', dataset: 'Events', sourceName: 'web' }), column_mapping: { ids: nested } };
    const model = buildFormModel(jsonSchemaFor('ingestionSource'), value, { sqlField: 'query', readOnlyPaths: [] });
    assert.ok(model.fields.some((f) => f.key === 'column_mapping'));
  });

  it('labels a map key of any length in one pass, as before', () => {
    assert.equal(humanize('A'.repeat(100_000)).length, 100_000);
    assert.equal(humanize('HTTPServerURLs_and-more'), 'HTTP server UR ls and more');
    assert.equal(humanize('user_ID2Name'), 'User ID2 name');
  });

  it('keeps the good diagnostics of a message with a bad one', () => {
    const parsed = parseHostMessage({
      type: 'diagnostics',
      items: [
        { path: ['idTypeMapping', 1e20, 'column'], message: 'bad index', severity: 'error' },
        { path: ['sql'], message: 'fine', severity: 'warning' },
        'not even an object',
      ],
    });
    assert.ok(parsed.ok, parsed.ok ? '' : parsed.error);
    assert.deepEqual(parsed.message, { type: 'diagnostics', items: [{ path: ['sql'], message: 'fine', severity: 'warning' }] });
  });
});
