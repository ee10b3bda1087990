// Manifest hygiene: what the Marketplace and VS Code read from package.json before any code runs —
// identity and gallery fields, the icon, engines, capabilities, and the consistency of commands,
// menus and keybindings (the integration suite checks the registered side at run time).
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { Commands, EDITOR_VIEW_TYPE } from '../../src/constants.ts';
import { KindIds, descriptor } from '../../src/core/kinds.ts';
import { schemaFiles } from '../../src/core/jsonSchema.ts';
import { JSON_SUFFIX, KIND_FOLDERS } from '../../src/core/sourceFiles.ts';
import { REPO_ROOT } from './helpers/spec.ts';
import { manifest } from './helpers/manifest.ts';
import { parseWhen } from './helpers/whenClause.ts';

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

describe('package.json: JSON IntelliSense for source documents', () => {
  // The manifest cannot be generated from KINDS, so a new kind fails here until it has its entry.
  it('one jsonValidation entry per kind, matching its document paths (one segment per identity field)', () => {
    const entries = (manifest.contributes.jsonValidation ?? []).filter((e) => String(e.fileMatch).startsWith('statsig://'));
    const expected = KindIds.map((kind) => ({
      fileMatch: `statsig://*/${kind}/${descriptor(kind).addressing.identityFields.map(() => '*').join('/')}.json`,
      url: `./dist/schemas/${kind}.schema.json`,
    }));
    assert.deepEqual(entries, expected);
  });

  it('one entry per kind folder of the sources folder, for its .source.json files (ingestion: <type>/<dataset>/)', () => {
    const entries = (manifest.contributes.jsonValidation ?? []).filter((e) => !String(e.fileMatch).startsWith('statsig://'));
    const expected = KindIds.map((kind) => ({
      fileMatch: `**/${KIND_FOLDERS[kind]}/${descriptor(kind).addressing.identityFields.map(() => '*').join('/')}${JSON_SUFFIX}`,
      url: `./dist/schemas/${kind}.source.schema.json`,
    }));
    assert.deepEqual(entries, expected);
  });

  it('every schema a jsonValidation entry names is one the build writes; a built one matches its generator', () => {
    const generated = schemaFiles();
    for (const entry of manifest.contributes.jsonValidation ?? []) {
      const file = entry.url.replace('./dist/schemas/', '');
      const text = generated[file];
      assert.ok(text, `${entry.url} is not written by esbuild.mjs (core/jsonSchema.ts schemaFiles)`);
      const schema = JSON.parse(text) as { properties?: Record<string, unknown>; required?: string[] };
      assert.ok(schema.properties && Object.keys(schema.properties).length > 3, entry.url);
      if (file.endsWith('.source.schema.json')) assert.ok(!(schema.required ?? []).some((f) => f === 'sql' || f === 'query'), `${file} requires the SQL, which is the .sql file`);
      const built = path.join(REPO_ROOT, 'dist/schemas', file);
      if (existsSync(built)) assert.equal(readFileSync(built, 'utf8'), text, `${built} is stale: npm run build`);
    }
  });
});

/** Commands that ask something before they act (an input, a pick or a modal): their titles end in "…". */
const PROMPTING = new Set([
  Commands.setApiKey, Commands.signOut, Commands.renameProject, Commands.setDialect, Commands.filter,
  Commands.push, Commands.pushReviewed, Commands.merge, Commands.discard, Commands.delete, Commands.newSource, Commands.recreate,
  Commands.pushAll, Commands.showPushHistory, Commands.goToSource, Commands.pullToWorkspace,
]);

/**
 * Default VS Code keybindings that hold in our editor too (no `when`, or one true in a webview), so
 * an extension binding on the same keys would shadow them. Windows/Linux and macOS.
 */
const GLOBAL_DEFAULT_KEYS = [
  'f1', 'ctrl+s', 'ctrl+shift+s', 'ctrl+p', 'ctrl+shift+p', 'ctrl+n', 'ctrl+o', 'ctrl+w', 'ctrl+tab', 'ctrl+,',
  'ctrl+alt+r', 'ctrl+alt+-', 'ctrl+alt+left', 'ctrl+alt+right', 'shift+alt+r',
  'cmd+s', 'cmd+shift+s', 'cmd+p', 'cmd+shift+p', 'cmd+n', 'cmd+o', 'cmd+w', 'cmd+,', 'cmd+alt+r', 'cmd+alt+left', 'cmd+alt+right',
];
const normaliseKey = (key: string) => key.toLowerCase().split('+').sort().join('+');

