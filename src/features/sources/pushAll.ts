// Validate All and Push All: every draft of a project (or the selected ones) validated — local
// checks and Statsig's dry run — into one report; then, for Push All, one question (project, how
// many, creates vs updates) and the pushes at Statsig's rate limit with a cancellable progress.
// Each success settles its draft; each failure keeps its draft with Statsig's errors as
// diagnostics; a source changed on Statsig since its draft started is not pushed (merge it first);
// nothing is sent twice; a 429 is waited out (core/batch.ts).
import * as vscode from 'vscode';
import { Commands, SOURCE_SCHEME } from '../../constants.ts';
import { runBatch, type BatchOutcome } from '../../core/batch.ts';
import { renderReport, reportLines, type ReportEntry } from '../../core/batchReport.ts';
import type { Problem } from '../../core/document.ts';
import { parseDocument } from '../../core/document.ts';
import { contentHash, type Draft } from '../../core/draftFiles.ts';
import { AuthError, ForbiddenError, RateLimitedError, ValidationError, errorMessage } from '../../core/errors.ts';
import { descriptor, refLabel } from '../../core/kinds.ts';
import { projectIdFromAuthority, type Project } from '../../core/projects.ts';
import { decidePush } from '../../core/pushDecision.ts';
import type { PushMode } from '../../core/validation.ts';
import { clock, plural } from '../../shared/format.ts';
import { withProgress } from '../../platform/notify.ts';
import { projectIdOf } from '../projects/connections.ts';
import { parseSourceUri, sourceUriOf } from '../documents/uris.ts';
import type { CommandFactory, Services } from '../services.ts';
import { readRemote, sendPush, settlePushed, type PushTarget } from './pushSteps.ts';

/** Sources validated or pushed at once: the client's limiter paces the mutations; this hides round trips. */
const CONCURRENCY = 4;
/** A 429 without Retry-After is tried again after this long. */
const DEFAULT_RETRY_AFTER_MS = 1_000;

interface Checked {
  readonly uri: vscode.Uri;
  readonly label: string;
  /** The draft as validated (its content is what may be pushed). */
  readonly draft: Draft;
  readonly pass: boolean;
  readonly summary: string;
  readonly problems: readonly Problem[];
}

type Pushed =
  | { readonly status: 'pushed'; readonly mode: PushMode; readonly kept: boolean; readonly reread: string }
  | { readonly status: 'unchanged' | 'conflict' | 'rejected' | 'skipped'; readonly summary: string; readonly problems?: readonly Problem[] };

const stops = (error: unknown) => error instanceof AuthError || error instanceof ForbiddenError;
const retryAfterMs = (error: unknown) => (error instanceof RateLimitedError ? error.retryAfterMs ?? DEFAULT_RETRY_AFTER_MS : undefined);

/** Passing means push may send it: Statsig's dry run passed (or the kind has none and the local checks passed). */
function passes(draft: Draft, dryRunKind: boolean): boolean {
  const v = draft.validation;
  if (!v || v.contentHash !== contentHash(draft.content)) return false;
  return v.state === 'passed' || v.state === 'unchanged' || (!dryRunKind && v.state === 'unavailable');
}

/**
 * A validation of exactly this content that Push All need not run again: a pass, or a failure whose
 * problems this window still has for the report (a dry run costs one of Statsig's mutations).
 */
function settled(draft: Draft, dryRunKind: boolean, problemsKnown: number): boolean {
  const v = draft.validation;
  if (!v || v.contentHash !== contentHash(draft.content)) return false;
  if (passes(draft, dryRunKind)) return true;
  return (v.state === 'failed' || v.state === 'skipped') && problemsKnown > 0;
}

