// Settings a workspace must not change: the manifest scopes them to the user (application), Restricted
// Mode lists them, and the reading code ignores a workspace or folder value for exactly the same list.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Settings } from '../../src/constants.ts';
import { isUserOnlySetting, settingValue, USER_ONLY_SETTINGS } from '../../src/core/settings.ts';
import { manifest } from './helpers/manifest.ts';

const props = manifest.contributes.configuration.properties;
const PREFIX = `${Settings.section}.`;

describe('user-only settings', () => {
  it('cover the key\'s destination, the client\'s timing and paging, and review enforcement', () => {
    assert.deepEqual([...USER_ONLY_SETTINGS].sort(), ['apiBaseUrl', 'pageSize', 'requestTimeoutMs', 'respectReviewSettings']);
  });

  it('every setting in package.json is one the code knows (constants.Settings), and vice versa', () => {
    const declared = Object.keys(props).map((k) => k.slice(PREFIX.length)).sort();
    const known = Object.entries(Settings).filter(([k]) => k !== 'section').map(([, v]) => v).sort();
    assert.ok(Object.keys(props).every((k) => k.startsWith(PREFIX)), 'every setting lives under statsigWhn.');
    assert.deepEqual(declared, known);
  });

  it('exactly the user-only settings have application (or machine) scope in package.json', () => {
    const scoped = Object.entries(props)
      .filter(([, s]) => s.scope === 'application' || s.scope === 'machine')
      .map(([k]) => k.slice(PREFIX.length))
      .sort();
    assert.deepEqual(scoped, [...USER_ONLY_SETTINGS].sort());
  });

  it('Restricted Mode lists every user-only setting', () => {
    const restricted = manifest.capabilities?.untrustedWorkspaces?.restrictedConfigurations ?? [];
    for (const name of USER_ONLY_SETTINGS) assert.ok(restricted.includes(PREFIX + name), `${PREFIX}${name} is not in restrictedConfigurations`);
    for (const name of restricted) assert.ok(name in props, `restrictedConfigurations names an unknown setting: ${name}`);
  });
});

describe('settingValue (how src/platform/config.ts reads each setting)', () => {
  const everywhere = <T>(d: T, user: T, ws: T, folder: T) => ({ defaultValue: d, globalValue: user, workspaceValue: ws, workspaceFolderValue: folder });

  it('ignores workspace and folder values of user-only settings: the user value wins', () => {
    assert.equal(settingValue('respectReviewSettings', everywhere(false, true, false, false), false), true);
    assert.equal(settingValue('apiBaseUrl', everywhere('https://statsigapi.net', 'https://proxy.example', 'https://evil.example', 'https://evil.example'), 'https://evil.example'), 'https://proxy.example');
    assert.equal(settingValue('requestTimeoutMs', everywhere(30_000, 60_000, 1_000, 1_000), 1_000), 60_000);
    assert.equal(settingValue('pageSize', everywhere(100, 50, 1, 1), 1), 50);
  });

  it('falls back to the default, never to a workspace value, when the user set nothing', () => {
    assert.equal(settingValue('respectReviewSettings', { defaultValue: true, workspaceValue: false, workspaceFolderValue: false }, false), true);
    assert.equal(settingValue('requestTimeoutMs', { defaultValue: 30_000, workspaceValue: 1_000 }, 1_000), 30_000);
    assert.equal(settingValue('pageSize', undefined, 7), undefined, 'nothing inspected: undefined, so the zod default applies');
  });

  it('takes the effective value of every other setting (a workspace may pick its SQL dialect)', () => {
    assert.equal(isUserOnlySetting('sqlDialect'), false);
    assert.equal(settingValue('sqlDialect', everywhere('snowflake', 'bigquery', 'duckdb', undefined), 'duckdb'), 'duckdb');
  });
});
