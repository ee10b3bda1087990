// The issue "Trust": what a hostile or pathological document did to the save pipeline. Each test
// here failed on the code before the fix (a RangeError, 100,000 problems, a prototype key taken for
// a known field, a server path the webview rejects); speed is measured by `npm run bench:validate`,
// never asserted in a unit test.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { applyEdits } from 'jsonc-parser';
import type { SourceRef } from '../../../src/core/kinds.ts';
import {
  formatSource, LineIndex, lineColumn, nestingDepth, parseDocument, parsePropertyPath, planEdit, StringOffsets,
} from '../../../src/core/document.ts';
import { ValidationError } from '../../../src/core/errors.ts';
import { descriptor } from '../../../src/core/kinds.ts';
import { templateFor } from '../../../src/core/templates.ts';
import { localValidation, planPush, serverProblems, validateDraft, type ValidationContext } from '../../../src/core/validation.ts';
import { JsonPathSchema } from '../../../src/shared/editorProtocol.ts';
import { getAt } from '../../../src/shared/jsonPath.ts';
import { useSqlParser } from '../helpers/sqlParser.ts';

before(() => useSqlParser());

const metricRef: SourceRef = { kind: 'metricSource', name: 'orders' };
const newCtx = (ref: SourceRef): ValidationContext => ({ kind: ref.kind, ref, isNew: true, base: undefined, dialect: 'snowflake' });
const valid = (ref: SourceRef) => templateFor(ref);
const textAt = (text: string, range: { start: number; end: number }) => text.slice(range.start, range.end);

describe('Trust: problems are capped', () => {
  it('5,000 unknown fields give 200 problems and one summary line, and the status counts them all', async () => {
    const doc: Record<string, unknown> = valid(metricRef);
    for (let i = 0; i < 5000; i++) doc[`extra${i}`] = i;
    const text = formatSource(doc);
    const { problems } = localValidation(text, newCtx(metricRef));
    assert.equal(problems.length, 201);
    assert.equal(textAt(text, problems[199]?.range ?? { start: 0, end: 0 }), '"extra199"');
    assert.match(problems.at(-1)?.message ?? '', /^… and 4,800 more problems \(only the first 200 are listed\)\.$/);
    assert.equal(problems.at(-1)?.severity, 'error');
    const result = await validateDraft(text, newCtx(metricRef), undefined);
    assert.equal(result.problems.length, 201);
    assert.match(result.status.text, /5,000 problems found locally/);
  });

  it('a document of 5,000 syntax errors gives 200 problems and a summary, with exact line and column', () => {
    const text = `{\n${'x\n'.repeat(5000)}`;
    const parsed = parseDocument(text);
    assert.ok(!parsed.ok);
    assert.equal(parsed.problems.length, 201);
    assert.match(parsed.problems[0]?.message ?? '', /\(line 2, column 1\)/);
    assert.match(parsed.problems[199]?.message ?? '', /\(line 201, column 1\)/);
    assert.match(parsed.problems.at(-1)?.message ?? '', /^… and \d[\d,]* more problems/);
  });

  it('SQL with 5,000 unclosed parentheses gives one problem on the SQL (not 5,000), and the parser is never fed it', () => {
    const text = formatSource({ ...valid(metricRef), sql: `select "\\n" ${'('.repeat(5000)}` });
    const { problems } = localValidation(text, newCtx(metricRef));
    const sql = problems.filter((p) => p.source === 'sql');
    assert.equal(sql.length, 1);
    assert.equal(sql[0]?.severity, 'info');
    assert.match(sql[0]?.message ?? '', /^The SQL was not checked locally: it nests or chains expressions more than 500 levels deep/);
    const unclosed = formatSource({ ...valid(metricRef), sql: 'select "\\n" (((a' });
    const error = localValidation(unclosed, newCtx(metricRef)).problems.find((p) => p.source === 'sql');
    assert.equal(error?.severity, 'error');
    assert.equal(textAt(unclosed, error?.range ?? { start: 0, end: 0 }), 'a', 'on the last token, where ) was expected');
  });

  it('line starts and string escapes are mapped once, and agree with a plain scan', () => {
    const text = '{\n  "sql": "a\\n\\"b\\u0041c",\n  "x": 1\n}';
    const lines = new LineIndex(text);
    for (let offset = 0; offset <= text.length; offset++) assert.deepEqual(lines.lineColumn(offset), lineColumn(text, offset));
    const parsed = parseDocument(text);
    assert.ok(parsed.ok);
    const offsets = StringOffsets.at(text, parsed.root, ['sql']);
    assert.ok(offsets);
    assert.equal(offsets.length, 'a\n"bAc'.length);
    assert.deepEqual([0, 1, 2, 3, 4, 5, 6].map((i) => text[offsets.offset(i)]), ['a', '\\', '\\', 'b', '\\', 'c', '"']);
  });
});

