// The client stays under Statsig's mutation rate limit and says so: a burst of dry runs larger than
// the limit is held back (the status bar counts down from the throttle events) and Statsig never
// answers 429 to it.
import * as assert from 'node:assert/strict';
import type { TestingApi } from '../../src/main.ts';
import { emulator, projectIdOfKey, testEnv, testingApi } from './helpers.ts';

suite('Rate limit', () => {
  let api: TestingApi;
  let projectId: string;

  suiteSetup(async () => {
    api = await testingApi();
    await emulator.reset();
    for (const p of await api.store.list(api.connections.baseUrl)) await api.store.remove(p.baseUrl, p.id);
    projectId = (await api.store.add(api.connections.baseUrl, await projectIdOfKey(), 'Burst', testEnv.apiKey ?? '')).id;
    await api.connections.reload();
  });

  suiteTeardown(async () => {
    await api.store.remove(api.connections.baseUrl, projectId);
    await api.connections.reload();
  });

  test('105 dry runs at once: the client holds the ones beyond its limit (100 / 10 s) back and reports it for the status bar countdown; all go through', async () => {
    const waits: number[] = [];
    const sub = api.connections.onDidThrottle((e) => {
      assert.equal(e.project.label, 'Burst');
      waits.push(e.waitMs);
    });
    try {
      const { api: sources } = await api.connections.connection(projectId);
      const [record] = (await sources.list('assignmentSource')).records;
      assert.ok(record);
      const outcomes = await Promise.all(Array.from({ length: 105 }, (_, i) =>
        sources.patch(record.ref, { description: `burst ${i}` }, { dryRun: true }).then(() => 'ok', (e: unknown) => (e as { kind?: string }).kind ?? String(e))));
      assert.deepEqual([...new Set(outcomes)], ['ok'], 'every dry run went through');
      assert.ok(waits.some((w) => w > 0), 'the status bar was told to show a countdown');
      assert.equal(waits.at(-1), 0, 'and told when the queue drained');
    } finally {
      sub.dispose();
    }
  }).timeout(60_000);
});