export const pushAllCommands: CommandFactory<typeof Commands.validateAll | typeof Commands.pushAll | typeof Commands.showBatchReport> = (services) => {
  const { connections, drafts, validator, model, log, prompts, reports } = services;
  /** Projects with a Validate All or Push All running: a second one waits for its turn to be asked. */
  const running = new Set<string>();

  /**
   * The project and the drafts a command acts on: its selection, its project, or the one the user
   * picks. `args` as VS Code passes them: a tree gives (node, selected nodes), the Source Control
   * view gives each selected resource as an argument of its own, or a group, or its source control.
   */
  async function targets(args: readonly unknown[], verb: string): Promise<{ project: Project; uris: vscode.Uri[] } | undefined> {
    const [arg, second] = args;
    const selection = Array.isArray(second) ? second : args.filter((a) => (a as { resourceUri?: unknown } | undefined)?.resourceUri instanceof vscode.Uri);
    const picked = (selection.length > 1 ? selection : [])
      .map((s) => sourceUriOf(s)).filter((u): u is vscode.Uri => u !== undefined);
    const groupUris = resourceUrisOf(arg);
    const named = picked.length > 0 ? picked : groupUris;
    const projectId = named.length > 0 ? parseSourceUri(named[0]!)?.projectId : projectIdOf(arg) ?? scmProjectOf(arg);
    const project = await connections.pick(projectId ? { projectId } : undefined, `${verb} the drafts of which Statsig project?`);
    if (!project) return undefined;
    const all = (await drafts.all()).map((d) => vscode.Uri.parse(d.uri)).filter((u) => parseSourceUri(u)?.projectId === project.id);
    const wanted = named.length > 0 ? new Set(named.map(String)) : undefined;
    const uris = wanted ? all.filter((u) => wanted.has(u.toString())) : all;
    if (named.some((u) => parseSourceUri(u)?.projectId !== project.id)) {
      void prompts.warning(`${verb} acts on one project at a time: only the selected drafts of "${project.label}" are included.`, {});
    }
    if (uris.length === 0) {
      void prompts.info(wanted ? 'None of the selected sources has a saved draft.' : `"${project.label}" has no saved drafts.`);
      return undefined;
    }
    return { project, uris: uris.sort((a, b) => a.toString().localeCompare(b.toString())) };
  }

  /** Unsaved edits of these sources are saved first (each save validates): what is validated is what is on disk. */
  async function saveOpen(uris: readonly vscode.Uri[]): Promise<void> {
    const keys = new Set(uris.map(String));
    for (const doc of vscode.workspace.textDocuments.filter((d) => d.isDirty && keys.has(d.uri.toString()))) await doc.save();
    await Promise.all(uris.map((u) => validator.settled(u)));
  }

  /**
   * Validates each draft (`reuse`: a passing validation of exactly its content counts); a dry run
   * refused with 429 is waited out and run again.
   */
  async function check(uris: readonly vscode.Uri[], reuse: boolean, token: vscode.CancellationToken, progress: vscode.Progress<{ message?: string; increment?: number }>) {
    const abort = new AbortController();
    const cancel = token.onCancellationRequested(() => abort.abort());
    try {
      return await runBatch<vscode.Uri, Checked | undefined>({
        items: uris, concurrency: CONCURRENCY, retryAfterMs, stops, signal: abort.signal,
        onProgress: (n, total) => progress.report({ message: `${n} of ${total}`, increment: 100 / total }),
        onWait: (ms) => ms > 0 && progress.report({ message: `Statsig asked to slow down; going on in ${Math.ceil(ms / 1000)} s…` }),
        run: async (uri) => {
          const parsed = parseSourceUri(uri);
          let draft = await drafts.get(uri);
          if (!parsed || !draft) return undefined;
          const d = descriptor(parsed.ref.kind);
          const label = `${d.singular} "${refLabel(parsed.ref)}"`;
          if (!(reuse && settled(draft, d.capabilities.dryRun, validator.last(uri)?.problems.length ?? 0))) {
            const result = await validator.validate(uri, draft.content);
            if (result?.dryRun.state === 'error' && result.dryRun.error instanceof RateLimitedError) throw result.dryRun.error;
            if (result?.dryRun.state === 'error' && stops(result.dryRun.error)) throw result.dryRun.error;
            draft = (await drafts.get(uri)) ?? draft;
          }
          const last = validator.last(uri);
          const pass = passes(draft, d.capabilities.dryRun);
          const summary = last && !last.busy ? last.status.text : pass ? 'Passed.' : 'Not validated: save it to validate it.';
          return { uri, label, draft, pass, summary, problems: last?.problems ?? [] };
        },
      });
    } finally {
      cancel.dispose();
    }
  }

  function entriesOf(outcomes: readonly BatchOutcome<vscode.Uri, Checked | undefined>[]): ReportEntry[] {
    return outcomes.flatMap((o): ReportEntry[] => {
      const parsed = parseSourceUri(o.item);
      const label = parsed ? `${descriptor(parsed.ref.kind).singular} "${refLabel(parsed.ref)}"` : o.item.toString();
      if (o.status === 'notRun') return [{ label, mark: 'notRun', summary: o.reason === 'cancelled' ? 'Not validated: cancelled.' : 'Not validated: stopped by the error above.', problems: [] }];
      if (o.status === 'failed') return [{ label, mark: 'fail', summary: `Could not be validated: ${errorMessage(o.error)}`, problems: [] }];
      const c = o.value;
      if (!c || !parsed) return [];
      return [{ label: c.label, mark: c.pass ? 'pass' : 'fail', summary: c.summary, problems: reportLines(parsed.ref.kind, c.draft.content, c.problems) }];
    });
  }

  function heading(what: string, project: Project, counts: string): string[] {
    return [`${what} — Statsig project "${project.label}" (${project.baseUrl}) — ${clock(new Date())}`, counts];
  }

  async function validateAll(...args: unknown[]): Promise<void> {
    const chosen = await targets(args, 'Validate All');
    if (!chosen) return;
    const { project, uris } = chosen;
    if (!begin(project)) return;
    try {
      await saveOpen(uris);
      const report = await withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Validating ${plural(uris.length, 'draft')} of "${project.label}"`, cancellable: true },
        (progress, token) => check(uris, false, token, progress),
      );
      const entries = entriesOf(report.outcomes);
      const passed = entries.filter((e) => e.mark === 'pass').length;
      const failed = entries.filter((e) => e.mark === 'fail').length;
      const counts = `${plural(entries.length, 'draft')}: ${passed} pass, ${failed} fail${report.cancelled ? ' (cancelled: the rest were not validated)' : ''}.`;
      const uri = reports.set(project, renderReport(heading('Validate All', project, counts), entries));
      await reports.show(uri);
      log('info', `Validate All in "${project.label}": ${counts}`);
      if (report.stoppedBy) throw asError(report.stoppedBy);
      const message = `Validate All in "${project.label}": ${counts}`;
      void (failed > 0 ? prompts.warning(message, {}) : prompts.info(message));
    } finally {
      running.delete(project.id);
    }
  }

  function begin(project: Project): boolean {
    if (running.has(project.id)) {
      void prompts.info(`Validate All or Push All is already running for "${project.label}"; wait for it to finish.`);
      return false;
    }
    running.add(project.id);
    return true;
  }

  async function pushAll(...args: unknown[]): Promise<void> {
    const chosen = await targets(args, 'Push All');
    if (!chosen) return;
    const { project, uris } = chosen;
    if (connections.isReadOnly(project.id)) {
      void prompts.warning(`Push All is not available: the key of "${project.label}" is read-only (Statsig answered 403 to a change). Your drafts are kept.`, {});
      return;
    }
    if (!begin(project)) return;
    try {
      await saveOpen(uris);
      const checked = await withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Validating ${plural(uris.length, 'draft')} of "${project.label}" before pushing`, cancellable: true },
        (progress, token) => check(uris, true, token, progress),
      );
      if (checked.stoppedBy) throw asError(checked.stoppedBy);
      const entries = entriesOf(checked.outcomes);
      const ready = checked.outcomes.flatMap((o) => (o.status === 'done' && o.value?.pass ? [o.value] : []));
      const failing = entries.filter((e) => e.mark !== 'pass').length;
      const counts = `${plural(entries.length, 'draft')}: ${ready.length} pass, ${failing} do not and stay drafts.`;
      const reportUri = reports.set(project, renderReport(heading('Push All — validated, not pushed yet', project, counts), entries));
      if (checked.cancelled) return;
      if (failing > 0) await reports.show(reportUri);
      if (ready.length === 0) {
        void prompts.warning(`Nothing to push in "${project.label}": none of the ${plural(entries.length, 'draft')} passed validation. The report lists why.`, {});
        return;
      }
      const creates = ready.filter((c) => c.draft.isNew).length;
      const go = `Push ${ready.length}`;
      const choice = await prompts.warning(
        `Push ${plural(ready.length, 'source')} to Statsig project "${project.label}"?`,
        {
          modal: true,
          detail: [
            `${plural(creates, 'create')}, ${plural(ready.length - creates, 'update')} (${project.baseUrl}).`,
            failing > 0 ? `${plural(failing, 'draft')} that did not pass validation ${failing === 1 ? 'stays a draft' : 'stay drafts'} (see the report).` : 'Every draft passed validation.',
            'A source changed on Statsig since its draft started is not pushed: merge it first. Sent at Statsig\'s rate limit; you can cancel at any time.',
          ].join(' '),
        },
        go,
      );
      if (choice !== go) return;
      await pushReady(project, ready, entries);
    } finally {
      running.delete(project.id);
    }
  }

  async function pushReady(project: Project, ready: readonly Checked[], validated: readonly ReportEntry[]): Promise<void> {
    const { api } = await connections.connection(project.id);
    const started = Date.now();
    const report = await withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Pushing to "${project.label}"`, cancellable: true },
      (progress, token) => {
        const abort = new AbortController();
        token.onCancellationRequested(() => abort.abort());
        progress.report({ message: `0 of ${ready.length}` });
        return runBatch<Checked, Pushed>({
          items: ready, concurrency: CONCURRENCY, retryAfterMs, stops, signal: abort.signal,
          onProgress: (n, total) => progress.report({ message: `${n} of ${total}`, increment: 100 / total }),
          onWait: (ms) => ms > 0 && progress.report({ message: `Statsig asked to slow down; going on in ${Math.ceil(ms / 1000)} s…` }),
          run: (c) => pushOne(services, api, project, c),
        });
      },
    );
    void model.refresh(project.id);
    const entries = report.outcomes.map((o): ReportEntry => {
      const c = o.item;
      if (o.status === 'notRun') return { label: c.label, mark: 'notRun', summary: o.reason === 'cancelled' ? 'Not pushed: cancelled. The draft is kept.' : 'Not pushed: stopped by the error above. The draft is kept.', problems: [] };
      if (o.status === 'failed') return { label: c.label, mark: 'fail', summary: `Not pushed: ${errorMessage(o.error)} The draft is kept.`, problems: [] };
      const r = o.value;
      const parsed = parseSourceUri(c.uri);
      if (r.status === 'pushed') return { label: c.label, mark: 'pushed', summary: `${r.mode === 'create' ? 'Created' : 'Pushed'}${r.reread}.${r.kept ? ' A newer save is kept as a draft on top of it.' : ''}`, problems: [] };
      const problems = r.problems && parsed ? reportLines(parsed.ref.kind, c.draft.content, r.problems) : [];
      return { label: c.label, mark: r.status === 'unchanged' ? 'unchanged' : r.status === 'conflict' ? 'conflict' : 'fail', summary: r.summary, problems };
    });
    const pushed = entries.filter((e) => e.mark === 'pushed').length;
    const failed = entries.filter((e) => e.mark === 'fail').length;
    const conflicts = entries.filter((e) => e.mark === 'conflict').length;
    const notRun = entries.filter((e) => e.mark === 'notRun').length;
    const parts = [
      failed ? `${failed} failed` : '', conflicts ? `${plural(conflicts, 'source')} changed on Statsig (merge, then push)` : '',
      notRun ? `${notRun} not pushed (${report.cancelled ? 'cancelled' : 'stopped'})` : '',
    ].filter(Boolean);
    const summary = `Pushed ${pushed} of ${plural(ready.length, 'source')} to "${project.label}"${parts.length ? `; ${parts.join(', ')}. Their drafts are kept` : ''}.`;
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const notPushed = validated.filter((e) => e.mark !== 'pass');
    const uri = reports.set(project, renderReport(
      heading('Push All', project, `${summary} (${seconds} s${report.rateLimited ? `, ${plural(report.rateLimited, 'rate-limit answer')} waited out` : ''})`),
      [...entries, ...notPushed],
    ));
    log('info', `Push All in "${project.label}": ${summary} ${seconds} s, ${report.rateLimited} × 429 waited out.`);
    if (report.stoppedBy) throw asError(report.stoppedBy);
    const show = 'Show Report';
    const answer = await (parts.length || notPushed.length ? prompts.warning(summary, {}, show) : prompts.info(summary, show));
    if (answer === show) await reports.show(uri);
  }

  return {
    [Commands.validateAll]: validateAll,
    [Commands.pushAll]: pushAll,
    [Commands.showBatchReport]: async (arg?: unknown) => {
      const projectId = projectIdOf(arg) ?? scmProjectOf(arg);
      const project = await connections.pick(projectId ? { projectId } : undefined, 'Show the report of which Statsig project?');
      if (!project) return;
      if (!reports.has(project)) {
        void prompts.info(`No Validate All or Push All has run for "${project.label}" in this window yet.`);
        return;
      }
      await reports.show(reports.uriOf(project));
    },
  };
};

/**
 * One source of Push All: exactly the validated content, only when Statsig's version is still the
 * one the draft started from (or the draft already holds its changes); nothing asked.
 */
async function pushOne(services: Services, api: Parameters<typeof sendPush>[0]['api'], project: Project, c: Checked): Promise<Pushed> {
  const { drafts, validator, log } = services;
  const parsed = parseSourceUri(c.uri);
  const now = await drafts.get(c.uri);
  if (!parsed) return { status: 'skipped', summary: 'Not a source.' };
  if (!now) return { status: 'skipped', summary: 'Not pushed: the draft is gone (pushed or discarded elsewhere).' };
  if (now.content !== c.draft.content) return { status: 'skipped', summary: 'Not pushed: saved again since it was validated. Push it (or Push All) again.' };
  if (now.merging) return { status: 'conflict', summary: 'Not pushed: a merge with Statsig is in progress. Resolve the conflict markers in its SQL and save, then push it.' };
  const doc = parseDocument(now.content);
  if (!doc.ok) return { status: 'skipped', summary: 'Not pushed: the draft is not valid JSON.' };
  const d = descriptor(parsed.ref.kind);
  const target: PushTarget = { uri: c.uri, ref: parsed.ref, name: refLabel(parsed.ref), d, project };
  const remote = await readRemote(api, parsed.ref);
  const decision = decidePush({ kind: d.id, ref: parsed.ref, draft: { value: doc.value, isNew: now.isNew, base: now.base }, remote });
  if (decision.action === 'existsAlready') return { status: 'conflict', summary: `Not pushed: a ${d.singular} of this name was created on Statsig meanwhile. Compare, then rename yours.` };
  if (decision.action === 'deletedOnStatsig') return { status: 'conflict', summary: 'Not pushed: deleted on Statsig. Recreate it or discard the draft.' };
  if (decision.conflict) {
    return {
      status: 'conflict',
      summary: decision.conflict.reason === 'unknownBase'
        ? 'Not pushed: the version of Statsig\'s this draft started from is unknown. Compare or merge, then push it.'
        : `Not pushed: changed on Statsig since the draft started (${decision.conflict.fields.join(', ')}). Merge, then push it.`,
    };
  }
  if (decision.plan.mode === 'none') return { status: 'unchanged', summary: 'Nothing to push: the draft equals Statsig\'s version.' };
  let sent;
  try {
    sent = await sendPush({ api, log }, target, decision.plan, remote, doc.value);
  } catch (error) {
    if (error instanceof ValidationError) {
      validator.showServerErrors(c.uri, now.content, error);
      return { status: 'rejected', summary: `Statsig rejected it: ${error.message} The draft is kept.`, problems: validator.last(c.uri)?.problems ?? [] };
    }
    throw error;
  }
  if (sent === 'moved') return { status: 'conflict', summary: 'Not pushed: changed on Statsig just now. Merge, then push it.' };
  const settled = await settlePushed(services, target, contentHash(now.content), sent, remote, `Pushed to "${project.label}" by Push All at ${clock(new Date())}.`);
  log('info', `Push All: pushed ${d.singular} ${target.name} to "${project.label}" (${sent.mode}).`);
  return { status: 'pushed', mode: sent.mode, kept: settled === 'rebased', reread: sent.reread };
}

/** What stopped a batch (a revoked or read-only key), for the command boundary to explain. */
function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(errorMessage(error));
}

/** The source URIs of a source control resource group (its resourceStates), if `arg` is one. */
function resourceUrisOf(arg: unknown): vscode.Uri[] {
  const states = (arg as { resourceStates?: unknown } | undefined)?.resourceStates;
  if (!Array.isArray(states)) return [];
  return states.map((s) => sourceUriOf(s)).filter((u): u is vscode.Uri => u !== undefined);
}

/** The project of a source control (its root is `statsig://<project>/`), if `arg` is one. */
function scmProjectOf(arg: unknown): string | undefined {
  const root = (arg as { rootUri?: unknown } | undefined)?.rootUri;
  if (!(root instanceof vscode.Uri)) return undefined;
  return root.scheme === SOURCE_SCHEME ? projectIdFromAuthority(root.authority) : undefined;
}
