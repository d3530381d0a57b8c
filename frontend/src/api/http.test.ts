import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, CSRF_HEADER, GET_RETRIES_WHEN_UNAVAILABLE, Http, describeError, withQuery } from './http';

type Call = { url: string; init: RequestInit };

function fakeFetch(answer: () => Response) {
  const calls: Call[] = [];
  const fn = vi.fn(async (url: RequestInfo | URL, init?: RequestInit) => {
    calls.push({ url: String(url), init: init ?? {} });
    return answer();
  });
  return { fn: fn as unknown as typeof fetch, calls };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });

const problem = (status: number, detail: string, field?: string, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify({ type: 'about:blank', title: 'Bad', status, detail, field }), {
    status,
    headers: { 'Content-Type': 'application/problem+json', ...headers },
  });

const header = (call: Call, name: string) => new Headers(call.init.headers).get(name);

afterEach(() => vi.unstubAllGlobals());

describe('Http', () => {
  it('sends the CSRF token on state-changing requests only', async () => {
    const { fn, calls } = fakeFetch(() => json(200, {}));
    const http = new Http(fn);
    http.setCsrfToken('csrf-1');
    await http.get('/api/me');
    await http.post('/api/groups', { name: 'g' });
    await http.patch('/api/users/1', { disabled: true });
    await http.delete('/api/tokens/2');
    expect(header(calls[0], CSRF_HEADER)).toBeNull();
    expect(calls.slice(1).map((c) => header(c, CSRF_HEADER))).toEqual(['csrf-1', 'csrf-1', 'csrf-1']);
    expect(calls[1].init.body).toBe('{"name":"g"}');
    expect(header(calls[1], 'Content-Type')).toBe('application/json');
  });

  it('turns problem JSON into an ApiError with status, detail, field and Retry-After', async () => {
    const { fn } = fakeFetch(() =>
      problem(429, 'too many failed sign-ins for this account from your address; try again in 3 s', undefined, { 'Retry-After': '3' }),
    );
    const error = (await new Http(fn).post('/api/auth/login', {}, { expectUnauthorized: true }).catch((e: unknown) => e)) as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(429);
    expect(error.detail).toContain('try again in 3 s');
    expect(error.retryAfter).toBe(3);
    expect(describeError(error)).toContain('try again in 3 s');
  });

  it('sends a GET again after the wait a 503 with Retry-After asks for, and a POST never', async () => {
    const answers = [
      problem(503, 'the database is not reachable; try again shortly', undefined, { 'Retry-After': '1' }),
      json(200, { ok: true }),
    ];
    const { fn, calls } = fakeFetch(() => answers.shift() ?? json(500, {}));
    const waits: number[] = [];
    const http = new Http(fn, async (ms) => {
      waits.push(ms);
    });
    expect(await http.get('/api/devices')).toEqual({ ok: true });
    expect(calls.length).toBe(2);
    expect(waits).toEqual([1000]);

    const unavailable = fakeFetch(() =>
      problem(503, 'the database is not reachable; try again shortly', undefined, { 'Retry-After': '1' }),
    );
    const post = (await new Http(unavailable.fn, async () => {}).post('/api/groups', { name: 'g' }).catch((e: unknown) => e)) as ApiError;
    expect(post.status).toBe(503);
    expect(unavailable.calls.length).toBe(1);
  });

  it('gives up on a GET after five retries, and never waits out a long Retry-After', async () => {
    const always = fakeFetch(() => problem(503, 'still away', undefined, { 'Retry-After': '1' }));
    const error = (await new Http(always.fn, async () => {}).get('/api/devices').catch((e: unknown) => e)) as ApiError;
    expect(error.status).toBe(503);
    expect(always.calls.length).toBe(1 + GET_RETRIES_WHEN_UNAVAILABLE);

    const long = fakeFetch(() => problem(503, 'maintenance', undefined, { 'Retry-After': '60' }));
    const waited = (await new Http(long.fn, async () => {}).get('/api/devices').catch((e: unknown) => e)) as ApiError;
    expect(waited.retryAfter).toBe(60);
    expect(long.calls.length).toBe(1);
  });

  it('names the offending field of a validation error', async () => {
    const { fn } = fakeFetch(() => problem(400, 'name: may use letters, digits and _ . -', 'name'));
    const error = (await new Http(fn).post('/api/devices', { name: '<x>' }).catch((e: unknown) => e)) as ApiError;
    expect(error.field).toBe('name');
  });

  it('sends a raw body as it is with its type and the CSRF token, and keeps the whole problem of a refusal', async () => {
    const { fn, calls } = fakeFetch(() =>
      new Response(JSON.stringify({ title: 'Bad Request', status: 400, detail: '1 problem(s)', problems: [{ row: 2 }] }), { status: 400, headers: { 'Content-Type': 'application/problem+json' } }),
    );
    const http = new Http(fn);
    http.setCsrfToken('csrf-1');
    const error = (await http.postRaw('/api/devices/import', 'name\nx\n', 'text/csv; charset=utf-8', { dryRun: false }).catch((e: unknown) => e)) as ApiError;
    expect(calls[0].url).toBe('/api/devices/import?dryRun=false');
    expect(calls[0].init.body).toBe('name\nx\n');
    expect(header(calls[0], 'Content-Type')).toBe('text/csv; charset=utf-8');
    expect(header(calls[0], CSRF_HEADER)).toBe('csrf-1');
    expect(error.detail).toBe('1 problem(s)');
    expect(error.body.problems).toEqual([{ row: 2 }]);
  });

  it('reports 401 to the unauthorized listener and forgets the CSRF token', async () => {
    const { fn } = fakeFetch(() => problem(401, 'sign in or send an API token'));
    const http = new Http(fn);
    const listener = vi.fn();
    http.onUnauthorized(listener);
    http.setCsrfToken('t');
    await expect(http.get('/api/devices')).rejects.toBeInstanceOf(ApiError);
    expect(listener).toHaveBeenCalledTimes(1);
    expect(http.csrfToken()).toBeNull();
  });

  it('does not treat the login answer 401 (wrong password) as an expired session', async () => {
    const { fn } = fakeFetch(() => problem(401, 'wrong username or password'));
    const http = new Http(fn);
    const listener = vi.fn();
    http.onUnauthorized(listener);
    const error = await http.post('/api/auth/login', {}, { expectUnauthorized: true }).catch((e: unknown) => e);
    expect(describeError(error)).toBe('wrong username or password');
    expect(listener).not.toHaveBeenCalled();
  });

  it('answers undefined for 204 and survives a non-JSON error page', async () => {
    const { fn: noContent } = fakeFetch(() => new Response(null, { status: 204 }));
    await expect(new Http(noContent).delete('/api/tokens/1')).resolves.toBeUndefined();
    const { fn: proxy } = fakeFetch(() => new Response('<html>Bad gateway</html>', { status: 502, statusText: 'Bad Gateway' }));
    const error = (await new Http(proxy).get('/api/me').catch((e: unknown) => e)) as ApiError;
    expect(error.status).toBe(502);
    expect(error.detail).toBe('Bad Gateway');
  });

  it('reports an unreachable portal as a network error', async () => {
    const http = new Http(async () => {
      throw new TypeError('Failed to fetch');
    });
    const error = (await http.get('/api/me').catch((e: unknown) => e)) as ApiError;
    expect(error.status).toBe(0);
    expect(error.detail).toContain('cannot be reached');
  });

  it('fetches every page of a list by following next', async () => {
    const pages = [
      { items: [1, 2], next: '2' },
      { items: [3], next: null },
    ];
    let i = 0;
    const { fn, calls } = fakeFetch(() => json(200, pages[i++]));
    expect(await new Http(fn).all<number>('/api/groups')).toEqual([1, 2, 3]);
    expect(calls[1].url).toBe('/api/groups?limit=200&cursor=2');
  });

  it('uses the global fetch when none is injected', async () => {
    const { fn, calls } = fakeFetch(() => json(200, { ok: true }));
    vi.stubGlobal('fetch', fn);
    expect(await new Http().get('/api/me')).toEqual({ ok: true });
    expect(calls).toHaveLength(1);
  });
});

describe('withQuery', () => {
  it('leaves out empty filters and encodes values', () => {
    expect(withQuery('/api/devices', { name: 'a b', tag: '', group: undefined, online: false, cursor: null })).toBe('/api/devices?name=a+b&online=false');
    expect(withQuery('/api/devices', {})).toBe('/api/devices');
  });
});
