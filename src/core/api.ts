// Operations on every kind, driven by the descriptors: list, read one, create, full update, patch,
// delete, each mutation also as a dry run; plus ingestion discovery and its read-only endpoints.
// Where a request about one source goes, and how its answer is read, is the kind's addressing
// strategy (kindsAddressing.ts); this file never asks which kind it has.
import { z } from 'zod';
import { formatIssues, type ConsoleClient, type RequestClass } from './client.ts';
import {
  errorMessage, isStatsigApiError, MutationNotAppliedError, NotFoundError, ResponseSchemaError, StatsigApiError, ValidationError,
} from './errors.ts';
import {
  KINDS, descriptor, withoutServerOwned, identityOf, refKey, refLabel, refName, refOf,
  type InvalidItem, type KindDescriptor, type KindId, type SourceRecord, type SourceRef,
} from './kinds.ts';
import { ingestionItems, itemLabel, pathWithName, type ItemRequest } from './kindsAddressing.ts';
import { listAllPages, mapBounded, type ListAllResult } from './pagination.ts';
import { ListEnvelope, MessageEnvelope, ProjectInfo, SingleEnvelope, UnitIdType, envelopeOf } from './schemas/common.ts';
import { IngestionReadDatasets, IngestionTypes, type IngestionReadDataset, type IngestionType } from './schemas/ingestion.ts';
import { formatPath, jsonEqual } from '../shared/jsonPath.ts';

export type { InvalidItem };
export { ingestionItems };

export interface KindListing {
  readonly kind: KindId;
  readonly records: SourceRecord[];
  readonly invalid: InvalidItem[];
  readonly requests: number;
  readonly sequentialRounds: number;
  readonly truncated: boolean;
  /** Why the listing is incomplete, in words, when it is. */
  readonly truncatedReason?: string;
  /** Ingestion only: the type × dataset combinations that answered (configured) or failed, to re-ask on a refresh. */
  readonly probed?: readonly IngestionCombo[];
  /** Ingestion only: combinations whose answer failed; what was found elsewhere is kept. */
  readonly failures?: readonly { readonly label: string; readonly error: unknown }[];
}

export interface IngestionCombo {
  readonly type: IngestionType;
  readonly dataset: IngestionReadDataset;
}

export interface DiscoveryOptions extends CallOptions {
  /** Ask only these combinations (a refresh of what an earlier discovery found); default: all 32. */
  readonly only?: readonly IngestionCombo[];
}

export interface MutationResult {
  readonly status: number;
  readonly message: string | undefined;
  /** The object as the server returned it (for a dry run: as it would be). */
  readonly record: SourceRecord | undefined;
  /** The outcome was unknown (5xx, timeout, dropped connection) and a re-read showed it applied. */
  readonly reconciled: boolean;
}

export interface ApiOptions {
  /** `limit` asked for on list calls (the server may cap it). */
  readonly pageSize?: number;
  /** Requests in flight at once per listing. */
  readonly concurrency?: number;
  readonly maxPages?: number;
}

export interface CallOptions {
  readonly signal?: AbortSignal;
}

export interface MutationOptions extends CallOptions {
  readonly dryRun?: boolean;
}

export const DEFAULT_PAGE_SIZE = 100;
const PROJECT_PATH = '/console/v1/project';
const UNIT_ID_TYPES_PATH = '/console/v1/unit_id_types';


const LooseMutationEnvelope = z.looseObject({ message: z.string().optional(), data: z.unknown().optional() });

export class SourcesApi {
  readonly client: ConsoleClient;
  private readonly pageSize: number;
  private readonly concurrency: number;
  private readonly maxPages: number | undefined;

  constructor(client: ConsoleClient, options: ApiOptions = {}) {
    this.client = client;
    this.pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
    this.concurrency = options.concurrency ?? 8;
    this.maxPages = options.maxPages;
  }

  // ------------------------------------------------------------------ listing

