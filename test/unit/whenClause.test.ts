// Every `when` and `enablement` clause in package.json must parse with VS Code's context-key grammar:
// VS Code drops a clause it cannot parse, and the item then shows everywhere (an editor-title button
// on every editor, a keybinding in every context). The parser (helpers/whenClause.ts) is a port of
// VS Code's; the first suite pins it to VS Code's behaviour, the second sweeps the manifest.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ContextKeys, EDITOR_VIEW_TYPE, REMOTE_SCHEME, SOURCE_SCHEME, Views } from '../../src/constants.ts';
import { manifest } from './helpers/manifest.ts';
import { contextKeysOf, parseWhen, whenClauseProblems, type WhenExpr } from './helpers/whenClause.ts';

const accepts = (clause: string) => assert.ok(parseWhen(clause).expr, `VS Code would accept ${JSON.stringify(clause)}: ${whenClauseProblems(clause).join('; ')}`);
const rejects = (clause: string) => assert.equal(parseWhen(clause).expr, undefined, `VS Code would drop ${JSON.stringify(clause)}`);

describe('the context-key parser behaves like VS Code\'s', () => {
  it('accepts keys, negated keys, comparisons, regexes, in / not in, true / false and parentheses', () => {
    for (const clause of [
      'foo', ' foo', '!foo', 'true', 'false', '!true', '!false',
      'foo.bar==enabled', 'foo.bar == \'enabled\'', 'foo.bar:zed==completed', 'view == statsigWhn.sources',
      'a === b', 'a !== b', 'a != b', 'foo.bar >= -1', 'foo.bar <= -1', 'a < 2', 'a > 2',
      'foo.barBaz<C-r> < 2', 'fooBar && baz.jar && fee.bee<K-loo+1>',
      'foo =~ /bar/', 'foo && foo =~ /zee/i', 'resourcePath =~ /\\.md(\\.yml|\\.txt)*$/gim', 'viewItem =~ /^(source\\b|group)$/',
      'a in b', 'a not in b', 'a == in',
      'a && b || c', '(foo || bar) && (jee || jar)', '!(foo && bar)', '!(a || b) && c',
      '!cmake:hideBuildCommand && cmake:enableFullFeatureSet',
      'viewItem == \'message setKey\'', 'debugState == "stopped"',
    ]) accepts(clause);
  });

  it('rejects a negated comparison: `!` applies to a key, true, false or parentheses only', () => {
    rejects('!a == b');
    rejects('!b == \'true\'');
    rejects('resourceScheme == statsig && !activeCustomEditorId == statsigWhn.sourceEditor && !isInDiffEditor');
    accepts('resourceScheme == statsig && activeCustomEditorId != statsigWhn.sourceEditor && !isInDiffEditor');
    accepts('!(a == b)');
    rejects('!!a');
  });

  it('rejects unbalanced parentheses', () => {
    rejects('(a && b');
    rejects('a && b)');
    rejects('((a)');
    rejects('!(a');
  });

  it('rejects unknown operators and stray characters', () => {
    rejects('a ~= b');
    assert.ok(parseWhen('a ~= b').lexingErrors.length > 0, '`=` alone is a lexing error');
    rejects('a = b');
    rejects('a & b');
    rejects('a | b');
    rejects('a not b');
    rejects('vim<c-r> == 1 && vim<2<=3');
  });

  it('rejects broken regexes, strings and empty operands', () => {
    rejects('a =~ b');
    rejects('a =~ \'/b/\''); // a quoted regex is accepted only with error recovery, which manifests do not get
    rejects('a =~ /b');
    rejects('a =~ /(/');
    rejects('foo && \'bar');
    rejects('');
    rejects('   ');
    rejects('a &&');
    rejects('a && && b');
    rejects('config.foo &&  &&bar =~ /^foo$/ && !foo');
    rejects('!foo &&  in bar');
    rejects('viewItem == VSCode WorkSpace');
  });

  it('`a === ` (no value): VS Code accepts it as a comparison with \'\', our lint rejects it', () => {
    // VS Code's parser deliberately accepts `foo == ` because published extensions use it.
    assert.deepEqual(parseWhen('a === ').expr, { type: '==', key: 'a', value: '' });
    assert.equal(whenClauseProblems('a === ').length, 1);
    assert.equal(whenClauseProblems('a != ').length, 1);
    assert.deepEqual(whenClauseProblems('a === b'), []);
  });

  it('reads precedence the way VS Code does: && binds tighter than ||', () => {
    assert.deepEqual(parseWhen('a && b || c').expr, {
      type: '||',
      exprs: [{ type: '&&', exprs: [{ type: 'has', key: 'a' }, { type: 'has', key: 'b' }] }, { type: 'has', key: 'c' }],
    });
  });
});

