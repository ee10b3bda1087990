// Connected Statsig projects. Every project is one Console API key with a label the user chose,
// identified by its Statsig project id (GET /console/v1/project): drafts, labels and "already
// connected" follow the project, not the key, so a new key or a reconnect re-attaches its drafts. The
// keys of all projects for one API base URL are stored together in ONE SecretStorage entry (keyed
// by the base URL), so adding, renaming or signing out of a project in one window reaches every
// other window through `secrets.onDidChange`.
import { z } from 'zod';
import { SQL_DIALECTS, type SqlDialect } from './sql/dialects.ts';

export const StoredProject = z.object({
  id: z.string().min(1),
  label: z.string().min(1),
  key: z.string().min(1),
  /** The warehouse's SQL dialect, when the user chose one for this project (else the setting's). */
  dialect: z.enum(SQL_DIALECTS).optional().catch(undefined),
});
export type StoredProject = z.infer<typeof StoredProject>;

const StoredProjects = z.object({ version: z.literal(1), projects: z.array(StoredProject) });

/** A connected project as the rest of the extension sees it: never carries the key. */
export interface Project {
  readonly id: string;
  readonly label: string;
  readonly baseUrl: string;
  /** Set only when the user chose this project's dialect (Set SQL Dialect…). */
  readonly dialect?: SqlDialect;
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

/** The label offered for a newly connected project: it names the Statsig project id. */
export function defaultLabel(projectId: string, existing: readonly { readonly label: string }[]): string {
  const taken = new Set(existing.map((p) => p.label.toLowerCase()));
  const short = projectId.length > 24 ? `${projectId.slice(0, 24)}…` : projectId;
  const base = `Statsig project ${short}`;
  if (!taken.has(base.toLowerCase())) return base;
  for (let i = 2; ; i++) if (!taken.has(`${base} (${i})`.toLowerCase())) return `${base} (${i})`;
}

const SAFE_AUTHORITY = /^[A-Za-z0-9_-]{1,128}$/;

/**
 * A project id as the authority of its sources' URIs (statsig://<authority>/…). Statsig's ids are
 * letters and digits; anything else is hex-encoded behind `~` (which no plain id contains), so any
 * id the server sends gives a valid, reversible authority.
 */
export function projectAuthority(projectId: string): string {
  if (SAFE_AUTHORITY.test(projectId)) return projectId;
  return `~${Buffer.from(projectId, 'utf8').toString('hex')}`;
}

/** The project id an authority names, or undefined when it is not one of ours. */
export function projectIdFromAuthority(authority: string): string | undefined {
  if (SAFE_AUTHORITY.test(authority)) return authority;
  if (authority.startsWith('~') && /^~(?:[0-9a-f]{2})+$/.test(authority)) return Buffer.from(authority.slice(1), 'hex').toString('utf8');
  return undefined;
}