  async list(kind: KindId, options: DiscoveryOptions = {}): Promise<KindListing> {
    const d = descriptor(kind);
    // No list-all endpoint (ingestion): every type × dataset combination is asked instead.
    if (!d.capabilities.listAll) return this.discoverIngestion(options);
    if (d.paths.list === undefined) throw new Error(`${d.label} can be listed but kinds.ts gives no list path.`);
    let requests = 0;
    const result = await this.listPaged(d.paths.list, options, () => requests++);
    const records: SourceRecord[] = [];
    const invalid: InvalidItem[] = [];
    for (const raw of result.items) {
      const parsed = d.schemas.response.safeParse(raw);
      const ref = parsed.success ? d.addressing.refOf(kind, parsed.data) : undefined;
      const unaddressable = ref && d.addressing.unaddressable(ref);
      if (unaddressable) {
        invalid.push({ kind, label: itemLabel(raw), raw, issues: [`${unaddressable}: it cannot be opened, pushed or deleted from here`], unaddressable: true });
      } else if (parsed.success && ref) {
        records.push({ ref, key: refKey(ref), data: parsed.data });
      } else {
        invalid.push({ kind, label: itemLabel(raw), raw, issues: parsed.success ? ['the item does not say which source it is'] : formatIssues(parsed.error) });
      }
    }
    return {
      kind, records, invalid, requests, sequentialRounds: result.sequentialRounds, truncated: result.truncated,
      ...(result.truncated ? { truncatedReason: `${result.items.length} read in ${requests} pages; the server's own total says there are more, or its pages never ended` } : {}),
    };
  }

  /** Every kind at once; one kind failing does not hide the others. */
  async listEverything(options: CallOptions = {}): Promise<Map<KindId, PromiseSettledResult<KindListing>>> {
    const kinds = Object.keys(KINDS) as KindId[];
    const settled = await Promise.allSettled(kinds.map((k) => this.list(k, options)));
    return new Map(kinds.map((k, i) => [k, settled[i] as PromiseSettledResult<KindListing>]));
  }

  private async listPaged(path: string, options: CallOptions, onRequest: () => void, identity: (item: unknown) => string = itemLabel): Promise<ListAllResult<unknown>> {
    return listAllPages<unknown>({
      concurrency: this.concurrency,
      ...(this.maxPages !== undefined ? { maxPages: this.maxPages } : {}),
      identity,
      fetchPage: async (page) => {
        onRequest();
        const res = await this.client.request({
          method: 'GET', path, query: { page, limit: this.pageSize }, schema: ListEnvelope, requestClass: 'read', signal: options.signal,
        });
        return { items: res.data.data, pagination: res.data.pagination };
      },
    });
  }

  /**
   * Ingestion has no list-all endpoint: every type × dataset combination is asked concurrently
   * (or only `options.only`), and a combination that is not configured (404) is simply absent.
   * One failing combination does not hide the others: it is reported in `failures` and kept in
   * `probed`, so a refresh asks it again. Only when every combination failed does this throw.
   */
  async discoverIngestion(options: DiscoveryOptions = {}): Promise<KindListing> {
    const combos: readonly IngestionCombo[] = options.only ?? IngestionTypes.flatMap((type) => IngestionReadDatasets.map((dataset) => ({ type, dataset })));
    let requests = 0;
    const answers = await mapBounded(combos, Math.max(1, combos.length), async ({ type, dataset }) => {
      requests++;
      try {
        const res = await this.client.request({
          method: 'GET', path: KINDS.ingestionSource.paths.item, query: { type, dataset }, schema: SingleEnvelope,
          requestClass: 'read', signal: options.signal,
        });
        return { type, dataset, data: res.data.data };
      } catch (error) {
        if (error instanceof NotFoundError) return { type, dataset, absent: true as const };
        if (isStatsigApiError(error) && error.kind === 'cancelled') throw error;
        return { type, dataset, error };
      }
    });
    const failed = answers.filter((a): a is IngestionCombo & { error: unknown } => 'error' in a);
    if (failed.length > 0 && failed.length === answers.length) throw failed[0]?.error;
    const records: SourceRecord[] = [];
    const invalid: InvalidItem[] = [];
    const seen = new Set<string>();
    const probed: IngestionCombo[] = [];
    for (const f of answers) {
      if ('absent' in f) continue;
      probed.push({ type: f.type, dataset: f.dataset });
      if (!('data' in f) || !f.data) continue;
      for (const item of ingestionItems(f.type, f.dataset, f.data)) {
        if ('issues' in item) {
          invalid.push(item);
        } else if (!seen.has(item.key)) {
          seen.add(item.key);
          records.push(item);
        }
      }
    }
    for (const f of failed) this.client.log('warn', `GET ${KINDS.ingestionSource.paths.item}?type=${f.type}&dataset=${f.dataset} failed; the other ingestion sources are kept: ${errorMessage(f.error)}`);
    return {
      kind: KINDS.ingestionSource.id, records, invalid, requests, sequentialRounds: 1, truncated: false, probed,
      failures: failed.map((f) => ({ label: `${f.type} · ${f.dataset}`, error: f.error })),
    };
  }