/** Every `when` and `enablement` string anywhere under `contributes`, with where it is. */
function clauses(node: unknown, where: string, out: { where: string; clause: string }[] = []): { where: string; clause: string }[] {
  if (Array.isArray(node)) node.forEach((child, i) => clauses(child, `${where}[${i}]`, out));
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if ((key === 'when' || key === 'enablement') && typeof value === 'string') out.push({ where: `${where}.${key}`, clause: value });
      else clauses(value, `${where}.${key}`, out);
    }
  }
  return out;
}

/** `key == value` / `key != value` pairs in an expression. */
function comparisons(e: WhenExpr): { key: string; value: string }[] {
  switch (e.type) {
    case '&&': case '||': return e.exprs.flatMap(comparisons);
    case 'not': return comparisons(e.expr);
    case '==': case '!=': return [{ key: e.key, value: e.value }];
    default: return [];
  }
}

describe('package.json: every when / enablement clause', () => {
  const all = clauses(manifest.contributes, 'contributes');

  it('is found where VS Code reads clauses (menus, keybindings, views welcome)', () => {
    const where = all.map((c) => c.where);
    assert.ok(where.some((w) => w.startsWith('contributes.menus.editor/title')), 'editor/title');
    assert.ok(where.some((w) => w.startsWith('contributes.menus.view/item/context')), 'view/item/context');
    assert.ok(where.some((w) => w.startsWith('contributes.menus.commandPalette')), 'commandPalette');
    assert.ok(where.some((w) => w.startsWith('contributes.keybindings')), 'keybindings');
    assert.ok(where.some((w) => w.startsWith('contributes.viewsWelcome')), 'viewsWelcome');
    assert.ok(all.length >= 40, `only ${all.length} clauses found`);
  });

  it('parses with VS Code\'s grammar (no lexing or parsing error, no empty comparison)', () => {
    const broken = all.flatMap(({ where, clause }) => whenClauseProblems(clause).map((p) => `${where}: ${JSON.stringify(clause)}: ${p}`));
    assert.deepEqual(broken, []);
  });

  it('names only context keys this extension sets (statsigWhn.*)', () => {
    const ours = new Set<string>(Object.values(ContextKeys));
    const unknown = all.flatMap(({ where, clause }) => {
      const expr = parseWhen(clause).expr;
      return expr ? contextKeysOf(expr).filter((k) => k.startsWith(`${Views.container}.`) && !ours.has(k)).map((k) => `${where}: ${k}`) : [];
    });
    assert.deepEqual(unknown, []);
  });

  it('compares view, activeCustomEditorId and resourceScheme only with ids this extension owns', () => {
    const views = new Set(Object.values(manifest.contributes.views).flat().map((v) => v.id));
    const allowed: Record<string, Set<string>> = {
      view: views,
      activeCustomEditorId: new Set([EDITOR_VIEW_TYPE]),
      resourceScheme: new Set([SOURCE_SCHEME, REMOTE_SCHEME]),
    };
    const wrong = all.flatMap(({ where, clause }) => {
      const expr = parseWhen(clause).expr;
      return expr ? comparisons(expr).filter(({ key, value }) => allowed[key] && !allowed[key].has(value)).map(({ key, value }) => `${where}: ${key} == ${value}`) : [];
    });
    assert.deepEqual(wrong, []);
    assert.ok(views.has(Views.sources));
  });
});
