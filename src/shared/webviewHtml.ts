// The custom editor's HTML page: a strict Content Security Policy with a per-load nonce, the
// stylesheet and the script bundle, nothing inline. Pure: the host passes in the webview's
// `cspSource` and resource URIs as strings.

export interface WebviewHtmlOptions {
  /** `webview.cspSource` */
  readonly cspSource: string;
  /** From makeNonce(); a fresh one for every page. */
  readonly nonce: string;
  readonly scriptUri: string;
  readonly styleUri: string;
  /** Server data (the source's name): escaped like everything else. */
  readonly title: string;
}

const NONCE_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** 32 base64url characters (192 bits) from the platform's CSPRNG (Node 20+ and browsers). */
export function makeNonce(): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(32));
  // 256 is a multiple of 64, so `byte % 64` keeps every character equally likely.
  return Array.from(bytes, (b) => NONCE_ALPHABET[b % 64]).join('');
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  // Escaping protects the HTML, not the policy: a `;` or `,` in the source list would add directives.
  if (!/^[^;,\s]+(?: [^;,\s]+)*$/.test(cspSource)) throw new Error(`Unexpected webview cspSource: ${cspSource}`);
  if (!/^[A-Za-z0-9+/_-]+=*$/.test(nonce)) throw new Error('A CSP nonce must be base64 or base64url.');
  return [
    "default-src 'none'",
    `img-src ${cspSource} data:`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `font-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ') + ';';
}

export function webviewHtml(options: WebviewHtmlOptions): string {
  const { cspSource, nonce, scriptUri, styleUri, title } = options;
  const e = escapeHtml;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${e(contentSecurityPolicy(cspSource, nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${e(styleUri)}" nonce="${e(nonce)}">
<title>${e(title)}</title>
</head>
<body>
<noscript>This editor needs JavaScript. Reopen the source with the text editor instead.</noscript>
<script nonce="${e(nonce)}" src="${e(scriptUri)}"></script>
</body>
</html>
`;
}
