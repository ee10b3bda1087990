// Connected Statsig projects. Every project is one Console API key with a label the user chose; the
// keys of all projects for one API base URL are stored together in ONE SecretStorage entry (keyed
// by the base URL), so adding, renaming or signing out of a project in one window reaches every
// other window through `secrets.onDidChange`.
import { z } from 'zod';

export const StoredProject = z.object({
  id: z.string().min(1),
  label: z.string().min(1),
  key: z.string().min(1),
});
export type StoredProject = z.infer<typeof StoredProject>;

const StoredProjects = z.object({ version: z.literal(1), projects: z.array(StoredProject) });

/** A connected project as the rest of the extension sees it: never carries the key. */
export interface Project {
  readonly id: string;
  readonly label: string;
  readonly baseUrl: string;
}

export type ParsedProjects =
  | { readonly ok: true; readonly projects: StoredProject[] }
  | { readonly ok: false; readonly reason: string };

/**
 * Reads the stored value. A bare key (no JSON) is accepted as one project labelled "Statsig project";
 * anything else that does not match is reported, never thrown, so a damaged entry cannot break
 * activation (the user is asked to set the key again).
 */
export function parseStoredProjects(raw: string | undefined): ParsedProjects {
  if (raw === undefined || raw.trim() === '') return { ok: true, projects: [] };
  const text = raw.trim();
  if (!text.startsWith('{')) {
    if (/\s/.test(text)) return { ok: false, reason: 'the stored value is neither a key nor a project list' };
    return { ok: true, projects: [{ id: 'default', label: 'Statsig project', key: text }] };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'the stored project list is not valid JSON' };
  }
  const parsed = StoredProjects.safeParse(json);
  if (!parsed.success) return { ok: false, reason: 'the stored project list has an unexpected shape' };
  return { ok: true, projects: parsed.data.projects };
}

export function serializeProjects(projects: readonly StoredProject[]): string {
  return JSON.stringify({ version: 1, projects });
}

/** Why a label cannot be used, or undefined when it can. Labels are unique per base URL, case-insensitively. */
export function labelProblem(label: string, existing: readonly { readonly id: string; readonly label: string }[], selfId?: string): string | undefined {
  const l = label.trim();
  if (l.length === 0) return 'Enter a label, for example the project\'s name.';
  if (l.length > 60) return 'Keep the label under 60 characters.';
  const clash = existing.find((p) => p.id !== selfId && p.label.toLowerCase() === l.toLowerCase());
  return clash ? `"${clash.label}" is already connected; choose another label.` : undefined;
}

/** A label that is not taken yet: "Statsig project", then "Statsig project 2", … */
export function suggestLabel(existing: readonly { readonly label: string }[]): string {
  const taken = new Set(existing.map((p) => p.label.toLowerCase()));
  const base = 'Statsig project';
  if (!taken.has(base.toLowerCase())) return base;
  for (let i = 2; ; i++) if (!taken.has(`${base} ${i}`.toLowerCase())) return `${base} ${i}`;
}

/** A short id, unique among `existing`. */
export function newProjectId(existing: readonly { readonly id: string }[]): string {
  const ids = new Set(existing.map((p) => p.id));
  for (;;) {
    const id = Math.random().toString(36).slice(2, 10);
    if (id.length >= 6 && !ids.has(id)) return id;
  }
}
