// Where a source lives as a document: `statsig://<projectId>/<kind>/<name>.json`, and for ingestion
// sources `statsig://<projectId>/ingestionSource/<type>/<dataset>/<source_name>.json`. Only `%` and
// `/` are escaped in a segment (as %25 and %2F), so names with slashes round-trip while names with
// spaces still read naturally in tabs and the Problems panel. Pure: the extension wraps these in
// vscode.Uri.
import type { SourceRef } from './kinds.ts';
import { IngestionTypes, type IngestionType } from './schemas/ingestion.ts';
import { KindIds, type KindId } from './kinds.ts';

const enc = (s: string) => s.replace(/%/g, '%25').replace(/\//g, '%2F');

export function sourcePath(ref: SourceRef): string {
  return ref.kind === 'ingestionSource'
    ? `/ingestionSource/${enc(ref.type)}/${enc(ref.dataset)}/${enc(ref.sourceName)}.json`
    : `/${ref.kind}/${enc(ref.name)}.json`;
}

/** The ref a path names, or undefined when it names none. `path` is as vscode.Uri.path gives it (decoded). */
export function parseSourcePath(path: string): SourceRef | undefined {
  if (!path.startsWith('/') || !path.endsWith('.json')) return undefined;
  // vscode.Uri decodes the path; split on raw slashes of our own encoding by re-reading segments.
  const segments = path.slice(1, -'.json'.length).split('/');
  const kind = segments[0] as KindId | undefined;
  if (!kind || !(KindIds as readonly string[]).includes(kind)) return undefined;
  const rest = segments.slice(1).map((s) => safeDecode(s));
  if (rest.some((s) => s === undefined || s === '')) return undefined;
  const parts = rest as string[];
  if (kind === 'ingestionSource') {
    const [type, dataset, sourceName] = parts;
    if (parts.length !== 3 || !type || !dataset || !sourceName) return undefined;
    if (!(IngestionTypes as readonly string[]).includes(type)) return undefined;
    return { kind, type: type as IngestionType, dataset, sourceName };
  }
  if (parts.length !== 1 || !parts[0]) return undefined;
  return { kind, name: parts[0] };
}

function safeDecode(s: string): string | undefined {
  try {
    return decodeURIComponent(s);
  } catch {
    return undefined;
  }
}