/**
 * Commands bound everywhere, not only in the source editor (Go to Source, as Go to File). Their keys
 * must be free in every context: besides the keys above, these defaults of VS Code 1.139 hold on
 * the alternatives a person would first think of (Ctrl+Alt+O is Show Remote Menu, Cmd+Alt+O Toggle
 * Overtype; Ctrl+P and Ctrl+T are Go to File and Go to Symbol in Workspace).
 */
const EVERYWHERE = new Set<string>([Commands.goToSource]);
const MORE_DEFAULT_KEYS = ['ctrl+alt+o', 'cmd+alt+o', 'ctrl+t', 'cmd+t', 'ctrl+shift+o', 'cmd+shift+o', 'ctrl+e', 'cmd+e'];

describe('package.json: commands, menus and keybindings', () => {
  const commands = manifest.contributes.commands;
  const declared = new Set(commands.map((c) => c.command));
  const menus = manifest.contributes.menus;
  const menuEntries = Object.entries(menus).flatMap(([menu, items]) => items.map((item) => ({ menu, ...item })));

  it('declares exactly the commands in src/constants.ts, once each, under one category', () => {
    assert.deepEqual([...declared].sort(), Object.values(Commands).sort());
    assert.equal(declared.size, commands.length, 'a command is declared twice');
    for (const c of commands) {
      assert.equal(c.category, 'Statsig WHN', `${c.command}: category`);
      assert.ok(c.title.trim().length > 0, `${c.command}: title`);
    }
  });

  it('titles end in "…" exactly for the commands that ask before acting', () => {
    const wrong = commands.filter((c) => c.title.endsWith('…') !== PROMPTING.has(c.command as typeof Commands.push))
      .map((c) => `${c.command}: "${c.title}"`);
    assert.deepEqual(wrong, []);
    assert.ok(commands.every((c) => !c.title.endsWith('...')), 'use the ellipsis character, not three dots');
  });

  it('every menu and palette entry names a declared command, at most once per menu and when clause', () => {
    const unknown = menuEntries.filter((m) => m.command && !declared.has(m.command)).map((m) => `${m.menu}: ${m.command}`);
    assert.deepEqual(unknown, []);
    const seen = new Set<string>();
    for (const m of menuEntries) {
      const id = `${m.menu}|${m.command}|${m.when}|${m.group}`;
      assert.ok(!seen.has(id), `duplicate menu entry ${id}`);
      seen.add(id);
    }
    const palette = (menus['commandPalette'] ?? []).map((m) => m.command);
    assert.equal(new Set(palette).size, palette.length, 'a command has two commandPalette entries (VS Code uses one)');
  });

  it('every command can be reached: in the palette, or (hidden there) from a menu', () => {
    const hiddenFromPalette = new Set((menus['commandPalette'] ?? []).filter((m) => m.when === 'false').map((m) => m.command));
    const inOtherMenus = new Set(menuEntries.filter((m) => m.menu !== 'commandPalette').map((m) => m.command));
    const unreachable = commands.filter((c) => hiddenFromPalette.has(c.command) && !inOtherMenus.has(c.command)).map((c) => c.command);
    assert.deepEqual(unreachable, []);
  });

  it('buttons in title bars and inline tree actions have an icon (otherwise VS Code shows the title as text)', () => {
    const byId = new Map(commands.map((c) => [c.command, c]));
    const iconless = menuEntries
      .filter((m) => (m.group ?? '').startsWith('navigation') || (m.group ?? '').startsWith('inline'))
      .filter((m) => m.command && !byId.get(m.command)?.icon)
      .map((m) => `${m.menu}: ${m.command}`);
    assert.deepEqual(iconless, []);
  });

  it('keybindings name declared commands, are scoped by a when clause and shadow no global default', () => {
    const keybindings = manifest.contributes.keybindings ?? [];
    assert.ok(keybindings.some((k) => k.command === Commands.push), 'Push has a keybinding');
    assert.ok(keybindings.some((k) => k.command === Commands.validate), 'Validate has a keybinding');
    assert.ok(keybindings.some((k) => k.command === Commands.goToSource && k.when === undefined), 'Go to Source has a keybinding that works everywhere');
    const taken = new Set(GLOBAL_DEFAULT_KEYS.map(normaliseKey));
    const takenEverywhere = new Set([...GLOBAL_DEFAULT_KEYS, ...MORE_DEFAULT_KEYS].map(normaliseKey));
    const seen = new Set<string>();
    for (const k of keybindings) {
      assert.ok(declared.has(k.command), `keybinding for an undeclared command: ${k.command}`);
      if (EVERYWHERE.has(k.command)) {
        for (const key of [k.key, k.mac]) assert.ok(key && !takenEverywhere.has(normaliseKey(key)), `${k.command}: ${key ?? '(none)'} shadows a default VS Code keybinding`);
      } else assert.ok(k.when?.includes(EDITOR_VIEW_TYPE), `${k.command}: keybinding not scoped to the source editor`);
      // The same key on every platform (Format SQL's Shift+Alt+F, as VS Code's Format Document) is one binding.
      for (const key of new Set([k.key, k.mac].filter((x): x is string => x !== undefined))) {
        assert.match(key, /^((ctrl|shift|alt|cmd|meta|win)\+)*[a-z0-9\-=[\];',./`\\]+$|^((ctrl|shift|alt|cmd|meta|win)\+)*(enter|escape|tab|space|backspace|delete|f\d{1,2}|up|down|left|right|home|end|pageup|pagedown)$/, `${k.command}: key "${key}"`);
        assert.ok(!taken.has(normaliseKey(key)), `${k.command}: ${key} shadows a default VS Code keybinding`);
        const id = `${normaliseKey(key)}|${k.when}`;
        assert.ok(!seen.has(id), `${key} is bound twice in the same context`);
        seen.add(id);
      }
      assert.ok(k.mac, `${k.command}: no macOS key (ctrl+alt on a Mac is rarely what a Mac user expects)`);
    }
  });

  it('Format SQL: Shift+Alt+F in the source editor but not over the side bar\'s or panel\'s own (Find in Folder); in the palette only there', () => {
    const binding = (manifest.contributes.keybindings ?? []).find((k) => k.command === Commands.formatSql);
    assert.deepEqual([binding?.key, binding?.mac], ['shift+alt+f', 'shift+alt+f']);
    const when = parseWhen(binding?.when ?? '').expr;
    assert.ok(when, binding?.when);
    const keys = JSON.stringify(when);
    for (const focus of ['sideBarFocus', 'panelFocus', 'auxiliaryBarFocus']) assert.ok(keys.includes(`{"type":"notHas","key":"${focus}"}`), `${focus} excluded: ${binding?.when}`);
    assert.deepEqual(menus.commandPalette?.filter((m) => m.command === Commands.formatSql), [{ command: Commands.formatSql, when: `activeCustomEditorId == ${EDITOR_VIEW_TYPE}` }]);
  });
});

describe('package.json: the walkthrough', () => {
  const walkthroughs = manifest.contributes.walkthroughs ?? [];
  const declared = new Set(manifest.contributes.commands.map((c) => c.command));
  const views = new Set(Object.values(manifest.contributes.views).flat().map((v) => v.id));

  it('goes Connect → Browse → Edit and Save → Push', () => {
    assert.equal(walkthroughs.length, 1);
    assert.deepEqual(walkthroughs[0]?.steps.map((s) => s.id), ['connect', 'browse', 'editAndSave', 'push']);
  });

  it('every step has an image that exists (and is shipped), alt text, and completion events that can fire', () => {
    for (const step of walkthroughs.flatMap((w) => w.steps)) {
      const image = step.media.svg ?? (typeof step.media.image === 'string' ? step.media.image : undefined);
      assert.ok(image, `${step.id}: an image`);
      assert.ok(image.startsWith('media/') && existsSync(path.join(REPO_ROOT, image)), `${step.id}: ${image} exists under media/`);
      assert.ok((step.media.altText ?? '').length > 10, `${step.id}: alt text`);
      assert.ok((step.completionEvents ?? []).length > 0, `${step.id}: completion events`);
      for (const event of step.completionEvents ?? []) {
        const [kind, arg = ''] = event.split(/:(.*)/s);
        if (kind === 'onCommand') assert.ok(declared.has(arg) || arg.startsWith('workbench.'), `${step.id}: ${event} names no command`);
        else if (kind === 'onView') assert.ok(views.has(arg), `${step.id}: ${event} names no view`);
        else if (kind === 'onContext') assert.ok(parseWhen(arg).expr, `${step.id}: ${event} does not parse`);
        else assert.fail(`${step.id}: unexpected completion event ${event}`);
      }
    }
  });

  it('command links in step descriptions name declared commands (or a view\'s focus command)', () => {
    for (const step of walkthroughs.flatMap((w) => w.steps)) {
      for (const [, id = ''] of step.description.matchAll(/\(command:([\w.]+)/g)) {
        assert.ok(declared.has(id) || views.has(id.replace(/\.focus$/, '')), `${step.id}: command:${id}`);
      }
    }
  });
});

describe('packaging: .vscodeignore and the README', () => {
  const ignore = readFileSync(path.join(REPO_ROOT, '.vscodeignore'), 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  const shipped = ignore.filter((l) => l.startsWith('!')).map((l) => l.slice(1));

  /** vsce's reading of a pattern (minimatch, dot files included), enough for the patterns we use. */
  const escape = (text: string) => text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  const globToRegExp = (glob: string) => new RegExp(`^${glob.split('**').map((part) => part.split('*').map(escape).join('[^/]*')).join('.*')}$`);
  const isShipped = (file: string) => shipped.some((p) => globToRegExp(p).test(file));
  const filesUnder = (dir: string): string[] => readdirSync(path.join(REPO_ROOT, dir), { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? filesUnder(`${dir}/${e.name}`) : [`${dir}/${e.name}`]));

  it('.vscodeignore is an allowlist: everything out, then the bundle, media and user documents back in', () => {
    assert.equal(ignore[0], '**');
    for (const p of shipped) {
      assert.ok(/^(dist\/|media\/)/.test(p) || ['package.json', 'README.md', 'CHANGELOG.md', 'LICENSE'].includes(p), `ships ${p}`);
    }
    for (const file of ['dist/main.cjs', 'dist/schemas/metricSource.schema.json', 'dist/sqlparser_rs_wasm_bg.wasm', 'package.json', 'README.md', 'LICENSE']) assert.ok(isShipped(file), `does not ship ${file}`);
    for (const file of ['CONTRIBUTING.md', 'docs/decisions.md', 'docs/art/icon.svg', 'src/extension.ts', 'test/unit/manifest.test.ts', 'node_modules/ky/package.json', 'dist/main.cjs.map']) {
      assert.ok(!isShipped(file), `would ship ${file}`);
    }
  });

  it('ships every file under media/ except the README screenshots', () => {
    const media = filesUnder('media');
    assert.ok(media.length > 0);
    const wrong = media.filter((f) => isShipped(f) === f.startsWith('media/screenshots/'));
    assert.deepEqual(wrong, [], 'media files shipped or left out by mistake (adjust .vscodeignore)');
    assert.ok(manifest.icon && isShipped(manifest.icon), 'the icon ships');
  });

  it('the README keeps the two quick-start commands and links the developer material', () => {
    const readme = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
    assert.ok(readme.includes('npm ci && npm run demo'), 'npm ci && npm run demo');
    assert.ok(readme.includes('npm ci && npm test'), 'npm ci && npm test');
    assert.ok(readme.includes('CONTRIBUTING.md') && existsSync(path.join(REPO_ROOT, 'CONTRIBUTING.md')));
    for (const [, target = ''] of readme.matchAll(/\]\(((?!https?:|#)[^)#\s]+)/g)) {
      assert.ok(existsSync(path.join(REPO_ROOT, target)), `README links to missing ${target}`);
    }
  });
});
