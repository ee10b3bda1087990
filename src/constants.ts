// Every id the extension contributes, under one prefix. package.json must match (a test checks).
export const PREFIX = 'statsigWhn';

export const Commands = {
  setApiKey: `${PREFIX}.setApiKey`,
  signOut: `${PREFIX}.signOut`,
  showLog: `${PREFIX}.showLog`,
} as const;

export const Settings = {
  section: PREFIX,
  apiBaseUrl: 'apiBaseUrl',
  requestTimeoutMs: 'requestTimeoutMs',
  pageSize: 'pageSize',
  respectReviewSettings: 'respectReviewSettings',
  sqlDialect: 'sqlDialect',
} as const;

export const ContextKeys = {
  hasApiKey: `${PREFIX}.hasApiKey`,
} as const;

export const OUTPUT_CHANNEL_NAME = 'Statsig Warehouse Native';
