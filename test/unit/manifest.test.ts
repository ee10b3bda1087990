// Manifest hygiene: what the Marketplace and VS Code read from package.json before any code runs —
// identity and gallery fields, the icon, engines, capabilities, and the consistency of commands,
// menus and keybindings (the integration suite checks the registered side at run time).
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { REPO_ROOT } from './helpers/spec.ts';
import { manifest } from './helpers/manifest.ts';

/** The Marketplace's categories (vscode's extensionsRegistry schema enum). */
const MARKETPLACE_CATEGORIES = [
  'AI', 'Azure', 'Chat', 'Data Science', 'Debuggers', 'Education', 'Extension Packs', 'Formatters', 'Keymaps',
  'Language Packs', 'Linters', 'Machine Learning', 'Notebooks', 'Other', 'Programming Languages', 'SCM Providers',
  'Snippets', 'Testing', 'Themes', 'Visualization',
];

/** Width and height from a PNG's IHDR chunk. */
function pngSize(file: string): { width: number; height: number } {
  const bytes = readFileSync(file);
  assert.equal(bytes.subarray(0, 8).toString('hex'), '89504e470d0a1a0a', `${file} is not a PNG`);
  assert.equal(bytes.subarray(12, 16).toString('latin1'), 'IHDR');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/** "^1.101.0" → [1, 101]. */
function minorOf(range: string): [number, number] {
  const m = /(\d+)\.(\d+)/.exec(range);
  assert.ok(m, `no version in ${range}`);
  return [Number(m[1]), Number(m[2])];
}
const atLeast = (a: [number, number], b: [number, number]) => a[0] > b[0] || (a[0] === b[0] && a[1] >= b[1]);

describe('package.json: Marketplace identity', () => {
  it('has a 128×128 PNG icon that is shipped', () => {
    assert.ok(manifest.icon, 'icon');
    assert.match(manifest.icon, /\.png$/, 'the Marketplace refuses SVG icons');
    const file = path.join(REPO_ROOT, manifest.icon);
    assert.ok(existsSync(file), `${manifest.icon} exists`);
    assert.deepEqual(pngSize(file), { width: 128, height: 128 });
    assert.ok(manifest.icon.startsWith('media/'), 'under media/, which .vscodeignore ships');
  });

  it('has a gallery banner, valid categories, and repository / bugs / homepage links', () => {
    assert.match(manifest.galleryBanner?.color ?? '', /^#[0-9a-fA-F]{6}$/);
    assert.ok(['dark', 'light'].includes(manifest.galleryBanner?.theme ?? ''), 'galleryBanner.theme is dark or light');
    assert.ok((manifest.categories ?? []).length > 0);
    for (const c of manifest.categories ?? []) assert.ok(MARKETPLACE_CATEGORIES.includes(c), `not a Marketplace category: ${c}`);
    const url = (v: { url?: string } | string | undefined) => (typeof v === 'string' ? v : v?.url) ?? '';
    assert.match(url(manifest.repository), /^https:\/\//);
    assert.match(url(manifest.bugs), /^https:\/\//);
    assert.match(manifest.homepage ?? '', /^https:\/\//);
  });

  it('builds for production before packaging (vscode:prepublish)', () => {
    assert.equal(manifest.scripts['vscode:prepublish'], 'npm run build -- --production');
    assert.doesNotMatch(manifest.scripts['package'] ?? '', /build/, 'vsce runs vscode:prepublish itself; building twice is waste');
  });
});

describe('package.json: where and on what it runs', () => {
  it('engines.vscode is honest about the Node its dependencies need (ky 2: Node 22 = VS Code 1.101)', () => {
    const engine = minorOf(manifest.engines.vscode);
    assert.ok(atLeast(engine, [1, 101]), `engines.vscode ${manifest.engines.vscode} allows a VS Code whose Node is older than 22`);
    const types = manifest.devDependencies['@types/vscode'];
    assert.ok(types, '@types/vscode');
    assert.ok(atLeast(engine, minorOf(types)), `@types/vscode ${types} is newer than engines.vscode ${manifest.engines.vscode} (vsce refuses)`);
    assert.ok(manifest.dependencies['ky']?.startsWith('2.'), 'ky 2 is the reason for the floor; revisit when it changes');
  });

  it('prefers the local machine in remote windows (keys, drafts and requests stay local) and can run remotely', () => {
    assert.deepEqual(manifest.extensionKind, ['ui', 'workspace']);
  });

  it('runs in Restricted Mode (limited) and in virtual workspaces', () => {
    const untrusted = manifest.capabilities?.untrustedWorkspaces;
    assert.equal(untrusted?.supported, 'limited');
    assert.ok((untrusted?.description ?? '').length > 20, 'limited support needs a description');
    assert.ok((untrusted?.restrictedConfigurations ?? []).length > 0);
    const virtual = manifest.capabilities?.virtualWorkspaces;
    assert.ok(virtual === true || (typeof virtual === 'object' && virtual.supported !== false), 'virtualWorkspaces');
  });

  it('activates lazily (never on *)', () => {
    assert.ok(!(manifest.activationEvents ?? []).includes('*'));
  });
});
