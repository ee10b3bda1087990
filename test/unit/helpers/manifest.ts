// package.json as the unit tests read it: parsed once, typed only as far as the tests look.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './spec.ts';

export interface ManifestCommand { command: string; title: string; category?: string; icon?: string; enablement?: string }
export interface MenuItem { command?: string; submenu?: string; when?: string; group?: string }
export interface Keybinding { command: string; key: string; mac?: string; when?: string; args?: unknown }
export interface SettingSchema { type?: string; default?: unknown; scope?: string; description?: string; markdownDescription?: string }
export interface WalkthroughStep { id: string; title: string; description: string; media: { image?: unknown; altText?: string; markdown?: string; svg?: string }; completionEvents?: string[]; when?: string }
export interface Walkthrough { id: string; title: string; description: string; steps: WalkthroughStep[]; when?: string }

export interface Manifest {
  name: string;
  displayName: string;
  publisher: string;
  version: string;
  icon?: string;
  galleryBanner?: { color?: string; theme?: string };
  categories?: string[];
  engines: { vscode: string; node?: string };
  extensionKind?: string[];
  repository?: { type?: string; url?: string } | string;
  bugs?: { url?: string } | string;
  homepage?: string;
  scripts: Record<string, string>;
  devDependencies: Record<string, string>;
  dependencies: Record<string, string>;
  activationEvents?: string[];
  capabilities?: {
    untrustedWorkspaces?: { supported: boolean | 'limited'; description?: string; restrictedConfigurations?: string[] };
    virtualWorkspaces?: boolean | { supported: boolean | 'limited'; description?: string };
  };
  contributes: {
    configuration: { title: string; properties: Record<string, SettingSchema> };
    commands: ManifestCommand[];
    menus: Record<string, MenuItem[]>;
    keybindings?: Keybinding[];
    views: Record<string, { id: string; name: string; when?: string }[]>;
    viewsContainers: Record<string, { id: string; title: string; icon: string }[]>;
    viewsWelcome?: { view: string; contents: string; when?: string }[];
    walkthroughs?: Walkthrough[];
    customEditors?: { viewType: string }[];
    jsonValidation?: { fileMatch: string | string[]; url: string }[];
  };
}

export const MANIFEST_PATH = path.join(REPO_ROOT, 'package.json');
export const manifest = JSON.parse(readFileSync(MANIFEST_PATH, 'utf8')) as Manifest;
