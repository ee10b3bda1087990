// Browser entry of the custom editor: wires the VS Code webview API to the App and performs the
// handshake (`ready`, then the host sends `init`).
import './styles.css';
import type { WebviewMessage } from '../shared/editorProtocol.ts';
import { App } from './app.ts';

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

// Read while this script runs: `currentScript` is null afterwards, and the `nonce` attribute is
// hidden from the DOM once the page has loaded (the property keeps it).
const nonce = document.currentScript?.nonce || document.querySelector<HTMLScriptElement>('script[nonce]')?.nonce || undefined;
const vscodeApi = acquireVsCodeApi();
const root = document.createElement('div');
root.className = 'app';
document.body.append(root);
const app = new App(root, vscodeApi, nonce);
// VS Code delivers the host's messages as `message` events on the window.
window.addEventListener('message', (event: MessageEvent<unknown>) => app.receive(event.data));
vscodeApi.postMessage({ type: 'ready' });
