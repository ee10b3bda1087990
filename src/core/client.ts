// The one HTTP factory of the project, around `ky.create`: base URL, headers, timeout, retry
// policy, mutation limiter, error mapping and response parsing.
//
// Retry policy:
// - reads and dry runs (nothing is persisted) are retried with exponential backoff and full jitter
//   on network errors, timeouts, 408, 429, 500, 502, 503 and 504, honouring `Retry-After`;
// - real mutations are retried only after 429 (the server refused them before doing anything).
//   After a 5xx, a timeout or a dropped connection the mutation may have been applied, so it is
//   never re-sent blindly: the error carries `mutationMayHaveApplied` and the caller re-reads.
import { formatPath } from '../shared/jsonPath.ts';
import ky, { isHTTPError, isNetworkError, isTimeoutError, type KyInstance, type Options } from 'ky';
import type { z } from 'zod';
import {
  AuthError, CancelledError, errorMessage, ForbiddenError, HttpError, NetworkError, NotFoundError, RateLimitedError, type RequestInfo, ResponseSchemaError, ServerError, StatsigApiError, TimeoutError, ValidationError,
} from './errors.ts';
import { MutationLimiter, type LimiterTicket } from './limiter.ts';
import { maskSecrets } from './mask.ts';
import { ApiErrorBody } from './schemas/common.ts';

export const API_VERSION = '20240601';
export const DEFAULT_BASE_URL = 'https://statsigapi.net';
/** One request's timeout unless the setting says otherwise (package.json's default says the same). */
export const DEFAULT_TIMEOUT_MS = 30_000;

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';
export type Logger = (level: LogLevel, message: string) => void;

export interface RetryOptions {
  /** Retries after the first attempt. */
  readonly limit: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** Upper bound on a server-requested `Retry-After`. */
  readonly maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetryOptions = { limit: 3, baseDelayMs: 300, maxDelayMs: 5_000, maxRetryAfterMs: 30_000 };

export interface ClientOptions {
  readonly baseUrl: string;
  readonly apiKey: string;
  readonly apiVersion?: string;
  readonly timeoutMs?: number;
  /** Send `x-respect-review-settings: true` on every request. */
  readonly respectReviewSettings?: boolean;
  readonly retry?: Partial<RetryOptions>;
  readonly limiter?: MutationLimiter;
  readonly log?: Logger;
  /** Called when Statsig answers 403 to a mutation or a dry run: the key may read but not write. */
  readonly onWriteForbidden?: () => void;
}

/** read: GET. dryRun: a mutation with `dryRun: true` (persists nothing). mutation: everything else. */
export type RequestClass = 'read' | 'dryRun' | 'mutation';
export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

export interface RequestSpec<T> {
  readonly method: HttpMethod;
  readonly path: string;
  readonly query?: Readonly<Record<string, string | number | undefined>>;
  readonly body?: unknown;
  readonly schema: z.ZodType<T>;
  readonly requestClass: RequestClass;
  readonly signal?: AbortSignal;
}

export interface ApiResponse<T> {
  readonly status: number;
  readonly data: T;
}

const RETRYABLE_STATUS = [408, 429, 500, 502, 503, 504];

export class ConsoleClient {
  readonly baseUrl: string;
  readonly timeoutMs: number;
  readonly limiter: MutationLimiter;
  private readonly apiKey: string;
  private readonly retry: RetryOptions;
  private readonly http: KyInstance;
  private readonly logger: Logger | undefined;
  private readonly onWriteForbidden: (() => void) | undefined;

  constructor(options: ClientOptions) {
    this.onWriteForbidden = options.onWriteForbidden;
    this.baseUrl = normalizeBaseUrl(options.baseUrl);
    this.apiKey = options.apiKey;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.limiter = options.limiter ?? new MutationLimiter();
    this.logger = options.log;
    const headers: Record<string, string> = {
      'STATSIG-API-KEY': options.apiKey,
      'STATSIG-API-VERSION': options.apiVersion ?? API_VERSION,
      accept: 'application/json',
    };
    if (options.respectReviewSettings) headers['x-respect-review-settings'] = 'true';
    // A redirect would carry the key header to wherever it points: never follow one.
    this.http = ky.create({ prefix: this.baseUrl, headers, timeout: this.timeoutMs, retry: 0, redirect: 'error' });
  }

