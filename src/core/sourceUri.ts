// Where a source lives as a document: `statsig://<projectId>/<kind>/<identity…>.json`, one segment
// per identity field of its kind's addressing (kindsAddressing.ts): `<name>` for named kinds,
// `<type>/<dataset>/<source_name>` for ingestion sources. Only `%` and `/` are escaped in a segment
// (as %25 and %2F), so names with slashes round-trip while names with spaces still read naturally
// in tabs and the Problems panel. Pure: the extension wraps these in vscode.Uri.
import { KINDS, KindIds, identityOf, refOf, type KindId, type SourceRef } from './kinds.ts';

const enc = (s: string) => s.replace(/%/g, '%25').replace(/\//g, '%2F');

/** A source is one JSON document (`.json`); its SQL is also a document of its own, the `.sql` view. */
export type SourceView = 'json' | 'sql';

export function sourcePath(ref: SourceRef, view: SourceView = 'json'): string {
  const identity = identityOf(ref);
  const segments = KINDS[ref.kind].addressing.identityFields.map((f) => enc(identity[f] ?? ''));
  return `/${ref.kind}/${segments.join('/')}.${view}`;
}

/** The ref a path names, or undefined when it names none. `path` is as vscode.Uri.path gives it (decoded). */
export function parseSourcePath(path: string, view: SourceView = 'json'): SourceRef | undefined {
  const ext = `.${view}`;
  if (!path.startsWith('/') || !path.endsWith(ext)) return undefined;
  // vscode.Uri decodes the path; split on raw slashes of our own encoding by re-reading segments.
  const segments = path.slice(1, -ext.length).split('/');
  const kind = segments[0] as KindId | undefined;
  if (!kind || !(KindIds as readonly string[]).includes(kind)) return undefined;
  const rest = segments.slice(1).map((s) => safeDecode(s));
  if (rest.some((s) => s === undefined || s === '')) return undefined;
  const fields = KINDS[kind].addressing.identityFields;
  if (rest.length !== fields.length) return undefined;
  return refOf(kind, Object.fromEntries(fields.map((f, i) => [f, rest[i]])));
}

function safeDecode(s: string): string | undefined {
  try {
    return decodeURIComponent(s);
  } catch {
    return undefined;
  }
}
