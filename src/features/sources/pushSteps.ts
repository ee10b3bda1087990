// The steps of a push that ask nothing, shared by Push (one source, with its questions:
// src/features/sources/push.ts) and Push All (many, asked once: pushAll.ts): read Statsig's version,
// send the planned request after one more look, and settle the draft on what was pushed.
import type * as vscode from 'vscode';
import type { SourcesApi } from '../../core/api.ts';
import { errorMessage, NotFoundError } from '../../core/errors.ts';
import { withoutServerOwned, type KindDescriptor, type KindId, type SourceRef } from '../../core/kinds.ts';
import type { PushPlan } from '../../core/validation.ts';
import { jsonEqual } from '../../shared/jsonPath.ts';
import type { Services } from '../services.ts';

type Json = Record<string, unknown>;

export interface PushTarget {
  readonly uri: vscode.Uri;
  readonly ref: SourceRef;
  readonly name: string;
  readonly d: KindDescriptor;
  readonly project: { readonly id: string; readonly label: string; readonly baseUrl: string };
}

/** Statsig's version now (undefined: it does not exist). */
export function readRemote(api: SourcesApi, ref: SourceRef, signal?: AbortSignal): Promise<Json | undefined> {
  return api.get(ref, signal ? { signal } : {}).then((r) => r.data, (error: unknown) => {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  });
}

/** The same on Statsig, server-owned fields ignored (nothing stays nothing). */
export function sameOnStatsig(kind: KindId, a: Json | null | undefined, b: Json | null | undefined): boolean {
  const comparable = (data: Json | null | undefined) => (data ? withoutServerOwned(kind, data) : undefined);
  return jsonEqual(comparable(a), comparable(b));
}

export interface Sent {
  /** Statsig's version after the push (read back when the answer did not carry it). */
  readonly pushed: Json;
  readonly mode: PushPlan['mode'];
  readonly reconciled: boolean | undefined;
  /** Said after the push message when the version could not be read back. */
  readonly reread: string;
}

/**
 * Sends `plan` unless Statsig's version moved away from `remote` (the one the user agreed to
 * replace): 'moved' then, and nothing is sent. Throws what the request throws (a 429 before
 * anything changed included); once the request succeeded nothing throws: at worst the version
 * pushed is approximated (the draft over `remote`).
 */
export async function sendPush(
  { api, log }: { readonly api: SourcesApi; readonly log: Services['log'] },
  target: PushTarget, plan: PushPlan, remote: Json | undefined, value: Json,
): Promise<Sent | 'moved'> {
  const { ref, d, name } = target;
  if (!sameOnStatsig(d.id, await readRemote(api, ref), remote)) return 'moved';
  const result = plan.mode === 'create' ? await api.create(d.id, plan.body) : plan.mode === 'patch' ? await api.patch(ref, plan.body) : await api.update(ref, plan.body);
  if (result.record) return { pushed: result.record.data, mode: plan.mode, reconciled: result.reconciled, reread: '' };
  try {
    return { pushed: (await api.get(ref)).data, mode: plan.mode, reconciled: result.reconciled, reread: '' };
  } catch (error) {
    log('warn', `Pushed ${name}, but reading it back failed: ${errorMessage(error)}`);
    return { pushed: { ...(remote ?? {}), ...value }, mode: plan.mode, reconciled: result.reconciled, reread: ' (it could not be read back just now; Refresh shows Statsig\'s version)' };
  }
}

/**
 * After a push: it goes into the push history with `replaced` (Statsig's version before it); the
 * draft goes if it still holds what was pushed (`hash`), or stays on top of it (a save landed
 * meanwhile: the draft store's settle rule, core/draftFiles.ts); Statsig's new version becomes what
 * the editor shows and what the next draft starts from. Never throws.
 */
export async function settlePushed(
  { drafts, state, snapshots, validator, log, history }: Pick<Services, 'drafts' | 'state' | 'snapshots' | 'validator' | 'log' | 'history'>,
  { uri, name, project }: PushTarget, hash: string, sent: Sent, replaced: Json | undefined, status: string,
): Promise<'deleted' | 'rebased' | 'gone'> {
  // Kept in the push history (never rejects: a failure there is logged, the push stays a success).
  await history.record({ uri, projectId: project.id, projectLabel: project.label, mode: sent.mode, pushed: sent.pushed, replaced });
  let settled: 'deleted' | 'rebased' | 'gone';
  try {
    settled = await drafts.settle(uri, hash, sent.pushed);
  } catch (error) {
    log('error', `Pushed ${name}, but updating its local draft failed: ${errorMessage(error)}`);
    settled = 'rebased'; // the draft (if any) is still there: treat it as one to look at again
  }
  if (settled === 'rebased') {
    state.remember(uri, sent.pushed);
    return settled;
  }
  state.pushed(uri, sent.pushed);
  await snapshots.close(uri);
  validator.clear(uri, { tone: 'ok', text: status });
  return settled;
}

/**
 * The questions every single push asks, a draft's or a workspace source's files: the diff titled
 * `title` is opened first and read as long as the user likes (no dialog over it); `<verb>…` here or
 * in its title bar brings the modal that names the project; for a kind without a dry run, one more.
 * True when the user confirmed every one; the diff stays open only then (the caller closes it).
 */
export async function confirmPush(
  { snapshots, prompts }: Pick<Services, 'snapshots' | 'prompts'>,
  target: Omit<PushTarget, 'ref'>,
  diff: { readonly title: string; readonly remote: Json | undefined; readonly content: string },
  question: { readonly verb: 'Create' | 'Push'; readonly message: string; readonly detail: string; readonly validatedOnly: string },
): Promise<boolean> {
  const { uri, name, d, project } = target;
  const { verb } = question;
  await snapshots.show(uri, diff.remote, { content: diff.content }, diff.title);
  const reading = snapshots.review(uri, diff.title);
  const go = `${verb}…`;
  void Promise.resolve(prompts.info(`Read the diff of "${name}", then choose ${go} here or in the diff's title bar to ${verb.toLowerCase()} it in "${project.label}".`, go, 'Cancel'))
    .then((choice) => choice && reading.decide(choice === go), () => undefined);
  let confirmed = await reading.answer;
  if (confirmed) confirmed = (await prompts.warning(question.message, { modal: true, detail: question.detail }, verb)) === verb;
  if (confirmed && !d.capabilities.dryRun) {
    const sure = 'Push Without Dry Run';
    confirmed = (await prompts.warning(
      `Statsig offers no dry run for ${d.label.toLowerCase()}.`,
      { modal: true, detail: `${question.validatedOnly} A query or column mapping the warehouse rejects shows up in the next scheduled load, not now.` },
      sure,
    )) === sure;
  }
  if (!confirmed) await snapshots.close(uri);
  return confirmed;
}
