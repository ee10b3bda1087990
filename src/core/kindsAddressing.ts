// How a source is named and reached: the two addressing strategies the kind descriptors point to.
// Most kinds are *named*: `name` is the whole identity and sits in the URL path. Ingestion sources
// are named by type + dataset + source_name, which travel as query parameters (reads, deletes) or
// in the body (writes) of one shared endpoint, and whose answers hold every source of a type and
// dataset. Everything that follows from that difference — refs, keys, labels, the request for one
// source, reading its answer, the document fields of its identity and the questions New Source
// asks — is one of these two objects, so no code outside the kinds files branches on the kind to
// name or reach a source.
import { z } from 'zod';
import { formatIssues } from './client.ts';
import type {
  IngestionRef, InvalidItem, KindDescriptor, KindId, NamedKindId, NamedRef, SourceRecord, SourceRef,
} from './kinds.ts';
import { IngestionDto, IngestionSource, IngestionTypes, type IngestionType } from './schemas/ingestion.ts';

/** Where a request about one existing source goes. */
export interface ItemRequest {
  readonly path: string;
  /** The identity as query parameters. */
  readonly query?: Readonly<Record<string, string>>;
  /** The identity as body fields; the caller merges them into the request body. */
  readonly body?: Readonly<Record<string, string>>;
}

/** One question New Source asks; its answer is the identity field `field`. */
export interface IdentityQuestion {
  readonly field: string;
  /** A pick from these; without them, a name typed in (checked for clashes with its siblings). */
  readonly choices?: readonly string[];
  /** The pick's placeholder, or the input box's prompt. */
  readonly prompt: string;
}

/**
 * One way of addressing sources. Methods (not function-valued properties) on purpose: a strategy
 * for one shape of ref is then usable wherever `Addressing<SourceRef>` is, and kinds.ts only ever
 * hands a ref to the strategy of its own kind.
 */
export interface Addressing<R extends SourceRef = SourceRef> {
  /** The document fields that hold the identity, in the order the address spells them. */
  readonly identityFields: readonly string[];
  /** Stable identity string: tree ids, drafts, de-duplication. */
  key(ref: R): string;
  /** The name a person knows the source by. */
  name(ref: R): string;
  /** The name with whatever else is needed to tell it apart, for messages and titles. */
  label(ref: R): string;
  /** What the tree shows after the name about where the source lives, if anything. */
  detail(ref: R): string | undefined;
  /** The identity fields with the values the ref gives them. */
  identity(ref: R): Record<string, string>;
  /** The ref that identity values (a document, a request body, URI segments, answers) name; undefined when they name none. */
  refOf(kind: KindId, identity: Readonly<Record<string, unknown>>): R | undefined;
  /** Why no request can address the source, or undefined when one can. */
  unaddressable(ref: R): string | undefined;
  /** The request for one source (read, full update, patch, delete); throws before sending when it cannot be addressed. */
  request(d: KindDescriptor, ref: R, method: 'GET' | 'POST' | 'PATCH' | 'DELETE'): ItemRequest;
  /** What the `data` of an answer about one source looks like (checked by the client; a mismatch is a ResponseSchemaError). */
  answerSchema(d: KindDescriptor): z.ZodType<Record<string, unknown>>;
  /** The source `ref` in such an answer: its record, the item that could not be read, or undefined when it is not there. */
  recordIn(d: KindDescriptor, ref: R, data: unknown): SourceRecord | InvalidItem | undefined;
  /** What New Source asks, in order. */
  questions(d: KindDescriptor): readonly IdentityQuestion[];
}

// ------------------------------------------------------------------ names in URL paths

/**
 * Why a name cannot be put in an item path, or undefined when it can. URL normalisation rewrites
 * dot segments (`.`, `..`, also percent-encoded), so a request for such a name would silently
 * reach another endpoint (a dry run of `.` became a create; `..` hit the list).
 */
export function unaddressableReason(name: string): string | undefined {
  const segment = encodeURIComponent(name);
  const probe = `/x/${segment}/y`;
  let normalised: string;
  try {
    normalised = new URL(probe, 'http://h').pathname;
  } catch {
    return `the name "${name}" cannot be written in a URL`;
  }
  if (normalised !== probe) return `the name "${name}" is a dot segment that URLs rewrite, so the Console API cannot address it`;
  return undefined;
}

/** A source name that no Console API URL can address; nothing was sent. */
export class UnaddressableNameError extends Error {
  constructor(reason: string) {
    super(`Nothing was sent: ${reason}. Rename it in the Statsig console.`);
    this.name = 'UnaddressableNameError';
  }
}

/**
 * A path template of kinds.ts (`…/metric_source/{name}`) with the name in it; throws (before any
 * request) when URLs cannot carry the name. A function replacer, so a `$&` in a name stays literal.
 */
export function pathWithName(template: string, name: string): string {
  const reason = unaddressableReason(name);
  if (reason) throw new UnaddressableNameError(reason);
  if (!template.includes('{name}')) throw new Error(`the path ${template} has no {name}`);
  return template.replace('{name}', () => encodeURIComponent(name));
}

/** What a raw item is called in a list or a message: its name, else its source_name, else some of its JSON. */
export function itemLabel(raw: unknown): string {
  if (raw && typeof raw === 'object') {
    const o = raw as Record<string, unknown>;
    if (typeof o['name'] === 'string') return o['name'];
    if (typeof o['source_name'] === 'string') return o['source_name'];
  }
  return JSON.stringify(raw)?.slice(0, 80) ?? String(raw);
}