  /** Logs through the configured logger with every secret masked. */
  log(level: LogLevel, message: string): void {
    this.logger?.(level, maskSecrets(message, [this.apiKey]));
  }

  async request<T>(spec: RequestSpec<T>): Promise<ApiResponse<T>> {
    const info = requestInfo(spec);
    const isMutation = spec.requestClass === 'mutation';
    const limited = spec.requestClass !== 'read';
    const started = Date.now();
    let ticket: LimiterTicket | undefined;
    const admit = async () => {
      ticket?.done();
      ticket = await this.limiter.acquire(spec.signal);
    };
    const options: Options = {
      method: spec.method,
      signal: spec.signal,
      retry: {
        limit: this.retry.limit,
        methods: [spec.method.toLowerCase()],
        statusCodes: isMutation ? [429] : RETRYABLE_STATUS,
        afterStatusCodes: [429, 503],
        maxRetryAfter: this.retry.maxRetryAfterMs,
        backoffLimit: this.retry.maxDelayMs,
        delay: (attempt) => this.retry.baseDelayMs * 2 ** (attempt - 1),
        jitter: true,
        retryOnTimeout: !isMutation,
        // A mutation whose connection dropped may have been applied: never re-send it.
        shouldRetry: ({ error }) => (isMutation && !isHTTPError(error) ? false : undefined),
      },
      hooks: {
        beforeRequest: limited ? [admit] : [],
        beforeRetry: [
          async ({ error, retryCount }) => {
            this.log('warn', `${info.method} ${info.path}: ${describeKyError(error)}; retry ${retryCount}/${this.retry.limit}`);
            if (limited) await admit();
          },
        ],
      },
    };
    if (spec.body !== undefined) options.json = spec.body;
    if (spec.query) {
      const params: Record<string, string> = {};
      for (const [k, v] of Object.entries(spec.query)) if (v !== undefined) params[k] = String(v);
      options.searchParams = params;
    }

    let response: Response;
    try {
      response = await this.http(spec.path.replace(/^\//, ''), options);
    } catch (error) {
      ticket?.done();
      const mapped = this.mapError(error, info, isMutation, spec.signal);
      if (mapped.kind === 'forbidden' && spec.requestClass !== 'read') this.onWriteForbidden?.();
      // A 404 on a read is an answer, not a failure (an ingestion combination that is not configured).
      const quiet = mapped instanceof CancelledError || (mapped instanceof NotFoundError && spec.requestClass === 'read');
      this.log(quiet ? 'debug' : 'warn', `${info.method} ${info.path} failed after ${Date.now() - started} ms: ${mapped.message}`);
      throw mapped;
    }
    ticket?.done();
    let json: unknown;
    try {
      const text = await response.text();
      json = text.length > 0 ? JSON.parse(text) : {};
    } catch (error) {
      throw this.masked(new ResponseSchemaError(info, response.status, [`body is not JSON (${errorMessage(error)})`]));
    }
    this.log('debug', `${info.method} ${info.path} → ${response.status} (${Date.now() - started} ms)`);
    const parsed = spec.schema.safeParse(json);
    if (!parsed.success) {
      throw this.masked(new ResponseSchemaError(info, response.status, formatIssues(parsed.error)));
    }
    return { status: response.status, data: parsed.data };
  }

  /** Every error leaving the client has its message masked (the key, and anything key-shaped). */
  private masked<E extends Error>(error: E): E {
    error.message = maskSecrets(error.message, [this.apiKey]);
    return error;
  }

  private mapError(error: unknown, info: RequestInfo, isMutation: boolean, signal?: AbortSignal): StatsigApiError {
    if (error instanceof StatsigApiError) return error;
    let mapped: StatsigApiError;
    if (isHTTPError(error)) {
      mapped = mapHttpError(info, error.response, error.data);
    } else if (isTimeoutError(error)) {
      mapped = new TimeoutError(info, this.timeoutMs);
    } else if (signal?.aborted) {
      return new CancelledError(info);
    } else if (isNetworkError(error)) {
      // No `cause`: ky's error holds the request, and the request holds the key header.
      mapped = new NetworkError(info, maskSecrets(networkReason(error), [this.apiKey]));
    } else if (error instanceof Error && error.name === 'AbortError') {
      return new CancelledError(info);
    } else {
      mapped = new NetworkError(info, maskSecrets(errorMessage(error), [this.apiKey]));
    }
    if (isMutation && (mapped.kind === 'server' || mapped.kind === 'network' || mapped.kind === 'timeout')) {
      mapped.mutationMayHaveApplied = true;
    }
    return this.masked(mapped);
  }
}

export function normalizeBaseUrl(raw: string): string {
  const url = new URL(raw.trim());
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error(`Unsupported API base URL scheme: ${url.protocol}`);
  if (url.username || url.password) throw new Error('The API base URL must not contain credentials.');
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    throw new Error(`The API base URL ${url.origin} uses http://, which would send the API key unencrypted. Use https:// (http:// is allowed only for 127.0.0.1, ::1 and localhost).`);
  }
  return url.toString().replace(/\/+$/, '');
}

export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

function requestInfo(spec: RequestSpec<unknown>): RequestInfo {
  const q = spec.query
    ? Object.entries(spec.query).filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`).join('&')
    : '';
  return { method: spec.method, path: q ? `${spec.path}?${q}` : spec.path };
}

function mapHttpError(info: RequestInfo, response: Response, data: unknown): StatsigApiError {
  const status = response.status;
  const body = ApiErrorBody.safeParse(data);
  const message = body.success ? body.data.message : undefined;
  if (status === 401) return new AuthError(info, message);
  if (status === 403) return new ForbiddenError(info, message);
  if (status === 404) return new NotFoundError(info, message);
  if (status === 429) return new RateLimitedError(info, parseRetryAfter(response.headers.get('retry-after')));
  if (status === 400 || status === 409 || status === 422) {
    return new ValidationError(info, status, message, body.success ? body.data.errors ?? [] : []);
  }
  if (status >= 500) return new ServerError(info, status, message);
  return new HttpError(info, status, message);
}

export function parseRetryAfter(value: string | null): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function networkReason(error: Error): string {
  // ky → fetch's TypeError('fetch failed') → undici's reason: the innermost cause says what happened.
  const chain: unknown[] = [];
  for (let c: unknown = error.cause; c && chain.length < 5; c = c instanceof Error ? c.cause : undefined) chain.push(c);
  if (chain.some((c) => c instanceof Error && /redirect/i.test(c.message))) return 'it answered with a redirect, which is not followed so that the key is never sent elsewhere';
  const cause = chain.findLast((c) => c instanceof Error || (c && typeof c === 'object' && 'code' in c)) ?? error.cause;
  const code = cause && typeof cause === 'object' && 'code' in cause && typeof cause.code === 'string' ? cause.code : undefined;
  const causeMessage = cause instanceof Error ? cause.message : undefined;
  return [code, causeMessage ?? error.message].filter(Boolean).join(': ');
}

function describeKyError(error: unknown): string {
  if (isHTTPError(error)) return `HTTP ${error.response.status}`;
  if (isTimeoutError(error)) return 'timeout';
  if (isNetworkError(error)) return `network error (${networkReason(error)})`;
  return errorMessage(error);
}

export function formatIssues(error: z.ZodError): string[] {
  return error.issues.map((i) => `${formatPath(i.path.map((s) => (typeof s === 'symbol' ? String(s) : s))) || '(root)'}: ${i.message}`);
}
