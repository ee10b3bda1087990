// Checks recorded request/response exchanges against the official Console API spec subset, using a
// real OpenAPI validator: openapi-backend's OpenAPIValidator (ajv) — validateRequest for path, query,
// headers and body, validateResponse for the body per operation and status, validateResponseHeaders.
//
// Decisions (where the spec or the library leaves room):
// - Spec: /work/shared/statsig-openapi/console-api-20240601.whn-sources-subset.normalized.json, found
//   next to the repository root (`<repo>/../shared/statsig-openapi/...`); env STATSIG_OPENAPI_SPEC or
//   the `specPath` argument override it.
// - The spec has no operationIds: an in-memory copy gets synthetic ones, `METHOD /path/{param}`.
// - openapi-backend's meta-validation of the document is not run: the official file fails it
//   ($ref with sibling `description`, duplicate tags), which does not affect schema validation.
// - Three in-memory normalizations, in the spirit of the README's normalized copy:
//   1. Query parameters declared `oneOf: [string, number]` (GET /ingestion/runs `page`) become `anyOf`:
//      with the type coercion query strings need, "2" matches both branches and no request could pass.
//   2. `allOf: [SingleDataResponse, {properties: {data: <array schema>}}]` (GET /ingestion/events/count
//      and /events/delta): SingleDataResponse says `data` is an object while the operation says array,
//      which nothing can satisfy; the base's `data` type is dropped there and the operation's schema
//      decides.
//   3. A schema with `nullable: true` but no `type` (IngestionBackfillContractDto.source, a oneOf)
//      becomes `anyOf: [<schema>, {type: 'null'}]`: ajv refuses `nullable` without `type`.
// - Formats: `date-time` (RFC 3339) and `date` are checked; numeric formats as openapi-backend does.
// - Request violations count only for 2xx answers: an invalid request that the server accepted is a
//   violation; a 4xx answer to an invalid request is the server doing its job. A 2xx answer also
//   requires the STATSIG-API-KEY header (the spec's security scheme).
// - Every error answer (status >= 400) must have the common error shape
//   `{status: <the HTTP status>, message: string, errors?: [{property: string, errorMessage: string}]}`.
// - A status the operation does not document (403, 429, 5xx, 404 where undocumented, anything on an
//   unknown route) is never passed silently: checkExchange() reports `undocumentedStatus: true` with
//   the error-shape result in `errorShapeViolations` (no body-schema check is possible), and
//   validateExchange() returns `undocumented status N for OP` (plus any error-shape violations).
//   Callers that expect such statuses use checkExchange() and assert on `errorShapeViolations`.
// - Every response must be `content-type: application/json`.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { OpenAPIRouter, OpenAPIValidator } from 'openapi-backend';
import type { AjvCustomizer, Document, Operation } from 'openapi-backend';
import type { Exchange } from './server.ts';

export interface ExchangeReport {
  /** Synthetic operation id (`METHOD /path`), or null when the spec has no such operation. */
  operation: string | null;
  status: number;
  /** The status is listed under the operation's `responses`. */
  documentedStatus: boolean;
  /** The status (or the route) is not documented; see errorShapeViolations. */
  undocumentedStatus: boolean;
  /** Spec violations (response body/headers for documented statuses; request for 2xx answers; error shape). */
  violations: string[];
  /** Request violations regardless of the answer (informational for 4xx answers). */
  requestViolations: string[];
  /** The error-shape check (any status >= 400). */
  errorShapeViolations: string[];
}

export interface SpecValidator {
  /** Empty array = the exchange conforms. Undocumented statuses are reported, never passed silently. */
  validateExchange(e: Exchange): string[];
  checkExchange(e: Exchange): ExchangeReport;
  /** All synthetic operation ids of the spec. */
  operations(): string[];
}

type Json = Record<string, unknown>;
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

