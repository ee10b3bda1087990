// Typed errors of the Console API client. Every message is a sentence a user can act on; none
// ever contains the API key (see mask.ts) or a request header.
import type { ApiErrorItem } from './schemas/common.ts';

export type ApiErrorKind =
  | 'auth' | 'forbidden' | 'notFound' | 'validation' | 'conflict' | 'rateLimited' | 'server'
  | 'network' | 'timeout' | 'schema' | 'http' | 'cancelled';

export interface RequestInfo {
  readonly method: string;
  /** Path and query, never the host's credentials (there are none in URLs: the key is a header). */
  readonly path: string;
}

export abstract class StatsigApiError extends Error {
  abstract readonly kind: ApiErrorKind;
  readonly request: RequestInfo;
  readonly status: number | undefined;
  /** Set on a mutation whose outcome is unknown (5xx, dropped connection, timeout). */
  mutationMayHaveApplied = false;

  constructor(message: string, request: RequestInfo, status?: number, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.request = request;
    this.status = status;
  }
}

export class AuthError extends StatsigApiError {
  readonly kind = 'auth';
  constructor(request: RequestInfo, serverMessage?: string) {
    super(`Statsig rejected the API key (401${serverMessage ? `: ${serverMessage}` : ''}). Set a new Console API key.`, request, 401);
  }
}

export class ForbiddenError extends StatsigApiError {
  readonly kind = 'forbidden';
  constructor(request: RequestInfo, serverMessage?: string) {
    super(`This API key is not allowed to do that (403${serverMessage ? `: ${serverMessage}` : ''}). Use a Console API key with write access.`, request, 403);
  }
}

export class NotFoundError extends StatsigApiError {
  readonly kind = 'notFound';
  constructor(request: RequestInfo, serverMessage?: string) {
    super(serverMessage ? `Not found: ${serverMessage}` : `Not found (404): ${request.method} ${request.path}`, request, 404);
  }
}

export class ValidationError extends StatsigApiError {
  readonly kind = 'validation';
  readonly errors: readonly ApiErrorItem[];
  constructor(request: RequestInfo, status: number, serverMessage: string | undefined, errors: readonly ApiErrorItem[]) {
    const detail = errors.length > 0
      ? errors.map((e) => `${e.property}: ${e.errorMessage}`).join('; ')
      : (serverMessage ?? 'the request was invalid');
    super(`Statsig rejected the request (${status}): ${detail}`, request, status);
    this.errors = errors;
  }
}

export class RateLimitedError extends StatsigApiError {
  readonly kind = 'rateLimited';
  readonly retryAfterMs: number | undefined;
  constructor(request: RequestInfo, retryAfterMs: number | undefined) {
    super(`Statsig is rate-limiting requests (429)${retryAfterMs !== undefined ? `; retry in ${Math.ceil(retryAfterMs / 1000)} s` : ''}. Wait a moment and try again.`, request, 429);
    this.retryAfterMs = retryAfterMs;
  }
}

export class ServerError extends StatsigApiError {
  readonly kind = 'server';
  constructor(request: RequestInfo, status: number, serverMessage?: string) {
    super(`Statsig had a server error (${status}${serverMessage ? `: ${serverMessage}` : ''}). Try again later.`, request, status);
  }
}

export class HttpError extends StatsigApiError {
  readonly kind = 'http';
  constructor(request: RequestInfo, status: number, serverMessage?: string) {
    super(`Statsig answered ${status}${serverMessage ? `: ${serverMessage}` : ''}.`, request, status);
  }
}

export class NetworkError extends StatsigApiError {
  readonly kind = 'network';
  constructor(request: RequestInfo, reason: string) {
    super(`Could not reach Statsig (${reason}). Check the network and the API base URL setting.`, request);
  }
}

export class TimeoutError extends StatsigApiError {
  readonly kind = 'timeout';
  constructor(request: RequestInfo, timeoutMs: number) {
    super(`Statsig did not answer within ${timeoutMs} ms. Try again, or raise the request timeout setting.`, request);
  }
}

export class CancelledError extends StatsigApiError {
  readonly kind = 'cancelled';
  constructor(request: RequestInfo) {
    super('The request was cancelled.', request);
  }
}

export class ResponseSchemaError extends StatsigApiError {
  readonly kind = 'schema';
  readonly issues: readonly string[];
  constructor(request: RequestInfo, status: number, issues: readonly string[]) {
    super(`Statsig's answer did not have the expected shape (${issues.slice(0, 3).join('; ')}${issues.length > 3 ? '; …' : ''}).`, request, status);
    this.issues = issues;
  }
}

/** A mutation that failed with an unknown outcome, re-read, and found not applied. */
export class MutationNotAppliedError extends StatsigApiError {
  readonly kind: ApiErrorKind;
  constructor(original: StatsigApiError) {
    super(`${original.message} The change was checked and was not applied; it is safe to try again.`, original.request, original.status, { cause: original });
    this.kind = original.kind;
  }
}

export function isStatsigApiError(e: unknown): e is StatsigApiError {
  return e instanceof StatsigApiError;
}

/** The one way to turn anything thrown into a sentence. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The first StatsigApiError in `error`'s `cause` chain (itself included), e.g. a 401 inside a wrapped push failure. */
export function apiErrorIn(error: unknown): StatsigApiError | undefined {
  let e: unknown = error;
  for (let depth = 0; e !== undefined && e !== null && depth < 8; depth++) {
    if (e instanceof StatsigApiError) return e;
    e = e instanceof Error ? e.cause : undefined;
  }
  return undefined;
}

/** A cancellation anywhere in the chain (the user cancelled; nothing to report). */
export function isCancellation(error: unknown): boolean {
  return apiErrorIn(error)?.kind === 'cancelled' || (error instanceof Error && error.name === 'Canceled');
}
