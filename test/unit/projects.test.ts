// Stored project lists and source URIs: the pure parts behind SecretStorage and the statsig: scheme.
import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { defaultLabel, labelProblem, parseStoredProjects, projectAuthority, projectIdFromAuthority, serializeProjects } from '../../src/core/projects.ts';
import { parseSourcePath, sourcePath } from '../../src/core/sourceUri.ts';
import type { SourceRef } from '../../src/core/kinds.ts';

describe('stored projects', () => {
  test('a project keeps the SQL dialect chosen for it; an unknown one (a newer version\'s) reads as "follow the setting", not as a broken list', () => {
    const stored = serializeProjects([{ id: 'p1', label: 'A', key: 'console-a', dialect: 'bigquery' }, { id: 'p2', label: 'B', key: 'console-b' }]);
    const parsed = parseStoredProjects(stored);
    assert.ok(parsed.ok);
    assert.equal(parsed.projects[0]?.dialect, 'bigquery');
    assert.equal(parsed.projects[1]?.dialect, undefined);
    const future = parseStoredProjects(JSON.stringify({ version: 1, projects: [{ id: 'p1', label: 'A', key: 'console-a', dialect: 'oracle' }] }));
    assert.ok(future.ok);
    assert.equal(future.projects[0]?.dialect, undefined);
    assert.equal(future.projects[0]?.key, 'console-a');
  });

  test('round-trips a list of projects', () => {
    const projects = [{ id: 'a1', label: 'Prod', key: 'console-fake-one' }, { id: 'b2', label: 'Staging', key: 'console-fake-two' }];
    assert.deepEqual(parseStoredProjects(serializeProjects(projects)), { ok: true, projects });
  });

  test('nothing stored is no project; a bare key is one project', () => {
    assert.deepEqual(parseStoredProjects(undefined), { ok: true, projects: [] });
    assert.deepEqual(parseStoredProjects('console-fake-bare'), { ok: true, projects: [{ id: 'default', label: 'Statsig project', key: 'console-fake-bare' }] });
  });

  test('a damaged entry is reported, not thrown, and never echoes the stored text', () => {
    for (const raw of ['{"version":1,', '{"version":2,"projects":[]}', '{"version":1,"projects":[{"id":"x"}]}', 'two words']) {
      const parsed = parseStoredProjects(raw);
      assert.equal(parsed.ok, false, raw);
      if (!parsed.ok) assert.ok(!parsed.reason.includes(raw), 'the reason must not contain the stored value');
    }
  });

  test('labels: required, short, unique case-insensitively (except for the project itself)', () => {
    const existing = [{ id: 'a', label: 'Prod' }];
    assert.match(labelProblem('  ', existing) ?? '', /Enter a label/);
    assert.match(labelProblem('x'.repeat(61), existing) ?? '', /under 60/);
    assert.match(labelProblem('prod', existing) ?? '', /"Prod" is already connected/);
    assert.equal(labelProblem('prod', existing, 'a'), undefined);
    assert.equal(labelProblem('Staging', existing), undefined);
  });

  test('the default label names the Statsig project id and never clashes', () => {
    assert.equal(defaultLabel('5ZkgFh2x', []), 'Statsig project 5ZkgFh2x');
    assert.equal(defaultLabel('5ZkgFh2x', [{ label: 'statsig project 5zkgfh2x' }]), 'Statsig project 5ZkgFh2x (2)');
    assert.equal(defaultLabel('x'.repeat(100), []), `Statsig project ${'x'.repeat(24)}…`);
  });

  test('project ids become URI authorities and back, whatever the server sends', () => {
    for (const id of ['5ZkgFh2x', 'local-project', 'a_b', 'has space', 'a:b@c', '~tilde', 'Ünïcödé', '..', 'x'.repeat(300)]) {
      const authority = projectAuthority(id);
      assert.match(authority, /^[A-Za-z0-9_~-]+$/, id);
      assert.equal(projectIdFromAuthority(authority), id, id);
    }
    assert.equal(projectAuthority('5ZkgFh2x'), '5ZkgFh2x', 'plain ids read naturally');
    assert.equal(projectIdFromAuthority('~zz'), undefined);
    assert.equal(projectIdFromAuthority('a.b'), undefined);
  });
});

describe('source URIs', () => {
  const refs: SourceRef[] = [
    { kind: 'metricSource', name: 'orders' },
    { kind: 'assignmentSource', name: 'a/b c%d' },
    { kind: 'ingestionSource', type: 'snowflake-v2', dataset: 'Events', sourceName: 'web/app' },
  ];

  test('every ref round-trips through its path, whatever its name contains', () => {
    for (const ref of refs) assert.deepEqual(parseSourcePath(sourcePath(ref)), ref);
    assert.equal(sourcePath(refs[1] as SourceRef), '/assignmentSource/a%2Fb c%25d.json');
  });

  test('paths that name no source are rejected', () => {
    for (const p of ['/metricSource/orders', '/nope/x.json', '/metricSource/a/b.json', '/ingestionSource/unknownType/Events/x.json', '/metricSource/%E0%A4%A.json', '/metricSource/.json']) {
      assert.equal(parseSourcePath(p), undefined, p);
    }
  });
});

describe('status bar text', () => {
  test('names the project, counts several, and shows a countdown while throttled', async () => {
    const { statusText } = await import('../../src/shared/statusText.ts');
    assert.equal(statusText([], 0), '$(plug) Statsig: not connected');
    assert.equal(statusText(['Prod'], 0), '$(database) Statsig: Prod');
    assert.equal(statusText(['Prod', 'Staging'], 0), '$(database) Statsig: 2 projects');
    assert.equal(statusText(['Prod'], 2_100), '$(watch) Statsig: Prod — throttled 3s');
  });
});