  /**
   * The project this key belongs to (`GET /console/v1/project`): one cheap authenticated call that
   * both checks a key before it is stored and names the project, so drafts, labels and "already
   * connected" follow the Statsig project rather than the key.
   */
  async getProject(options: CallOptions = {}): Promise<ProjectInfo> {
    const res = await this.client.request({
      method: 'GET', path: PROJECT_PATH, schema: envelopeOf(ProjectInfo), requestClass: 'read', signal: options.signal,
    });
    const id = res.data.data.id.trim();
    if (id === '') throw new ResponseSchemaError({ method: 'GET', path: PROJECT_PATH }, res.status, ['data.id: the project id is empty']);
    return { ...res.data.data, id };
  }

  /** Checks a key before storing it; returns the project it belongs to. */
  async checkKey(options: CallOptions = {}): Promise<ProjectInfo> {
    return this.getProject(options);
  }

  /** The project's unit ID types (every page), the valid values of `idTypeMapping[].statsigUnitID`. */
  async listUnitIdTypes(options: CallOptions = {}): Promise<{ types: UnitIdType[]; truncated: boolean }> {
    const result = await this.listPaged(UNIT_ID_TYPES_PATH, options, () => undefined);
    const types: UnitIdType[] = [];
    for (const raw of result.items) {
      const parsed = UnitIdType.safeParse(raw);
      if (parsed.success) types.push(parsed.data);
      else this.client.log('warn', `GET ${UNIT_ID_TYPES_PATH}: an item does not match the spec and is ignored (${formatIssues(parsed.error).join('; ')})`);
    }
    return { types, truncated: result.truncated };
  }

  // ------------------------------------------------------------------ read one

  async get(ref: SourceRef, options: CallOptions = {}): Promise<SourceRecord> {
    const d = descriptor(ref.kind);
    if (!d.capabilities.getByName) {
      // No GET-by-name for this kind (assignment sources): list and filter.
      const listing = await this.list(ref.kind, options);
      const hit = listing.records.find((r) => r.key === refKey(ref));
      if (!hit) throw new NotFoundError({ method: 'GET', path: d.paths.list ?? d.paths.item }, `${d.singular} "${refName(ref)}" does not exist.`);
      return hit;
    }
    const where = d.addressing.request(d, ref, 'GET');
    const res = await this.client.request({
      method: 'GET', path: where.path, ...(where.query ? { query: where.query } : {}),
      schema: envelopeOf(d.addressing.answerSchema(d)), requestClass: 'read', signal: options.signal,
    });
    const found = d.addressing.recordIn(d, ref, res.data.data);
    if (found && 'issues' in found) throw new ValidationError({ method: 'GET', path: where.path }, 200, undefined, found.issues.map((m) => ({ property: 'data', errorMessage: m })));
    if (!found) throw new NotFoundError({ method: 'GET', path: where.path }, `${refLabel(ref)} is not configured.`);
    return found;
  }