describe('Trust: nesting depth', () => {
  const deep = (n: number) => `{"name":"orders","x":${'['.repeat(n)}${']'.repeat(n)}}`;

  it('the host reports a document nested 3,000 levels deep as one problem instead of throwing', () => {
    const text = deep(3000);
    const { problems } = localValidation(text, newCtx(metricRef));
    assert.equal(problems.length, 1);
    assert.equal(problems[0]?.message, 'The document is nested 3,001 levels deep; at most 200 are supported.');
    assert.equal(problems[0]?.range.start, text.indexOf('[') + 199, 'on the bracket that went past 200');
    assert.ok(!parseDocument(`[${deep(100_000)}]`).ok);
  });

  it('200 levels are fine; brackets in strings and comments do not count', () => {
    assert.ok(parseDocument(deep(199)).ok);
    assert.deepEqual(nestingDepth(`{"a": "${'['.repeat(500)}", "b": [[1]]} // ${'{'.repeat(500)}`), { depth: 3, offset: -1 });
  });
});

describe('Trust: server error paths', () => {
  it('an index that is not a safe integer ends the path there', () => {
    assert.deepEqual(parsePropertyPath('idTypeMapping[99999999999999999999].column'), ['idTypeMapping']);
    assert.deepEqual(parsePropertyPath('a.99999999999999999999.b'), ['a']);
    assert.deepEqual(parsePropertyPath('idTypeMapping[1].column'), ['idTypeMapping', 1, 'column']);
    assert.deepEqual(parsePropertyPath('a[x].b'), ['a', 'x', 'b']);
  });

  it('diagnostics built from such a path pass the webview protocol, and land on the nearest field', () => {
    const text = formatSource(valid(metricRef));
    const parsed = parseDocument(text);
    assert.ok(parsed.ok);
    const error = new ValidationError({ method: 'POST', path: '/x' }, 400, 'bad', [
      { property: 'idTypeMapping[99999999999999999999].column', errorMessage: 'no such column' },
      { property: 'sql', errorMessage: 'does not run' },
    ]);
    const problems = serverProblems(text, parsed.root, descriptor('metricSource'), error);
    assert.ok(problems.every((p) => JsonPathSchema.safeParse(p.path).success));
    assert.equal(textAt(text, problems[0]?.range ?? { start: 0, end: 0 }), text.slice(text.indexOf('[', text.indexOf('"idTypeMapping"')), text.indexOf(']', text.indexOf('"idTypeMapping"')) + 1));
    // "does not run" points at nothing in the SQL: the whole SQL is marked, with no line claimed.
    assert.equal(problems[1]?.sqlRange, undefined);
    assert.equal(textAt(text, problems[1]?.range ?? { start: 0, end: 0 }), JSON.stringify(String(valid(metricRef)['sql'])).slice(1, -1));
  });

  it('10,000 server errors give 200 problems and a summary', () => {
    const text = formatSource(valid(metricRef));
    const parsed = parseDocument(text);
    assert.ok(parsed.ok);
    const many = Array.from({ length: 10_000 }, (_, i) => ({ property: `idTypeMapping[${i}].column`, errorMessage: 'no' }));
    const problems = serverProblems(text, parsed.root, descriptor('metricSource'), new ValidationError({ method: 'POST', path: '/x' }, 400, 'bad', many));
    assert.equal(problems.length, 201);
  });
});

