// Runs the real webview bundle (dist/webview.js) in headless Chromium, in the real HTML shell
// (webviewHtml(), strict CSP with a nonce) served from 127.0.0.1, with a stand-in for VS Code's
// `acquireVsCodeApi` and a stand-in host that speaks the editor protocol: it answers `ready` with
// `init`, applies `edit`s to its text with jsonc-parser `modify` (as the real host does) and echoes
// the new text as `document`.
import { after, before } from 'node:test';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { applyEdits, modify } from 'jsonc-parser';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import {
  parseWebviewMessage, type EditMessage, type HostMessage, type InitMessage, type WebviewMessage,
} from '../../src/shared/editorProtocol.ts';
import { makeNonce, webviewHtml } from '../../src/shared/webviewHtml.ts';
import { DARK_THEME, type ThemeFixture } from './fixtures.ts';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const RESULTS = join(REPO_ROOT, 'test-results');

declare global {
  interface Window {
    __xss?: unknown;
    __cspViolations: string[];
    __vscodePost(message: unknown): Promise<void>;
    acquireVsCodeApi(): { postMessage(message: unknown): void; getState(): unknown; setState(state: unknown): void };
  }
}

/** `node esbuild.mjs`: the same bundle `npm run build` makes. */
export function buildBundle(): void {
  const result = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`node esbuild.mjs failed (exit ${result.status}):\n${result.stderr}`);
}

export async function launchChromium(): Promise<Browser> {
  // Typed by hand: the provisioning script is plain JavaScript.
  const provision = (await import(pathToFileURL(join(REPO_ROOT, 'scripts/vscode/provision.mjs')).href)) as { requireChromium(): string };
  return chromium.launch({
    executablePath: provision.requireChromium(),
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--no-first-run'],
  });
}

const ASSETS: Readonly<Record<string, string>> = {
  '/dist/webview.js': 'text/javascript',
  '/dist/webview.css': 'text/css',
  '/dist/webview.js.map': 'application/json',
  '/dist/webview.css.map': 'application/json',
};