  /** What is built on a source (a metric source's metrics), shown before deleting it; undefined when its kind has no such list. */
  async dependents(ref: SourceRef, options: CallOptions = {}): Promise<Record<string, unknown>[] | undefined> {
    const template = KINDS[ref.kind].paths.dependents;
    if (!template) return undefined;
    const path = pathWithName(template, refName(ref));
    // A metric is identified by its id, else by name and type: two metrics of different types may share a name.
    const identity = (item: unknown) => {
      const o = item && typeof item === 'object' ? (item as Record<string, unknown>) : {};
      return typeof o['id'] === 'string' ? `id:${o['id']}` : `${String(o['type'])}:${itemLabel(item)}`;
    };
    const result = await this.listPaged(path, options, () => undefined, identity);
    return result.items.filter((i): i is Record<string, unknown> => typeof i === 'object' && i !== null);
  }

  // ------------------------------------------------------------------ mutations

  async create(kind: KindId, body: Record<string, unknown>, options: MutationOptions = {}): Promise<MutationResult> {
    const d = descriptor(kind);
    const payload = this.requestBody(d, 'create', body, options.dryRun);
    // The create schema requires the identity fields, so the body names the new source.
    const ref = refOf(kind, payload);
    if (!ref) throw new Error(`The body does not say which ${d.singular} to create.`);
    return this.mutate(kind, ref, { method: 'POST', path: d.paths.create, body: payload }, options, payload);
  }

  /** Full update (POST …/{name}); the only way to change `sql`. */
  async update(ref: SourceRef, body: Record<string, unknown>, options: MutationOptions = {}): Promise<MutationResult> {
    const d = descriptor(ref.kind);
    // A kind without a full update (ingestion) takes the whole object by PATCH.
    if (!d.capabilities.fullUpdate) return this.patch(ref, body, options);
    return this.write(d, ref, 'POST', 'update', body, options);
  }

  /** PATCH: only the fields given; `sql` cannot be part of it. */
  async patch(ref: SourceRef, body: Record<string, unknown>, options: MutationOptions = {}): Promise<MutationResult> {
    const d = descriptor(ref.kind);
    if (!d.capabilities.patch) throw new Error(`${d.singular} has no PATCH endpoint; use the full update.`);
    return this.write(d, ref, 'PATCH', 'patch', body, options);
  }

  async delete(ref: SourceRef, options: CallOptions = {}): Promise<MutationResult> {
    const d = descriptor(ref.kind);
    if (!d.capabilities.delete) throw new Error(`Statsig offers no way to delete ${d.label.toLowerCase()}.`);
    const where = d.addressing.request(d, ref, 'DELETE');
    const request = { method: 'DELETE' as const, path: where.path, ...(where.query ? { query: where.query } : {}) };
    try {
      const res = await this.client.request({ ...request, schema: MessageEnvelope, requestClass: 'mutation', signal: options.signal });
      return { status: res.status, message: res.data.message, record: undefined, reconciled: false };
    } catch (error) {
      if (!isStatsigApiError(error) || !error.mutationMayHaveApplied) throw error;
      const state = await this.reread(ref, options);
      if (state === 'unknown') throw error;
      if (state === 'absent') {
        this.client.log('info', `DELETE ${refLabel(ref)}: outcome was unknown (${error.message}); re-read shows it was applied.`);
        return { status: 200, message: undefined, record: undefined, reconciled: true };
      }
      throw new MutationNotAppliedError(error);
    }
  }

  // ------------------------------------------------------------------ internals

  /**
   * A full update or a patch of an existing source: the identity goes where its addressing puts it
   * (path, or body fields), and the result is looked for under the name the body gives it when
   * the kind can be renamed.
   */
  private write(
    d: KindDescriptor, ref: SourceRef, method: 'POST' | 'PATCH', mode: 'update' | 'patch', body: Record<string, unknown>, options: MutationOptions,
  ): Promise<MutationResult> {
    const where: ItemRequest = d.addressing.request(d, ref, method);
    const payload = this.requestBody(d, mode, { ...body, ...where.body }, options.dryRun);
    const renamed = d.capabilities.rename
      ? refOf(ref.kind, { ...identityOf(ref), ...Object.fromEntries(d.addressing.identityFields.filter((f) => typeof payload[f] === 'string').map((f) => [f, payload[f]])) })
      : undefined;
    return this.mutate(ref.kind, renamed ?? ref, { method, path: where.path, ...(where.query ? { query: where.query } : {}), body: payload }, options, payload);
  }

