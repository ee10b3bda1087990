// The one bag of long-lived services every feature gets, and the one shape of a feature:
// `(services) => Disposable[]`, registered in a list by src/main.ts (everything returned is
// disposed with the extension).
import type * as vscode from 'vscode';
import type { Logger } from '../core/client.ts';
import type { ProjectStore } from '../platform/projectStore.ts';
import type { Prompts } from '../platform/prompts.ts';
import type { DraftStore } from './documents/drafts.ts';
import type { SourceFileSystem } from './documents/sourceFs.ts';
import type { DraftValidator } from './documents/validator.ts';
import type { Connections } from './projects/connections.ts';
import type { RemoteSnapshots } from './sources/push.ts';
import type { SourcesModel } from './tree/sourcesModel.ts';

export interface Services {
  readonly store: ProjectStore;
  readonly connections: Connections;
  readonly drafts: DraftStore;
  readonly fs: SourceFileSystem;
  readonly validator: DraftValidator;
  readonly model: SourcesModel;
  /** Read-only snapshots shown on the left (and right) of push and Compare diffs. */
  readonly snapshots: RemoteSnapshots;
  readonly log: Logger;
  /** Every question to the user goes through here (tests script the answers). */
  readonly prompts: Prompts;
}

export type Feature = (services: Services) => vscode.Disposable[];