// ------------------------------------------------------------------ named: assignment, entity property, qualifying event, metric

export const namedAddressing: Addressing<NamedRef> = {
  identityFields: ['name'],
  key: (ref) => `${ref.kind}:${ref.name}`,
  name: (ref) => ref.name,
  label: (ref) => ref.name,
  detail: () => undefined,
  identity: (ref) => ({ name: ref.name }),
  refOf(kind, identity) {
    const name = identity['name'];
    return typeof name === 'string' ? { kind: kind as NamedKindId, name } : undefined;
  },
  unaddressable: (ref) => unaddressableReason(ref.name),
  request: (d, ref) => ({ path: pathWithName(d.paths.item, ref.name) }),
  answerSchema: (d) => d.schemas.response,
  recordIn(d, ref, data) {
    const parsed = d.schemas.response.safeParse(data);
    if (!parsed.success) return { kind: ref.kind, label: ref.name, raw: data, issues: formatIssues(parsed.error) };
    // The server's own name, as the server spells it (a read by name answers with that source).
    const named = namedAddressing.refOf(ref.kind, parsed.data) ?? ref;
    return { ref: named, key: namedAddressing.key(named), data: parsed.data };
  },
  questions: (d) => [{ field: 'name', prompt: d.immutableFields.includes('name') ? 'Name (it cannot change after creation)' : 'Name' }],
};

// ------------------------------------------------------------------ ingestion: type + dataset + source_name

/** Datasets an ingestion source can be created for (IngestionSourceCreate's discriminator). */
export const INGESTION_CREATE_DATASETS = ['Events', 'Metrics', 'export_exposures'] as const;

const isIngestionType = (v: unknown): v is IngestionType => typeof v === 'string' && (IngestionTypes as readonly string[]).includes(v);

export const ingestionAddressing: Addressing<IngestionRef> = {
  identityFields: ['type', 'dataset', 'source_name'],
  key: (ref) => `${ref.kind}:${ref.type}/${ref.dataset}/${ref.sourceName}`,
  name: (ref) => ref.sourceName,
  label: (ref) => `${ref.sourceName} (${ref.type}, ${ref.dataset})`,
  detail: (ref) => `${ref.type} · ${ref.dataset}`,
  identity: (ref) => ({ type: ref.type, dataset: ref.dataset, source_name: ref.sourceName }),
  refOf(kind, identity) {
    const { type, dataset, source_name: sourceName } = identity;
    if (kind !== 'ingestionSource' || !isIngestionType(type) || typeof dataset !== 'string' || typeof sourceName !== 'string') return undefined;
    return { kind, type, dataset, sourceName };
  },
  // Query parameters and bodies carry any string.
  unaddressable: () => undefined,
  request(d, ref, method) {
    const identity = ingestionAddressing.identity(ref);
    return method === 'GET' || method === 'DELETE' ? { path: d.paths.item, query: identity } : { path: d.paths.item, body: identity };
  },
  // The answer is the configuration of the whole type and dataset (ingestionItems reads it).
  answerSchema: () => z.record(z.string(), z.unknown()),
  recordIn(_d, ref, data) {
    const items = data && typeof data === 'object' ? ingestionItems(ref.type, ref.dataset, data as Record<string, unknown>) : [];
    const key = ingestionAddressing.key(ref);
    return items.find((i): i is SourceRecord => !('issues' in i) && i.key === key) ?? items.find((i) => 'issues' in i);
  },
  questions: () => [
    { field: 'type', choices: IngestionTypes, prompt: 'Warehouse type' },
    { field: 'dataset', choices: INGESTION_CREATE_DATASETS, prompt: 'Dataset' },
    { field: 'source_name', prompt: 'source_name' },
  ],
};

/** Turns the open `IngestionDto.data` into source records (README "Decisions": `sources[]` or one source). */
export function ingestionItems(type: IngestionType, dataset: string, data: Record<string, unknown>): (SourceRecord | InvalidItem)[] {
  const inner = IngestionDto.safeParse(data).success ? (data['data'] as Record<string, unknown>) : data;
  if (!Array.isArray(inner['sources']) && !Object.hasOwn(inner, 'source_name')) {
    // Neither shape we read (README "Decisions"): say so, never "not configured" or an empty list.
    const keys = Object.keys(inner).slice(0, 12).join(', ') || 'none';
    return [{
      kind: 'ingestionSource', label: `${type} · ${dataset}`, raw: data,
      issues: [`the answer for ${type} / ${dataset} has neither data.sources[] nor data.source_name (its keys: ${keys})`],
    }];
  }
  const rawItems: unknown[] = Array.isArray(inner['sources']) ? (inner['sources'] as unknown[]) : [inner];
  return rawItems.map((raw) => {
    const candidate = raw && typeof raw === 'object' ? { type, dataset, ...(raw as Record<string, unknown>) } : raw;
    const parsed = IngestionSource.safeParse(candidate);
    if (!parsed.success) return { kind: 'ingestionSource', label: itemLabel(raw), raw, issues: formatIssues(parsed.error) };
    const ref: IngestionRef = { kind: 'ingestionSource', type: parsed.data.type, dataset: parsed.data.dataset, sourceName: parsed.data.source_name };
    return { ref, key: ingestionAddressing.key(ref), data: parsed.data };
  });
}
