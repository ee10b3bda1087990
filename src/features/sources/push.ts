// Push is explicit: re-read the remote; if it moved since the draft's base, stop (Compare /
// Overwrite / Cancel); otherwise open the diff and let the user read it (Push… or Cancel in its
// title bar, or in a notification: nothing modal blocks scrolling it), then ask a modal
// confirmation naming the project and the source; then send the real request, and the pushed
// version becomes the new base.
import { compareWorkspaceSource, pushWorkspaceSource, workspaceTarget } from '../workspace/workspaceCommands.ts';
import * as vscode from 'vscode';
import { Commands } from '../../constants.ts';
import { refLabel } from '../../core/kinds.ts';
import { formatSource, parseDocument } from '../../core/document.ts';
import { errorMessage, ValidationError } from '../../core/errors.ts';
import { descriptor } from '../../core/kinds.ts';
import { decidePush, type PushDecision } from '../../core/pushDecision.ts';
import type { PushPlan } from '../../core/validation.ts';
import { contentHash, type Draft } from '../../core/draftFiles.ts';
import { commandSource, sourceUriOf } from '../documents/uris.ts';
import { openAtFirstMarker } from './merge.ts';
import { withProgress } from '../../platform/notify.ts';
import { clock, plural } from '../../shared/format.ts';
import type { CommandFactory } from '../services.ts';
import { confirmPush, readRemote, sendPush, settlePushed, type PushTarget, type Sent } from './pushSteps.ts';

