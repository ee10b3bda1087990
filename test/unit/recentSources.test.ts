// Go to Source's order: recently opened first (most recent first), then every other source by name.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { KindIds } from '../../src/core/kinds.ts';
import { RECENT_LIMIT, arrange, compareSources, recentList, touched, type PickableSource } from '../../src/core/recentSources.ts';

const src = (name: string, kind: PickableSource['kind'] = 'metricSource', projectLabel = 'Prod'): PickableSource => ({
  key: `statsig://${projectLabel}/${kind}/${name}.json`, name, kind, projectLabel,
});

test('touched: the opened source comes first, once, and the list keeps the last 20', () => {
  assert.deepEqual(touched([], 'a'), ['a']);
  assert.deepEqual(touched(['a', 'b', 'c'], 'c'), ['c', 'a', 'b']);
  assert.deepEqual(touched(['a', 'b'], 'a'), ['a', 'b']);
  const full = Array.from({ length: RECENT_LIMIT }, (_, i) => `s${i}`);
  assert.deepEqual(touched(full, 'new'), ['new', ...full.slice(0, RECENT_LIMIT - 1)]);
});

test('recentList: what the global state holds, read defensively', () => {
  assert.deepEqual(recentList(undefined), []);
  assert.deepEqual(recentList('a'), []);
  assert.deepEqual(recentList(['a', 3, '', 'b', 'a', null]), ['a', 'b']);
  assert.equal(recentList(Array.from({ length: 50 }, (_, i) => `s${i}`)).length, RECENT_LIMIT);
});

test('arrange: recent ones first in the order opened, the rest by name (case-insensitive, numbers in order), then kind, then project', () => {
  const sources = [src('orders'), src('Users'), src('events10'), src('events9'), src('orders', 'assignmentSource'), src('orders', 'metricSource', 'Dev'), src('apps')];
  const { recent, rest } = arrange(sources, [src('Users').key, 'statsig://gone/metricSource/x.json', src('apps').key]);
  assert.deepEqual(recent.map((s) => s.name), ['Users', 'apps']);
  assert.deepEqual(rest.map((s) => `${s.name}/${s.kind}/${s.projectLabel}`), [
    'events9/metricSource/Prod', 'events10/metricSource/Prod', 'orders/assignmentSource/Prod', 'orders/metricSource/Dev', 'orders/metricSource/Prod',
  ]);
});

const pickable = fc.record({
  name: fc.string({ minLength: 1, maxLength: 6 }),
  kind: fc.constantFrom(...KindIds),
  projectLabel: fc.constantFrom('Prod', 'Dev', 'staging'),
}).map((s) => ({ ...s, key: `statsig://${s.projectLabel}/${s.kind}/${encodeURIComponent(s.name)}.json` }));

test('property: every source appears exactly once; recent ones keep their order; the rest is sorted', () => {
  fc.assert(fc.property(fc.array(pickable, { maxLength: 30 }), fc.array(fc.nat(40), { maxLength: 25 }), (sources, picks) => {
    const keys = [...new Set(sources.map((s) => s.key))];
    const recent = recentList(picks.map((i) => keys[i] ?? `statsig://other/metricSource/${i}.json`));
    const { recent: first, rest } = arrange(sources, recent);
    const shown = [...first, ...rest].map((s) => s.key);
    assert.deepEqual([...shown].sort(), [...keys].sort(), 'each source once');
    assert.deepEqual(first.map((s) => s.key), recent.filter((k) => keys.includes(k)), 'recent order kept');
    for (let i = 1; i < rest.length; i++) assert.ok(compareSources(rest[i - 1]!, rest[i]!) <= 0, 'the rest is sorted');
  }));
});