/** Serves the shell (`/?title=…`, a fresh nonce each time) and the bundle, on 127.0.0.1 only. */
export async function startPageServer(): Promise<{ origin: string; close(): Promise<void> }> {
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    if (url.pathname === '/') {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      response.end(webviewHtml({
        cspSource: origin,
        nonce: makeNonce(),
        scriptUri: `${origin}/dist/webview.js`,
        styleUri: `${origin}/dist/webview.css`,
        title: url.searchParams.get('title') ?? 'Source',
      }));
      return;
    }
    const type = ASSETS[url.pathname];
    if (!type) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': type });
    response.end(readFileSync(join(REPO_ROOT, url.pathname)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export interface OpenOptions {
  /** The `?title=` of the served page (the shell's <title>). */
  readonly pageTitle?: string;
  /** Echo edits back as `document` (default true). */
  readonly echo?: boolean;
  /** The theme VS Code would hand the page (default: Dark Modern's colours, no body class). */
  readonly theme?: ThemeFixture;
}

/** One webview page and the stand-in host on the other side of its messages. */
export class WebviewHarness {
  readonly page: Page;
  readonly #context: BrowserContext;
  /** Every protocol-valid message the webview posted, in order. */
  readonly posted: WebviewMessage[] = [];
  /** Messages that failed parseWebviewMessage: always a bug. */
  readonly invalid: { message: unknown; error: string }[] = [];
  readonly pageErrors: string[] = [];
  readonly consoleWarnings: string[] = [];
  text: string;
  echo: boolean;
  readonly #init: InitMessage;

  private constructor(context: BrowserContext, page: Page, init: InitMessage, echo: boolean) {
    this.#context = context;
    this.page = page;
    this.#init = init;
    this.text = init.text;
    this.echo = echo;
  }

  static async open(browser: Browser, origin: string, init: InitMessage, options: OpenOptions = {}): Promise<WebviewHarness> {
    const context = await browser.newContext({ viewport: { width: 1000, height: 900 } });
    context.setDefaultTimeout(5_000);
    const page = await context.newPage();
    const harness = new WebviewHarness(context, page, init, options.echo ?? true);
    page.on('pageerror', (error) => harness.pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'warning' || message.type() === 'error') harness.consoleWarnings.push(message.text());
    });
    await page.exposeFunction('__vscodePost', (message: unknown) => harness.#receive(message));
    await page.addInitScript(({ theme, kind }: { theme: Record<string, string>; kind: string | undefined }) => {
      window.__cspViolations = [];
      document.addEventListener('securitypolicyviolation', (e) => {
        window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI} (${e.sourceFile}:${e.lineNumber})`);
      });
      // What VS Code injects: the API object, and the theme as variables on <html>.
      window.acquireVsCodeApi = () => ({ postMessage: (m: unknown) => void window.__vscodePost(m), getState: () => undefined, setState: () => undefined });
      const applyTheme = () => {
        for (const [name, value] of Object.entries(theme)) document.documentElement.style.setProperty(`--vscode-${name}`, value);
      };
      if (document.documentElement) applyTheme();
      else document.addEventListener('readystatechange', applyTheme, { once: true });
      // …and the theme's kind as a class and data attribute on <body>.
      if (kind) {
        document.addEventListener('DOMContentLoaded', () => {
          document.body.classList.add(kind);
          document.body.dataset['vscodeThemeKind'] = kind;
        }, { once: true });
      }
    }, { theme: options.theme?.variables ?? DARK_THEME, kind: options.theme?.kind });
    const url = new URL(origin);
    if (options.pageTitle !== undefined) url.searchParams.set('title', options.pageTitle);
    await page.goto(url.href);
    await page.locator('.toolbar h1').waitFor({ timeout: 10_000 });
    return harness;
  }

  async #receive(raw: unknown): Promise<void> {
    const parsed = parseWebviewMessage(raw);
    if (!parsed.ok) {
      this.invalid.push({ message: raw, error: parsed.error });
      return;
    }
    const message = parsed.message;
    this.posted.push(message);
    if (message.type === 'ready') await this.post({ ...this.#init, text: this.text });
    if (message.type === 'edit' && this.echo) {
      this.text = applyEdits(this.text, modify(this.text, message.path, message.remove ? undefined : message.value, {
        formattingOptions: { insertSpaces: true, tabSize: 2, eol: '\n' },
      }));
      await this.post({ type: 'document', text: this.text });
    }
  }

  /**
   * Delivers a host message the way VS Code does, as a `message` event on the webview's window, and
   * returns once the webview has handled it (its listener was added first, so it runs first).
   */
  async post(message: HostMessage): Promise<void> {
    await this.page.evaluate((m) => new Promise<void>((resolve) => {
      window.addEventListener('message', () => resolve(), { once: true });
      window.postMessage(m, '*');
    }), message);
  }

  /** Sets the host's text and sends it (an undo, a text-editor edit, a revert). */
  async setText(text: string): Promise<void> {
    this.text = text;
    await this.post({ type: 'document', text });
  }

  get document(): Record<string, unknown> {
    return JSON.parse(this.text) as Record<string, unknown>;
  }

  edits(): EditMessage[] {
    return this.posted.filter((m): m is EditMessage => m.type === 'edit');
  }

  /** Waits until `predicate` holds for a posted message; returns that message. */
  async waitForPosted<T extends WebviewMessage>(predicate: (m: WebviewMessage) => m is T, timeoutMs?: number): Promise<T>;
  async waitForPosted(predicate: (m: WebviewMessage) => boolean, timeoutMs?: number): Promise<WebviewMessage>;
  async waitForPosted(predicate: (m: WebviewMessage) => boolean, timeoutMs = 3_000): Promise<WebviewMessage> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.posted.find(predicate);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`No matching message within ${timeoutMs} ms; posted: ${JSON.stringify(this.posted)}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  async cspViolations(): Promise<string[]> {
    return this.page.evaluate(() => window.__cspViolations);
  }

  async screenshot(name: string): Promise<void> {
    mkdirSync(RESULTS, { recursive: true });
    await this.page.screenshot({ path: join(RESULTS, `webview-${name}.png`), fullPage: true });
  }

  async close(): Promise<void> {
    await this.#context.close();
  }
}

/**
 * The setup every browser test file shares: the bundle built once, a page server and Chromium for
 * the file's tests, both closed after them. Call at the top level of a test file.
 */
export function browserSuite(): { readonly browser: () => Browser; readonly origin: () => string } {
  let browser: Browser | undefined;
  let server: Awaited<ReturnType<typeof startPageServer>> | undefined;
  before(async () => {
    buildBundle();
    server = await startPageServer();
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });
  return {
    browser: () => { if (!browser) throw new Error('the browser is not started yet'); return browser; },
    origin: () => { if (!server) throw new Error('the page server is not started yet'); return server.origin; },
  };
}