  /** Strips server-owned fields, adds `dryRun`, and checks the body against the request schema. */
  requestBody(d: KindDescriptor, mode: 'create' | 'update' | 'patch', body: Record<string, unknown>, dryRun: boolean | undefined): Record<string, unknown> {
    // `dryRun` travels only as this call says, never from a document.
    const { dryRun: _fromDocument, ...payload } = withoutServerOwned(d.id, body);
    if (dryRun) {
      if (!d.capabilities.dryRun) throw new Error(`Statsig offers no dry run for ${d.label.toLowerCase()}.`);
      payload['dryRun'] = true;
    }
    // A patch is checked against the patch schema where the kind has one, else against the update schema (ingestion).
    const schema = mode === 'create' ? d.schemas.create : mode === 'update' ? d.schemas.update : d.schemas.patch ?? d.schemas.update;
    if (!schema) throw new Error(`${d.singular} has no ${mode} operation.`);
    const parsed = schema.safeParse(payload);
    if (!parsed.success) {
      throw new ValidationError({ method: 'LOCAL', path: d.id }, 400, 'invalid body', parsed.error.issues.map((i) => ({
        property: formatPath(i.path.map((p) => (typeof p === 'symbol' ? String(p) : p))) || '(root)',
        errorMessage: i.message,
      })));
    }
    return payload;
  }

  private async mutate(
    kind: KindId,
    resultRef: SourceRef,
    request: { method: 'POST' | 'PATCH'; path: string; query?: Readonly<Record<string, string>>; body: Record<string, unknown> },
    options: MutationOptions,
    payload: Record<string, unknown>,
  ): Promise<MutationResult> {
    const requestClass: RequestClass = options.dryRun ? 'dryRun' : 'mutation';
    try {
      const res = await this.client.request({ ...request, schema: LooseMutationEnvelope, requestClass, signal: options.signal });
      return { status: res.status, message: res.data.message, record: this.resultRecord(kind, resultRef, res.data.data), reconciled: false };
    } catch (error) {
      if (!(error instanceof StatsigApiError) || !error.mutationMayHaveApplied) throw error;
      // The outcome is unknown: re-read instead of re-sending.
      const remote = await this.tryGet(resultRef, options);
      if (remote === 'unknown') throw error;
      if (remote && sameFields(payload, remote.data)) {
        this.client.log('info', `${request.method} ${refLabel(resultRef)}: outcome was unknown (${error.message}); re-read shows it was applied.`);
        return { status: 200, message: undefined, record: remote, reconciled: true };
      }
      throw new MutationNotAppliedError(error);
    }
  }

  private resultRecord(kind: KindId, ref: SourceRef, data: unknown): SourceRecord | undefined {
    if (!data || typeof data !== 'object') return undefined;
    const d = descriptor(kind);
    const found = d.addressing.recordIn(d, ref, data);
    return found && !('issues' in found) ? found : undefined;
  }

  private async tryGet(ref: SourceRef, options: CallOptions): Promise<SourceRecord | undefined | 'unknown'> {
    try {
      return await this.get(ref, options);
    } catch (error) {
      if (error instanceof NotFoundError) return undefined;
      this.client.log('warn', `Re-read of ${refLabel(ref)} after an uncertain mutation failed: ${errorMessage(error)}`);
      return 'unknown';
    }
  }

  private async reread(ref: SourceRef, options: CallOptions): Promise<'present' | 'absent' | 'unknown'> {
    const r = await this.tryGet(ref, options);
    return r === 'unknown' ? 'unknown' : r ? 'present' : 'absent';
  }
}

/** Every field that was sent has the sent value on the server. */
export function sameFields(sent: Record<string, unknown>, remote: Record<string, unknown>): boolean {
  return Object.entries(sent).every(([k, v]) => k === 'dryRun' || jsonEqual(v, remote[k]));
}