function isObj(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function defaultSpecPath(): string {
  const fromEnv = process.env.STATSIG_OPENAPI_SPEC;
  if (fromEnv !== undefined && fromEnv !== '') return resolve(fromEnv);
  const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
  return resolve(repoRoot, '..', 'shared', 'statsig-openapi', 'console-api-20240601.whn-sources-subset.normalized.json');
}

/** Resolves local `#/...` $refs into a tree (the subset has no cycles; a cycle throws). */
function dereference(doc: Json): Json {
  const lookup = (ref: string): unknown => {
    let node: unknown = doc;
    for (const raw of ref.replace(/^#\//, '').split('/')) {
      const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
      node = isObj(node) ? node[key] : undefined;
    }
    if (node === undefined) throw new Error(`Unresolvable $ref ${ref}`);
    return node;
  };
  const walk = (node: unknown, stack: string[]): unknown => {
    if (Array.isArray(node)) return node.map((n) => walk(n, stack));
    if (!isObj(node)) return node;
    if (typeof node.$ref === 'string') {
      if (stack.includes(node.$ref)) throw new Error(`Circular $ref ${node.$ref}`);
      return walk(lookup(node.$ref), [...stack, node.$ref]);
    }
    const out: Json = {};
    for (const [k, v] of Object.entries(node)) out[k] = walk(v, stack);
    return out;
  };
  return walk(doc, []) as Json;
}

/** 3. `nullable: true` without `type` (ajv refuses it) -> anyOf [the schema, {type: 'null'}]. */
function typelessNullable(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(typelessNullable);
  if (!isObj(node)) return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node)) out[k] = typelessNullable(v);
  if (out.nullable === true && out.type === undefined && out.properties === undefined) {
    const { nullable: _nullable, ...rest } = out;
    return { anyOf: [rest, { type: 'null' }] };
  }
  return out;
}

function normalize(input: Json): Json {
  const doc = typelessNullable(input) as Json;
  const paths = isObj(doc.paths) ? doc.paths : {};
  for (const [path, item] of Object.entries(paths)) {
    if (!isObj(item)) continue;
    for (const method of HTTP_METHODS) {
      const op = item[method];
      if (!isObj(op)) continue;
      op.operationId = `${method.toUpperCase()} ${path}`;
      // 1. oneOf [string, number] query parameters -> anyOf
      for (const p of Array.isArray(op.parameters) ? op.parameters : []) {
        if (isObj(p) && isObj(p.schema) && Array.isArray(p.schema.oneOf)) {
          p.schema = { anyOf: p.schema.oneOf };
        }
      }
      // 2. allOf [SingleDataResponse(data: object), {data: array-ish}] -> drop the base's data type
      const responses = isObj(op.responses) ? op.responses : {};
      for (const r of Object.values(responses)) {
        const schema = isObj(r) && isObj(r.content) && isObj(r.content['application/json']) ? r.content['application/json'].schema : undefined;
        if (!isObj(schema) || !Array.isArray(schema.allOf)) continue;
        const [base, override] = schema.allOf as unknown[];
        if (!isObj(base) || !isObj(override) || !isObj(base.properties) || !isObj(override.properties)) continue;
        const baseData = base.properties.data;
        const overrideData = override.properties.data;
        if (isObj(baseData) && baseData.type === 'object' && isObj(overrideData) && overrideData.type !== 'object' && !isObj(overrideData.properties)) {
          base.properties = { ...base.properties, data: {} };
        }
      }
    }
  }
  return doc;
}

const DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const customizeAjv: AjvCustomizer = (ajv) => {
  ajv.addFormat('date-time', { type: 'string', validate: (s: string) => DATE_TIME.test(s) && !Number.isNaN(Date.parse(s)) });
  ajv.addFormat('date', { type: 'string', validate: (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(s)) });
  return ajv;
};

interface AjvLikeError { instancePath?: string; message?: string; params?: unknown }

function formatErrors(prefix: string, errors: AjvLikeError[] | null | undefined): string[] {
  return (errors ?? []).map((e) => `${prefix}${e.instancePath !== undefined && e.instancePath !== '' ? ` ${e.instancePath}` : ''}: ${e.message ?? 'invalid'}${isObj(e.params) && Object.keys(e.params).length > 0 ? ` ${JSON.stringify(e.params)}` : ''}`);
}

