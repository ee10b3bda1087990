// Server text must never become a link or an icon in a notification, progress title, status bar or
// markdown tooltip: plainText breaks the syntax and keeps every visible character.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_NOTIFICATION_CHARS, plainText } from '../../src/core/plainText.ts';

/** What a notification, the status bar or markdown would still render as a link or an icon. */
const hasActiveSyntax = (text: string) => /\]\(|\$\(|<[a-z][a-z0-9+.-]*:/i.test(text);

const visible = (s: string) => s.replaceAll('\u200B', '');

test('command and web links in names and server messages are defused, their text kept', () => {
  for (const hostile of [
    '[x](command:statsigWhn.showLog)',
    '[Open](command:workbench.action.terminal.sendSequence?%7B%22text%22%3A%22rm%20-rf%20~%22%7D)',
    'Push failed: see [docs](https://evil.example/phish "title")',
    'a](command:x) nested [[y]](command:z)',
    '<command:statsigWhn.showLog>',
    '$(alert) spoofed icon',
  ]) {
    const out = plainText(hostile);
    assert.equal(hasActiveSyntax(out), false, out);
    assert.equal(visible(out), hostile, 'every visible character is kept');
  }
  assert.equal(hasActiveSyntax('[x](command:a)'), true, 'the detector itself notices a link');
});

test('ordinary text is unchanged; control characters go; very long text is bounded', () => {
  assert.equal(plainText('Pushed metric source "orders (v2)" in "Prod".'), 'Pushed metric source "orders (v2)" in "Prod".');
  assert.equal(plainText('line 1\nline 2\tx\u0000\u001b[31m'), 'line 1\nline 2\tx[31m');
  const long = 'a'.repeat(MAX_NOTIFICATION_CHARS * 50);
  assert.equal(plainText(long).length, MAX_NOTIFICATION_CHARS + 1);
  assert.equal(plainText(plainText('[a](command:b)')), plainText('[a](command:b)'), 'idempotent');
});
