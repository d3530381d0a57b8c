// The one fetch wrapper of the UI: JSON in and out, problem JSON (RFC 9457) turned into ApiError,
// the session's CSRF token on every state-changing request, and 401 handed to one listener (which
// sends the user back to the sign-in page).

import type { Page } from './types';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export type Query = Record<string, string | number | boolean | null | undefined>;

/** An error answer of the API, as its problem JSON describes it. */
export class ApiError extends Error {
  readonly status: number;
  readonly title: string;
  readonly detail: string;
  /** The offending JSON property of a validation error. */
  readonly field: string | null;
  /** Seconds from Retry-After (429, 503), when sent. */
  readonly retryAfter: number | null;
  /** The whole problem JSON, for members some answers add (a refused import's "problems"). */
  readonly body: Record<string, unknown>;

  constructor(
    status: number,
    title: string,
    detail: string,
    field: string | null = null,
    retryAfter: number | null = null,
    body: Record<string, unknown> = {},
  ) {
    super(detail || title);
    this.name = 'ApiError';
    this.status = status;
    this.title = title;
    this.detail = detail;
    this.field = field;
    this.retryAfter = retryAfter;
    this.body = body;
  }
}

const STATE_CHANGING: ReadonlySet<Method> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
export const CSRF_HEADER = 'X-CSRF-Token';

export interface RequestOptions {
  body?: unknown;
  /** A body that is not JSON, sent as it is with its Content-Type (a CSV file). */
  raw?: { text: string; type: string };
  query?: Query;
  /** Do not treat 401 as "session gone" (the login request itself answers 401 for a wrong password). */
  expectUnauthorized?: boolean;
  /** Headers besides the ones every request gets (a fresh second factor's X-Tether-OTP). */
  headers?: Record<string, string>;
}

/** Builds `path?query`, leaving out empty values so filters stay optional. */
export function withQuery(path: string, query?: Query): string {
  if (!query) {
    return path;
  }
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === null || value === undefined || value === '') {
      continue;
    }
    params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

/**
 * A GET the portal answered 503 with Retry-After (its database restarting: "try again shortly") is
 * sent again after the wait, at most this many times: reads are safe to repeat, so a PostgreSQL
 * restart does not show the user an error page. State-changing requests are never repeated by
 * themselves; their error says to try again.
 */
export const GET_RETRIES_WHEN_UNAVAILABLE = 5;

