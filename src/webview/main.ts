// Browser side of the custom editor. The editor itself arrives with the editor feature; this
// entry only performs the handshake every webview of this extension starts with.
interface VsCodeApi {
  postMessage(message: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscodeApi = acquireVsCodeApi();
vscodeApi.postMessage({ type: 'ready' });
