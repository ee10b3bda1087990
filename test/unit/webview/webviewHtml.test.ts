import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { contentSecurityPolicy, escapeHtml, makeNonce, webviewHtml } from '../../../src/shared/webviewHtml.ts';

/** What a browser reads from an attribute value. */
const decode = (text: string) => text.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)));

const options = {
  cspSource: 'https://*.vscode-cdn.net',
  nonce: makeNonce(),
  scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview.js',
  styleUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview.css',
  title: 'orders',
};

describe('webview HTML', () => {
  it('makes 32-character base64url nonces that differ every time', () => {
    const nonces = new Set(Array.from({ length: 200 }, () => makeNonce()));
    assert.equal(nonces.size, 200);
    for (const nonce of nonces) assert.match(nonce, /^[A-Za-z0-9_-]{32}$/);
  });

  it('has a strict CSP: nothing by default, scripts only by nonce, no unsafe-inline or eval', () => {
    const html = webviewHtml(options);
    const attribute = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html)?.[1];
    assert.ok(attribute);
    const csp = decode(attribute);
    assert.equal(csp, contentSecurityPolicy(options.cspSource, options.nonce));
    assert.equal(csp,
      `default-src 'none'; img-src ${options.cspSource} data:; style-src ${options.cspSource} 'nonce-${options.nonce}'; ` +
      `font-src ${options.cspSource}; script-src 'nonce-${options.nonce}';`);
    assert.doesNotMatch(html, /unsafe-inline|unsafe-eval/);
  });

  it('loads the script with the nonce and the stylesheet from the webview resources', () => {
    const html = webviewHtml(options);
    assert.ok(html.includes(`<script nonce="${options.nonce}" src="${options.scriptUri}"></script>`));
    assert.ok(html.includes(`<link rel="stylesheet" href="${options.styleUri}"`));
    assert.equal(html.match(/<script/g)?.length, 1, 'no inline script');
    assert.doesNotMatch(html, /\son[a-z]+=/i, 'no inline handlers');
  });

  it('escapes every interpolated string', () => {
    const html = webviewHtml({
      ...options,
      title: '</title><script>window.__xss=1</script>',
      scriptUri: 'https://x/a.js"><script>alert(1)</script>',
      styleUri: "https://x/a.css' onload='alert(1)",
    });
    assert.equal(html.match(/<script/g)?.length, 1);
    assert.match(html, /<title>&#60;\/title&#62;&#60;script&#62;window.__xss=1&#60;\/script&#62;<\/title>/);
    assert.doesNotMatch(html, /' onload='/);
    assert.equal(escapeHtml(`<a href="x" title='y'>&</a>`), '&#60;a href=&#34;x&#34; title=&#39;y&#39;&#62;&#38;&#60;/a&#62;');
  });

  it('refuses a cspSource or nonce that would change the policy', () => {
    assert.throws(() => webviewHtml({ ...options, cspSource: "https://x; script-src 'unsafe-inline'" }), /cspSource/);
    assert.throws(() => webviewHtml({ ...options, cspSource: '' }), /cspSource/);
    assert.throws(() => webviewHtml({ ...options, nonce: "abc' 'unsafe-inline" }), /nonce/);
  });
});
