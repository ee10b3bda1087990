// Which settings a workspace may set. A repository you open must not redirect your key, stretch or
// shrink how the client talks to Statsig, or switch off review enforcement, so these four are read
// from your user settings only. package.json gives them "scope": "application" and lists them in
// untrustedWorkspaces.restrictedConfigurations (test/unit/manifest.test.ts checks both against this
// list); reading them here ignores a workspace or folder value even where VS Code would still pass
// one through (an older VS Code, a settings sync quirk).

/** Setting names (without the `statsigWhn.` prefix) read from the user level only. */
export const USER_ONLY_SETTINGS = ['apiBaseUrl', 'requestTimeoutMs', 'pageSize', 'respectReviewSettings'] as const;

/** The levels of `WorkspaceConfiguration.inspect()` this decision needs (VS Code's own shape). */
export interface InspectedSetting<T> {
  readonly defaultValue?: T;
  readonly globalValue?: T;
  readonly workspaceValue?: T;
  readonly workspaceFolderValue?: T;
}

export function isUserOnlySetting(name: string): boolean {
  return (USER_ONLY_SETTINGS as readonly string[]).includes(name);
}

/**
 * The value to use: for a user-only setting the user's value, else the default (workspace and
 * folder values are ignored); for any other setting what `get()` gave (`effective`).
 */
export function settingValue<T>(name: string, inspected: InspectedSetting<T> | undefined, effective: T | undefined): T | undefined {
  if (!isUserOnlySetting(name)) return effective;
  return inspected?.globalValue ?? inspected?.defaultValue;
}
