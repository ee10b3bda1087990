// Every id the extension contributes, under one prefix. package.json must match (a test checks).
export const PREFIX = 'statsigWhn';

export const Commands = {
  setApiKey: `${PREFIX}.setApiKey`,
  signOut: `${PREFIX}.signOut`,
  showLog: `${PREFIX}.showLog`,
  renameProject: `${PREFIX}.renameProject`,
  setDialect: `${PREFIX}.setDialect`,
  refresh: `${PREFIX}.refresh`,
  refreshItem: `${PREFIX}.refreshItem`,
  filter: `${PREFIX}.filter`,
  clearFilter: `${PREFIX}.clearFilter`,
  copyName: `${PREFIX}.copyName`,
  open: `${PREFIX}.open`,
  openAsJson: `${PREFIX}.openAsJson`,
  openSql: `${PREFIX}.openSql`,
  push: `${PREFIX}.push`,
  compare: `${PREFIX}.compare`,
  /** Three-way merge of the draft with Statsig's version now (src/features/sources/merge.ts). */
  merge: `${PREFIX}.merge`,
  /** Push… and Cancel in the title bar of a push diff (the user read it; the modal still asks). */
  pushReviewed: `${PREFIX}.pushReviewed`,
  cancelPush: `${PREFIX}.cancelPush`,
  discard: `${PREFIX}.discard`,
  delete: `${PREFIX}.delete`,
  newSource: `${PREFIX}.newSource`,
  validate: `${PREFIX}.validate`,
  formatSql: `${PREFIX}.formatSql`,
  /** Every draft of a project (or the selection): validated, one report. */
  validateAll: `${PREFIX}.validateAll`,
  /** Every passing draft of a project (or the selection): validated, asked once, pushed at the rate limit. */
  pushAll: `${PREFIX}.pushAll`,
  /** The report of the last Validate All / Push All of a project. */
  showBatchReport: `${PREFIX}.showBatchReport`,
  /** A source deleted on Statsig while a draft of it exists: create it again from the draft. */
  recreate: `${PREFIX}.recreate`,
  showPushHistory: `${PREFIX}.showPushHistory`,
  goToSource: `${PREFIX}.goToSource`,
  /** A project's sources (or some kinds, or the selection) written into the workspace as files (sources as code). */
  pullToWorkspace: `${PREFIX}.pullToWorkspace`,
  /** A workspace source's two files as one document in the Statsig Source Editor. */
  openWorkspaceSource: `${PREFIX}.openWorkspaceSource`,
} as const;

export const Views = {
  container: PREFIX,
  sources: `${PREFIX}.sources`,
} as const;

/** The scheme of a source's JSON document (see src/core/sourceUri.ts). */
export const SOURCE_SCHEME = 'statsig';
/** Read-only snapshots of remote versions (the left side of a push diff). */
export const REMOTE_SCHEME = `${SOURCE_SCHEME}-remote`;
/** Read-only reports of Validate All and Push All. */
export const REPORT_SCHEME = `${SOURCE_SCHEME}-report`;
/** A workspace source's two files as one document (the custom editor's): statsig-workspace:<path of its .source.json>. */
export const WORKSPACE_SCHEME = `${SOURCE_SCHEME}-workspace`;
/** The source control provider id (one source control per connected project; `scmProvider` in when clauses). */
export const SCM_PROVIDER = PREFIX;
/** The custom editor (package.json contributes.customEditors). */
export const EDITOR_VIEW_TYPE = `${PREFIX}.sourceEditor`;

export const Settings = {
  section: PREFIX,
  apiBaseUrl: 'apiBaseUrl',
  requestTimeoutMs: 'requestTimeoutMs',
  pageSize: 'pageSize',
  respectReviewSettings: 'respectReviewSettings',
  sqlDialect: 'sqlDialect',
  driftCheckMinutes: 'driftCheckMinutes',
} as const;

export const ContextKeys = {
  hasApiKey: `${PREFIX}.hasApiKey`,
  multipleProjects: `${PREFIX}.multipleProjects`,
  filtered: `${PREFIX}.sourcesFiltered`,
  /** Saved drafts exist for a Statsig project that is not connected. */
  disconnectedDrafts: `${PREFIX}.hasDisconnectedDrafts`,
  /** A push diff is open and waiting for Push… or Cancel in its title bar. */
  reviewingPush: `${PREFIX}.reviewingPush`,
  /** The editor in front is a workspace source (one of its files, or its one-document view). */
  activeWorkspaceSource: `${PREFIX}.activeWorkspaceSource`,
  /** The `.sql` files of the workspace's sources folders (the Explorer offers the source editor on them). */
  workspaceSqlFiles: `${PREFIX}.workspaceSqlFiles`,
} as const;

/** Keys of the extension's global state (context.globalState). */
export const StateKeys = {
  /** The sources last opened in the source editor or a `.sql` view, most recent first (URIs). */
  recentSources: `${PREFIX}.recentSources`,
} as const;

export const OUTPUT_CHANNEL_NAME = 'Statsig Warehouse Native';