/** A Retry-After longer than this is the user's to wait, not a page's. */
export const LONGEST_AUTOMATIC_WAIT_SECONDS = 5;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class Http {
  private csrf: string | null = null;
  private unauthorized: () => void = () => {};

  /**
   * {@code fetchFn} defaults to the global fetch, looked up at call time (tests stub it); {@code
   * wait} is how a retry waits (tests pass one that does not).
   */
  constructor(
    private readonly fetchFn?: typeof fetch,
    private readonly wait: (ms: number) => Promise<void> = sleep,
  ) {}

  setCsrfToken(token: string | null): void {
    this.csrf = token;
  }

  csrfToken(): string | null {
    return this.csrf;
  }

  /** Called once per 401 answer of any request but the login. */
  onUnauthorized(listener: () => void): void {
    this.unauthorized = listener;
  }

  get<T>(path: string, query?: Query): Promise<T> {
    return this.request<T>('GET', path, { query });
  }

  post<T>(path: string, body?: unknown, options: RequestOptions = {}): Promise<T> {
    return this.request<T>('POST', path, { ...options, body });
  }

  patch<T>(path: string, body: unknown, options: RequestOptions = {}): Promise<T> {
    return this.request<T>('PATCH', path, { ...options, body });
  }

  put<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('PUT', path, { body });
  }

  delete(path: string): Promise<void> {
    return this.request<void>('DELETE', path);
  }

  /** Fetches every page of a list (for small lists such as groups). */
  async all<T>(path: string, query: Query = {}, maxPages = 50): Promise<T[]> {
    const items: T[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < maxPages; i++) {
      const page: Page<T> = await this.get<Page<T>>(path, { ...query, limit: 200, cursor });
      items.push(...page.items);
      cursor = page.next;
      if (!cursor) {
        break;
      }
    }
    return items;
  }

  /**
   * GET of a body that is not JSON (a recording export): its text, with the same error handling
   * (problem JSON → ApiError, 401 → sign-in) as every other request.
   */
  async text(path: string, query?: Query): Promise<string> {
    const response = await this.send('GET', path, { query }, '*/*');
    return response.text();
  }

  /**
   * POST of a body that is not JSON (a CSV file) with {@code contentType}: the answer as it came,
   * for its own Content-Type to decide how to read it; errors as every other request.
   */
  postRaw(path: string, text: string, contentType: string, query?: Query): Promise<Response> {
    return this.send('POST', path, { raw: { text, type: contentType }, query }, '*/*');
  }

  async request<T>(method: Method, path: string, options: RequestOptions = {}): Promise<T> {
    const response = await this.send(method, path, options, 'application/json');
    if (response.status === 204) {
      return undefined as T;
    }
    const text = await response.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /** The fetch itself: a 2xx answer, or an ApiError. */
  private async send(
    method: Method,
    path: string,
    options: RequestOptions,
    accept: string,
    retriesLeft = GET_RETRIES_WHEN_UNAVAILABLE,
  ): Promise<Response> {
    const headers: Record<string, string> = { ...options.headers, Accept: accept };
    if (options.raw) {
      headers['Content-Type'] = options.raw.type;
    } else if (options.body !== undefined) {
      headers['Content-Type'] = 'application/json';
    }
    if (STATE_CHANGING.has(method) && this.csrf) {
      headers[CSRF_HEADER] = this.csrf;
    }
    const doFetch = this.fetchFn ?? globalThis.fetch.bind(globalThis);
    let response: Response;
    try {
      response = await doFetch(withQuery(path, options.query), {
        method,
        headers,
        body: options.raw ? options.raw.text : options.body === undefined ? undefined : JSON.stringify(options.body),
        credentials: 'same-origin',
        cache: 'no-store',
      });
    } catch {
      throw new ApiError(0, 'Network error', 'the portal cannot be reached; check your connection');
    }
    if (response.status === 401 && !options.expectUnauthorized) {
      this.csrf = null;
      this.unauthorized();
    }
    if (!response.ok) {
      const error = await toApiError(response);
      if (method === 'GET' && retriesLeft > 0 && worthWaitingFor(error)) {
        await this.wait((error.retryAfter ?? 0) * 1000);
        return this.send(method, path, options, accept, retriesLeft - 1);
      }
      throw error;
    }
    return response;
  }
}

/** A 503 whose Retry-After is short enough for a page to wait through. */
function worthWaitingFor(error: ApiError): boolean {
  return (
    error.status === 503 &&
    error.retryAfter !== null &&
    error.retryAfter <= LONGEST_AUTOMATIC_WAIT_SECONDS
  );
}

/** Reads a problem JSON answer (or anything else) into an ApiError. */
export async function toApiError(response: Response): Promise<ApiError> {
  const retryHeader = response.headers.get('Retry-After');
  const retryAfter = retryHeader && /^\d+$/.test(retryHeader) ? Number(retryHeader) : null;
  let body: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(await response.text());
    if (parsed && typeof parsed === 'object') {
      body = parsed as Record<string, unknown>;
    }
  } catch {
    // not JSON (a proxy's error page): fall back to the status line
  }
  const title =
    typeof body.title === 'string' ? body.title : response.statusText || `HTTP ${response.status}`;
  const detail = typeof body.detail === 'string' ? body.detail : title;
  const field = typeof body.field === 'string' ? body.field : null;
  return new ApiError(response.status, title, detail, field, retryAfter, body);
}

/** What to show a user for any error a request raised. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) {
    return error.detail || error.title;
  }
  if (error instanceof Error) {
    return error.message;
  }
  return String(error);
}

/** The shared client of the running app. */
export const http = new Http();