describe('Trust: prototype keys are not fields', () => {
  for (const key of ['constructor', 'toString', 'valueOf', '__proto__', 'hasOwnProperty']) {
    it(`"${key}" is an unknown field, with a base or without`, () => {
      const text = `{${JSON.stringify(key)}: 1, ${formatSource(valid(metricRef)).trim().slice(1)}`;
      for (const ctx of [newCtx(metricRef), { ...newCtx(metricRef), isNew: false, base: { ...valid(metricRef) } }]) {
        const { problems } = localValidation(text, ctx);
        const found = problems.find((p) => p.message.startsWith(`Unknown field "${key}"`));
        assert.ok(found, JSON.stringify(problems.map((p) => p.message)));
        assert.equal(textAt(text, found.range), JSON.stringify(key));
      }
    });
  }

  it('a field removed from the draft is a change, even when its name is on Object.prototype', () => {
    const base = { ...valid({ kind: 'assignmentSource', name: 'a' }), toString: 'x' };
    const { toString: _t, ...value } = base;
    const plan = planPush({ kind: 'assignmentSource', ref: { kind: 'assignmentSource', name: 'a' }, isNew: false, base }, value);
    assert.deepEqual(plan.changed, ['toString']);
    assert.equal(plan.mode, 'update', 'PATCH cannot remove a field');
  });
});

describe('Trust: the edits the form sends (planEdit)', () => {
  const text = formatSource(valid(metricRef));
  const after = (path: (string | number)[], value: unknown) => {
    const plan = planEdit(text, path, value);
    assert.ok(plan.ok, plan.ok ? '' : plan.message);
    const parsed = parseDocument(applyEdits(text, plan.edits));
    assert.ok(parsed.ok);
    return parsed.value;
  };

  it('sets, adds and removes fields, table cells and rows', () => {
    assert.equal(getAt(after(['timestampColumn'], 'ts'), ['timestampColumn']), 'ts');
    assert.equal(getAt(after(['idTypeMapping', 0, 'column'], 'uid'), ['idTypeMapping', 0, 'column']), 'uid');
    assert.deepEqual(getAt(after(['idTypeMapping', 1], { statsigUnitID: 'stableID', column: 's' }), ['idTypeMapping', 1]), { statsigUnitID: 'stableID', column: 's' });
    assert.equal(getAt(after(['team'], null), ['team']), null);
    assert.equal(getAt(after(['tags'], undefined), ['tags']), undefined);
    assert.deepEqual(getAt(after(['new', 'deep'], 1), ['new']), { deep: 1 });
    assert.deepEqual(planEdit(text, ['idTypeMapping', 5], undefined), { ok: true, edits: [] }, 'nothing there to remove');
  });

  it('refuses, with a reason and without throwing, what cannot apply', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    let deepValue: unknown = 1;
    for (let i = 0; i < 250; i++) deepValue = [deepValue];
    for (const [path, value] of [
      [['name', 'x'], 1], [['idTypeMapping', 'x'], 1], [['tags', 9], 'x'], [['x', 3, 'y'], 1], [[], 1],
      [['description'], cyclic], [['description'], deepValue], [['description'], Number.NaN], [['description'], new Date(0)],
      [Array.from({ length: 300 }, () => 'a'), 1],
    ] as [(string | number)[], unknown][]) {
      const plan = planEdit(text, path, value);
      assert.ok(!plan.ok && plan.reason === 'invalid-edit', JSON.stringify(path));
    }
    const broken = planEdit('{"a": ', ['a'], 1);
    assert.ok(!broken.ok && broken.reason === 'invalid-document');
  });
});