/** The common error shape every error answer must have. */
export function checkErrorShape(status: number, body: unknown): string[] {
  const out: string[] = [];
  if (!isObj(body)) return [`error body must be an object, got ${JSON.stringify(body)}`];
  if (body.status !== status) out.push(`error body .status must be ${status}, got ${JSON.stringify(body.status)}`);
  if (typeof body.message !== 'string' || body.message === '') out.push('error body .message must be a non-empty string');
  if ('errors' in body) {
    if (!Array.isArray(body.errors)) out.push('error body .errors must be an array');
    else body.errors.forEach((e: unknown, i) => {
      if (!isObj(e) || typeof e.property !== 'string' || typeof e.errorMessage !== 'string') out.push(`error body .errors[${i}] must be {property: string, errorMessage: string}`);
    });
  }
  return out;
}

export function createSpecValidator(specPath?: string): SpecValidator {
  const file = specPath !== undefined ? resolve(specPath) : defaultSpecPath();
  if (!existsSync(file)) throw new Error(`OpenAPI spec not found at ${file} (set STATSIG_OPENAPI_SPEC)`);
  const raw = JSON.parse(readFileSync(file, 'utf8')) as Json;
  const definition = normalize(dereference(raw)) as unknown as Document;
  const router = new OpenAPIRouter({ definition });
  const validator = new OpenAPIValidator({ definition, router, coerceTypes: true, lazyCompileValidators: true, customizeAjv });
  const ops = router.getOperations();

  function checkExchange(e: Exchange): ExchangeReport {
    const report: ExchangeReport = {
      operation: null, status: e.status, documentedStatus: false, undocumentedStatus: false,
      violations: [], requestViolations: [], errorShapeViolations: [],
    };
    const contentType = e.responseHeaders['content-type'] ?? '';
    if (!/^application\/json\b/i.test(contentType)) report.violations.push(`response content-type must be application/json, got "${contentType}"`);
    if (e.status >= 400) report.errorShapeViolations = checkErrorShape(e.status, e.responseBody);

    const request = { method: e.method.toLowerCase(), path: e.path, query: e.query, headers: e.headers, body: e.requestBody };
    const op: Operation | undefined = router.matchOperation(request);
    if (!op?.operationId) {
      report.undocumentedStatus = true;
      return report;
    }
    report.operation = op.operationId;
    const responses = (op.responses ?? {}) as Json;
    report.documentedStatus = String(e.status) in responses || `${String(e.status).charAt(0)}XX` in responses || 'default' in responses;
    report.undocumentedStatus = !report.documentedStatus;

    try {
      report.requestViolations = formatErrors('request', validator.validateRequest(request, op).errors);
    } catch (err) {
      // e.g. a path parameter that is not valid percent-encoding
      report.requestViolations = [`request: cannot be parsed: ${err instanceof Error ? err.message : String(err)}`];
    }
    const is2xx = e.status >= 200 && e.status < 300;
    if (is2xx) {
      report.violations.push(...report.requestViolations);
      const key = e.headers['statsig-api-key'];
      if (key === undefined || key === '') report.violations.push('request: 2xx answer to a request without the STATSIG-API-KEY header');
    }
    if (report.documentedStatus) {
      report.violations.push(...formatErrors('response', validator.validateResponse(e.responseBody, op, e.status).errors));
      report.violations.push(...formatErrors('response headers', validator.validateResponseHeaders(e.responseHeaders, op, { statusCode: e.status }).errors));
      report.violations.push(...report.errorShapeViolations);
    }
    return report;
  }

  return {
    checkExchange,
    validateExchange(e: Exchange): string[] {
      const r = checkExchange(e);
      if (!r.undocumentedStatus) return r.violations;
      const what = r.operation ?? `${e.method.toUpperCase()} ${e.path} (no such operation in the spec)`;
      return [`undocumented status ${e.status} for ${what}`, ...r.violations, ...r.errorShapeViolations];
    },
    operations(): string[] {
      return ops.map((o) => o.operationId ?? '').filter((id) => id !== '');
    },
  };
}