export const pushCommands: CommandFactory<typeof Commands.push | typeof Commands.validate | typeof Commands.compare | typeof Commands.pushReviewed | typeof Commands.cancelPush> = (services) => {
  const { connections, drafts, fs, state, validator, model, log, prompts, snapshots } = services;

  /**
   * The draft as it stands after saving unsaved edits and validating exactly this content; undefined
   * (with the reason told) when the open document and the draft do not agree.
   */
  async function validatedDraft(uri: vscode.Uri, name: string): Promise<Draft | undefined | 'stop'> {
    const doc = vscode.workspace.textDocuments.find((t) => t.uri.toString() === uri.toString());
    if (doc?.isDirty && !(await doc.save())) {
      void prompts.error(`Push stopped: "${name}" could not be saved, so there is no draft to push. Your edits are still in the editor.`);
      return 'stop';
    }
    await validator.settled(uri);
    let draft = await drafts.get(uri);
    if (!draft) return undefined;
    if (doc && !doc.isClosed && doc.getText() !== draft.content) {
      if (doc.isDirty) {
        void prompts.warning(`Push stopped: "${name}" changed while it was being saved. Save it again (Ctrl+S), then push.`, {});
      } else {
        // Saved in another window since this editor loaded it: show that version here first.
        fs.notifyChanged(uri);
        void prompts.warning(`Push stopped: the draft of "${name}" was changed in another window. This editor now shows that version; check it, then push.`, {});
      }
      return 'stop';
    }
    if (draft.validation?.contentHash !== contentHash(draft.content)) {
      await validator.validate(uri, draft.content);
      draft = await drafts.get(uri);
    }
    return draft;
  }

  /** Statsig's own check must have passed for exactly this content (dry-run kinds); otherwise ask. */
  async function gate(uri: vscode.Uri, initial: Draft, dryRunKind: boolean): Promise<Draft | undefined> {
    let draft = initial;
    for (;;) {
      const v = draft.validation?.contentHash === contentHash(draft.content) ? draft.validation : undefined;
      if (v && (v.state === 'passed' || v.state === 'unchanged' || (!dryRunKind && v.state === 'unavailable'))) return draft;
      const again = 'Run Dry Run Again';
      let choice: string | undefined;
      if (v && (v.state === 'failed' || v.state === 'skipped')) {
        const what = v.state === 'failed' ? 'Statsig dry run' : 'validation';
        choice = await prompts.warning(
          `Push refused: the last ${what} of exactly this content failed (${plural(v.errors, 'error')}). Fix ${v.errors === 1 ? 'it' : 'them'} and save, or run it again.`,
          {}, again, 'Show Problems',
        );
        if (choice === 'Show Problems') await vscode.commands.executeCommand('workbench.actions.view.problems');
      } else {
        // The dry run could not run (offline, a timeout, Statsig busy) or never ran for this content.
        const anyway = 'Push Anyway';
        choice = await prompts.warning(
          'Statsig\'s dry run has not checked exactly this content (it could not run, or was interrupted).',
          { modal: true, detail: 'Run it again now, or push without it: Statsig still validates the real request and a rejection keeps your draft.' },
          again, anyway,
        );
        if (choice === anyway) return draft;
      }
      if (choice !== again) return undefined;
      await validator.validate(uri, draft.content);
      const next = await drafts.get(uri);
      if (!next) return undefined;
      draft = next;
    }
  }

  async function push(arg?: unknown): Promise<void> {
    // A workspace source's file (sources as code): pushed from its files against the lock's base.
    const file = await workspaceTarget(services, arg);
    if (file) return pushWorkspaceSource(services, file);
    const source = commandSource(arg, (m) => prompts.info(m), 'Open a Statsig source, or pick one in the Statsig view, to push it.');
    if (!source) return;
    const { uri, ...parsed } = source;
    const d = descriptor(parsed.ref.kind);
    const name = refLabel(parsed.ref);
    const { api, project } = await connections.connection(parsed.projectId);
    // Statsig refused a change or a dry run with 403 (before, or in the validation just now): no
    // dry run again, no confirmation.
    const refuseReadOnly = async () => {
      if (!connections.isReadOnly(project.id)) return false;
      const setKey = 'Set API Key…';
      const choice = await prompts.warning(`Push is not available: the key of "${project.label}" is read-only (Statsig answered 403 to a change). Your draft is kept.`, {}, setKey);
      if (choice === setKey) await vscode.commands.executeCommand(Commands.setApiKey, { projectId: project.id });
      return true;
    };
    if (await refuseReadOnly()) return;
    const found = await validatedDraft(uri, name);
    if (found === 'stop' || (await refuseReadOnly())) return;
    if (!found) {
      void prompts.info(`"${name}" has no saved changes to push.`);
      return;
    }
    if (found.merging) {
      const choice = await prompts.warning(`Push refused: the merge of "${name}" is not finished. In its SQL, keep the lines you want, delete the conflict markers, and save; then push.`, {}, 'Open SQL');
      if (choice === 'Open SQL') await openAtFirstMarker(uri);
      return;
    }
    const draft = await gate(uri, found, d.capabilities.dryRun);
    if (!draft) return;
    const pushedHash = contentHash(draft.content);
    const doc = parseDocument(draft.content);
    if (!doc.ok) return; // unreachable: a draft that does not parse never passes validation

    const remote = await withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Checking Statsig for changes to "${name}"…`, cancellable: true },
      (_p, token) => {
        const abort = new AbortController();
        token.onCancellationRequested(() => abort.abort());
        return readRemote(api, parsed.ref, abort.signal);
      },
    );
    // What to do is decided pure (core/pushDecision.ts); here it is asked and acted on.
    const decision = decidePush({ kind: d.id, ref: parsed.ref, draft: { value: doc.value, isNew: draft.isNew, base: draft.base }, remote });
    const target: PushTarget = { uri, ref: parsed.ref, name, d, project };
    const plan = await confirm(target, decision, remote, draft.content);
    if (!plan) return;
    let result: Sent | 'moved';
    try {
      result = await withProgress(
        { location: vscode.ProgressLocation.Notification, title: `${plan.mode === 'create' ? 'Creating' : 'Pushing'} "${name}"…` },
        // The user may have looked at the diff for a while: sendPush looks once more, so a change
        // made on Statsig meanwhile is never overwritten unseen.
        () => sendPush({ api, log }, target, plan, remote, doc.value),
      );
    } catch (error) {
      await snapshots.close(uri);
      if (error instanceof ValidationError) {
        validator.showServerErrors(uri, draft.content, error);
        void prompts.error(`Push failed: ${error.message} Your draft is kept; the problems are marked in the editor.`);
        return;
      }
      throw new Error(`Push of "${name}" failed: ${errorMessage(error)} Your draft is kept.`, { cause: error });
    }
    if (result === 'moved') {
      await snapshots.close(uri);
      void prompts.warning(`Nothing was pushed: "${name}" changed on Statsig in "${project.label}" while you were confirming. Push again to see that change.`, {});
      return;
    }
    // Pushed. From here on nothing may report a failure: at worst the new base is approximate.
    await settle(target, pushedHash, result, remote);
  }

  /**
   * Asks what the decision needs asked: a name taken or a source gone (stop), a conflict (Compare /
   * Overwrite), nothing to push (Discard Draft), then the diff and the confirmation, and for a kind
   * without dry run one more. The plan to send, or undefined when the user stopped.
   */
  async function confirm({ uri, name, d, project }: PushTarget, decision: PushDecision, remote: Record<string, unknown> | undefined, content: string): Promise<PushPlan | undefined> {
    if (decision.action === 'existsAlready') {
      const choice = await prompts.warning(
        `A ${d.singular} named "${name}" already exists in "${project.label}".`,
        { modal: true, detail: 'Someone created it after you started this draft. Compare shows theirs next to yours; to keep yours, create it under another name.' },
        'Compare',
      );
      if (choice === 'Compare') await snapshots.show(uri, remote, 'live', `${name}: Statsig (now) ↔ your draft`);
      return undefined;
    }
    if (decision.action === 'deletedOnStatsig') {
      const recreate = 'Recreate on Statsig…';
      void Promise.resolve(prompts.error(`"${name}" no longer exists in "${project.label}" (deleted on Statsig?). Your draft is kept; Recreate on Statsig… creates it again from your draft.`, recreate))
        .then((choice) => choice === recreate && vscode.commands.executeCommand(Commands.recreate, uri), () => undefined);
      return undefined;
    }
    const { plan, conflict } = decision;
    if (conflict && remote) {
      const question = conflict.reason === 'unknownBase' ? {
        message: `Statsig's version of "${name}" that your draft started from is unknown.`,
        detail: `The draft was saved from an editor restored after a restart, so a change made on Statsig in the meantime cannot be told apart from yours. Compare shows Statsig's current version in "${project.label}" next to your draft.`,
        what: 'a remote version of unknown age',
      } : {
        message: `"${name}" changed on Statsig since you started editing it (${conflict.fields.join(', ')}).`,
        detail: `Pushing now would overwrite that change in "${project.label}". Merge takes Statsig's change into your draft (three-way, field by field and line by line). Compare shows Statsig's current version next to your draft; take what you want to keep into your draft, then use Statsig's version as base.`,
        what: `a remote change of ${conflict.fields.join(', ')}`,
      };
      // A change on Statsig since a known base can be merged into the draft (three-way, merge.ts).
      const mergeable = conflict.reason === 'changedOnStatsig';
      const choice = await prompts.warning(question.message, { modal: true, detail: question.detail }, 'Compare', ...(mergeable ? ['Merge'] : []), 'Overwrite');
      if (choice === 'Merge') {
        await vscode.commands.executeCommand(Commands.merge, uri);
        return undefined;
      }
      if (choice === 'Compare') {
        await compareWithBaseOffer(uri, remote, name);
        return undefined;
      }
      if (choice !== 'Overwrite') return undefined;
      log('info', `Push of ${name}: the user chose to overwrite ${question.what}.`);
    }
    if (plan.mode === 'none') {
      const choice = await prompts.info(`Nothing to push: your draft of "${name}" equals Statsig's version.`, 'Discard Draft');
      if (choice) await vscode.commands.executeCommand(Commands.discard, uri);
      return undefined;
    }
    // The right side is exactly what is pushed (a snapshot), whatever happens to the editor meanwhile.
    const verb = plan.mode === 'create' ? 'Create' : 'Push';
    const fields = plan.changed.length ? `Fields: ${plan.changed.join(', ')}.` : '';
    const confirmed = await confirmPush(services, { uri, name, d, project }, { title: `${name}: Statsig ↔ your draft (to push)`, remote, content }, {
      verb,
      message: `${verb} ${d.singular} "${name}" in Statsig project "${project.label}"?`,
      detail: `${fields} This ${plan.mode === 'create' ? 'creates it' : 'changes it'} for everyone in the project (${project.baseUrl}). The diff shows exactly what is sent.`,
      validatedOnly: 'This change was only validated locally.',
    });
    if (!confirmed) return undefined;
    return plan;
  }

  /** After a push: the draft settles on what was pushed (pushSteps.ts), and the user hears how it went. */
  async function settle(target: PushTarget, hash: string, sent: Sent, replaced: Record<string, unknown> | undefined): Promise<void> {
    const { name, d, project } = target;
    const done = sent.mode === 'create' ? 'Created' : 'Pushed';
    const settled = await settlePushed(services, target, hash, sent, replaced, `Pushed to "${project.label}" at ${clock(new Date())}.`);
    void model.refresh(project.id, d.id);
    if (settled === 'rebased') {
      // A save landed during the push: that newer draft stays, now based on what was pushed.
      void prompts.info(`${done} "${name}" in "${project.label}"${sent.reread}. Your newer saved changes are kept as a draft on top of it.`);
      log('info', `Pushed ${d.singular} ${name} to project "${project.label}" (${sent.mode}); a newer draft is kept.`);
      return;
    }
    log('info', `Pushed ${d.singular} ${name} to project "${project.label}" (${sent.mode}${sent.reconciled ? ', confirmed by a re-read' : ''}).`);
    void prompts.info(`${done} ${d.singular} "${name}" in "${project.label}"${sent.reread}.`);
  }

  /**
   * Compare for a conflict: Statsig's version next to the live draft, and the way out once the
   * draft holds what should stay: Statsig's version becomes the draft's base, so push no longer
   * calls it a conflict (Overwrite stays the explicit alternative).
   */
  async function compareWithBaseOffer(uri: vscode.Uri, remote: Record<string, unknown>, name: string): Promise<void> {
    await snapshots.show(uri, remote, 'live', `${name}: Statsig (now) ↔ your draft`);
    const useBase = 'Use Statsig\'s Version as Base';
    const choice = await prompts.info(
      `Left: Statsig's version of "${name}" now. Take the changes you want to keep into your draft (right) and save; then use Statsig's version as base, and push.`,
      useBase,
    );
    if (choice !== useBase) return;
    if (await drafts.rebase(uri, remote)) {
      log('info', `The draft of ${name} now has Statsig's current version as its base.`);
      void prompts.info(`The draft of "${name}" is now based on Statsig's current version. Push sends what differs from it.`);
    }
  }

  /** Statsig's version now next to the source as it is here (its unsaved edits included), any time. */
  async function compare(arg?: unknown): Promise<void> {
    const file = await workspaceTarget(services, arg);
    if (file) return compareWorkspaceSource(services, file);
    const source = commandSource(arg, (m) => prompts.info(m), 'Open a Statsig source, or pick one in the Statsig view, to compare it with Statsig.');
    if (!source) return;
    const { uri, ...parsed } = source;
    const name = refLabel(parsed.ref);
    const draft = await drafts.get(uri);
    const remote = draft?.isNew ? undefined : await withProgress(
      { location: vscode.ProgressLocation.Window, title: `Reading ${name} from Statsig…` },
      async () => (await state.fetch(uri)).data,
    );
    await snapshots.show(uri, remote, 'live', `${name}: Statsig ↔ ${draft ? 'your draft' : 'this editor'}`);
  }

  /** Push… / Cancel in a push diff's title bar. */
  const decide = (go: boolean) => () => {
    if (!snapshots.decideInFront(go)) void prompts.info('No push is waiting on the diff in front. Bring the diff titled "… (to push)" to the front, or push the source again.');
  };

  return {
    [Commands.compare]: compare,
    [Commands.push]: push,
    [Commands.pushReviewed]: decide(true),
    [Commands.cancelPush]: decide(false),
    [Commands.validate]: async (arg?: unknown) => {
      const file = await workspaceTarget(services, arg);
      if (file) {
        // Unsaved edits are saved (the save validates); otherwise the files as they are.
        const dirty = vscode.workspace.textDocuments.filter((d) => d.isDirty && [file.jsonUri, file.sqlUri].some((u) => u.toString() === d.uri.toString()));
        if (dirty.length > 0) await Promise.all(dirty.map((d) => d.save()));
        else await services.workspaceValidator.validate(file);
        return;
      }
      const uri = sourceUriOf(arg);
      if (!uri) return;
      const doc = vscode.workspace.textDocuments.find((t) => t.uri.toString() === uri.toString());
      if (doc?.isDirty) {
        await doc.save();
        return;
      }
      const draft = await drafts.get(uri);
      await validator.validate(uri, draft?.content ?? doc?.getText() ?? formatSource((await state.read(uri)).data));
    },
  };
};
