// Project identity (GET /console/v1/project), unit ID types, several projects behind one emulator
// (one key → one project, each with its own state), and the control endpoint's per-run token.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Harness } from './harness.ts';
import { KEY, READ_ONLY_KEY, assertExchangesConform, data, list, obj, startHarness } from './harness.ts';

const OTHER_KEY = 'console-test-other-project';
let h: Harness;
before(async () => {
  h = await startHarness({ seed: 'default', projectId: 'proj-main', projects: [{ id: 'proj-other', key: OTHER_KEY, seed: 'empty' }] });
});
after(async () => { await h.close(); });

test('GET /console/v1/project names the project of the key; the read-only key reads the same project', async () => {
  const main = await h.api('GET', '/console/v1/project');
  assert.equal(main.status, 200);
  assert.deepEqual(data(main), { id: 'proj-main' });
  assert.equal(obj(main.body).message, 'Project Info Retrieved Successfully');
  assert.deepEqual(data(await h.api('GET', '/console/v1/project', undefined, { key: READ_ONLY_KEY })), { id: 'proj-main' });
  assert.deepEqual(data(await h.api('GET', '/console/v1/project', undefined, { key: OTHER_KEY })), { id: 'proj-other' });
  assert.equal((await h.api('GET', '/console/v1/project', undefined, { key: 'console-test-nobody' })).status, 401);
  assert.equal(h.emu.projectId, 'proj-main');
});

test('GET /console/v1/unit_id_types lists the seeded types with pagination', async () => {
  const all = await h.api('GET', '/console/v1/unit_id_types');
  assert.equal(all.status, 200);
  const names = list(all).map((t) => t['name']);
  assert.deepEqual(names, ['userID', 'stableID', 'companyID']);
  const paged = await h.api('GET', '/console/v1/unit_id_types?page=2&limit=2');
  assert.deepEqual(list(paged).map((t) => t['name']), ['companyID']);
  assert.equal(obj(obj(paged.body).pagination).totalItems, 3);
});

test('each project has its own sources: a create in one is invisible in the other', async () => {
  const before = await h.api('GET', '/console/v1/metrics/metric_source/list?limit=100', undefined, { key: OTHER_KEY });
  assert.deepEqual(list(before), [], 'the other project was seeded empty');
  const created = await h.api('POST', '/console/v1/experiments/entity_properties', {
    name: 'only_in_other', sql: 'SELECT user_id, signup_ts FROM analytics.users', timestampColumn: 'signup_ts', idTypeMapping: [{ statsigUnitID: 'userID', column: 'user_id' }],
  }, { key: OTHER_KEY });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  assert.equal((await h.api('GET', '/console/v1/experiments/entity_property/only_in_other', undefined, { key: OTHER_KEY })).status, 200);
  assert.equal((await h.api('GET', '/console/v1/experiments/entity_property/only_in_other', undefined, { key: KEY })).status, 404);
  // A reset puts every project back to its own seed.
  assert.equal((await h.control('POST', '/__emulator/reset', {})).status, 200);
  assert.equal((await h.api('GET', '/console/v1/experiments/entity_property/only_in_other', undefined, { key: OTHER_KEY })).status, 404);
});

test('projects can be added at run time through the control endpoint; ids and keys are unique', async () => {
  const added = await h.control('POST', '/__emulator/projects', { id: 'proj-late', key: 'console-test-late', seed: 'empty' });
  assert.equal(added.status, 201, JSON.stringify(added.body));
  assert.deepEqual(data(await h.api('GET', '/console/v1/project', undefined, { key: 'console-test-late' })), { id: 'proj-late' });
  assert.equal((await h.control('POST', '/__emulator/projects', { id: 'proj-late', key: 'console-test-late-2' })).status, 400);
  assert.equal((await h.control('POST', '/__emulator/projects', { id: 'proj-new', key: KEY })).status, 400, 'a key belongs to one project');
  assert.equal((await h.control('POST', '/__emulator/projects', { id: '../x', key: 'console-test-x' })).status, 400);
  const list = await h.control('GET', '/__emulator/projects');
  assert.deepEqual((list.body as { id: string }[]).map((p) => p.id), ['proj-main', 'proj-other', 'proj-late']);
});

test('the control endpoint refuses requests without the run token or with a wrong one', async () => {
  for (const token of [null, '', 'not-the-token', `${h.emu.controlToken}x`]) {
    for (const [method, path, body] of [['GET', '/__emulator/faults'], ['POST', '/__emulator/faults', { latencyMs: 5 }], ['POST', '/__emulator/reset', { seed: 'empty' }], ['GET', '/__emulator/stats']] as const) {
      const r = await h.control(method, path, body, { token });
      assert.equal(r.status, 403, `${method} ${path} with token ${String(token)}`);
      assert.match(String(obj(r.body).message), /x-emulator-token/);
    }
  }
  // Nothing changed: no latency was set and the project was not reset to empty.
  assert.equal(obj((await h.control('GET', '/__emulator/faults')).body).latencyMs, 0);
  assert.ok(list(await h.api('GET', '/console/v1/metrics/metric_source/list?limit=100')).length > 0);
  assert.ok(h.emu.controlToken.length >= 32);
});

test('every exchange in this file conforms to the spec', () => {
  assertExchangesConform(h.exchanges);
});
