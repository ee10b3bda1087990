// The SQL editor's host side in the real extension host: the typing analysis answers in the
// project's dialect (Set SQL Dialect…) with exact spans, loading the parser from the extension's
// dist/ on first use, and the editor is sent the SQL vocabulary with the tables and columns of the
// project's other sources as the Sources tree listed them. The webview is replaced by a stand-in
// panel that records what the provider posts and delivers what the page would send.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TestingApi } from '../../src/main.ts';
import { KindIds } from '../../src/core/kinds.ts';
import { parseHostMessage, type HostMessage, type SqlAnalysisMessage, type SuggestionsMessage, type WebviewMessage } from '../../src/shared/editorProtocol.ts';
import { connectEmulatorOnly, disconnect, testingApi, until } from './helpers.ts';

let api: TestingApi;
let projectId: string;

const sourceUri = (kind: string, name: string) => vscode.Uri.from({ scheme: 'statsig', authority: projectId, path: `/${kind}/${encodeURIComponent(name)}.json` });

/** A webview panel without a page: what the provider posts, and a way to send it what the page would. */
function standInPanel() {
  const received = new vscode.EventEmitter<unknown>();
  const disposed = new vscode.EventEmitter<void>();
  const posted: HostMessage[] = [];
  const webview = {
    options: {}, html: '', cspSource: 'vscode-webview:',
    asWebviewUri: (uri: vscode.Uri) => uri,
    postMessage: (message: unknown) => {
      const parsed = parseHostMessage(message);
      assert.ok(parsed.ok, `the provider posted an invalid message: ${JSON.stringify(message)}`);
      posted.push(parsed.message);
      return Promise.resolve(true);
    },
    onDidReceiveMessage: received.event,
  };
  const panel = { webview, onDidDispose: disposed.event } as unknown as vscode.WebviewPanel;
  return {
    panel, posted,
    send: (message: WebviewMessage) => received.fire(message),
    dispose: () => {
      disposed.fire();
      received.dispose();
      disposed.dispose();
    },
  };
}


suite('The SQL editor\'s typing analysis and completions (host side)', () => {
  suiteSetup(async () => {
    api = await testingApi();
    projectId = await connectEmulatorOnly(api);
  });

  suiteTeardown(async () => {
    await api.store.setDialect(api.connections.baseUrl, projectId, undefined);
    await disconnect(api, projectId);
  });

  test('answers the SQL as typed in the project\'s dialect, with exact spans and the output columns', async () => {
    const uri = sourceUri('metricSource', 'app_events');
    const document = await vscode.workspace.openTextDocument(uri);
    const stand = standInPanel();
    try {
      await api.editor.resolveCustomTextEditor(document, stand.panel);
      const answerTo = async (seq: number, sql: string) => {
        stand.send({ type: 'analyzeSql', seq, sql });
        return until(`the answer to ${seq}`, () => stand.posted.find((m): m is SqlAnalysisMessage => m.type === 'sqlAnalysis' && m.seq === seq), { tries: 200, everyMs: 25 });
      };
      const typo = 'SELECT user_id, event_ts\nFORM analytics.events';
      const first = await answerTo(1, typo);
      const error = first.problems.find((p) => p.severity === 'error');
      assert.ok(error, JSON.stringify(first));
      assert.equal(typo.slice(error.from, error.to), 'FORM');
      assert.match(error.message, /did you mean FROM\?/);

      const ok = await answerTo(2, 'SELECT user_id, event_ts AS ts, {statsig_start_date} AS d FROM analytics.events');
      assert.deepEqual(ok.problems, []);
      assert.deepEqual(ok.columns?.map((c) => c.name), ['user_id', 'ts', 'd']);
      assert.equal(ok.columns?.[1]?.expression, 'event_ts');
      assert.equal(ok.complete, true);

      // BigQuery-only syntax: an error in Snowflake (the default), none once the project is BigQuery.
      const bigQueryOnly = 'SELECT * EXCEPT (stable_id) FROM analytics.events';
      assert.ok((await answerTo(3, bigQueryOnly)).problems.some((p) => p.severity === 'error'), 'Snowflake has no SELECT * EXCEPT (…)');
      await api.store.setDialect(api.connections.baseUrl, projectId, 'bigquery');
      await api.connections.reload();
      assert.deepEqual((await answerTo(4, bigQueryOnly)).problems.filter((p) => p.severity === 'error'), []);
    } finally {
      await api.store.setDialect(api.connections.baseUrl, projectId, undefined);
      await api.connections.reload();
      stand.dispose();
    }
  });

  test('sends the vocabulary: keywords, functions, macros, and the other sources\' tables and columns', async () => {
    api.model.ensureLoaded(projectId);
    await until('the listing', () => KindIds.every((k) => api.model.state(projectId, k)?.status !== 'loading') && api.model.records(projectId, 'metricSource').length > 0);
    const uri = sourceUri('metricSource', 'app_events');
    const document = await vscode.workspace.openTextDocument(uri);
    const stand = standInPanel();
    try {
      await api.editor.resolveCustomTextEditor(document, stand.panel);
      stand.send({ type: 'ready' });
      const init = await until('init', () => stand.posted.find((m) => m.type === 'init'));
      assert.deepEqual(init.type === 'init' ? init.columnFields : undefined, [['timestampColumn'], ['datePartitionColumn'], ['idTypeMapping', '*', 'column']]);
      const suggestions = await until('the SQL vocabulary', () => stand.posted.find((m): m is SuggestionsMessage => m.type === 'suggestions' && m.sql !== undefined));
      const sql = suggestions.sql;
      assert.ok(sql);
      assert.ok(sql.keywords.includes('QUALIFY') && sql.functions.includes('IFF'), 'Snowflake\'s');
      assert.ok(sql.macros.some((m) => m.label === 'statsig_start_date' && /start of the analysis window/.test(m.detail ?? '')));
      assert.ok(sql.tables.length > 0 && sql.tables.every((t) => /^[\w.]+$/.test(t)), sql.tables.join());
      assert.ok(sql.columns.includes('user_id'), sql.columns.join());

      // Set SQL Dialect…: the open editor gets the new dialect's words.
      await api.store.setDialect(api.connections.baseUrl, projectId, 'bigquery');
      await api.connections.reload();
      await until('BigQuery\'s words', () => stand.posted.some((m) => m.type === 'suggestions' && m.sql?.functions.includes('SAFE_CAST') === true));
    } finally {
      await api.store.setDialect(api.connections.baseUrl, projectId, undefined);
      await api.connections.reload();
      stand.dispose();
    }
  });
});
