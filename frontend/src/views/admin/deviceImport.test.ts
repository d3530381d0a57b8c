// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, http } from '../../api/http';
import type { ImportCheck } from '../../api/types';
import { checkSummary, decodeCsv, importable, importCard, importedCount, MAX_IMPORT_BYTES, refusedProblems, TOKENS_FILE } from './deviceImport';

const bytes = (text: string) => new TextEncoder().encode(text).buffer;
const refusal = (r: ReturnType<typeof decodeCsv>) => (r.ok ? null : r.error);

const twoBad: ImportCheck = {
  rows: 4,
  valid: 2,
  problems: [
    { row: 2, line: 3, name: 'plc-2', field: 'group', detail: "no group named 'hall-9'" },
    { row: 4, line: 5, name: '<img src=x onerror=alert(1)>', field: 'name', detail: 'name: may use letters, digits and _ . -' },
  ],
};

describe('CSV import: pure rules', () => {
  it('reads UTF-8 files and refuses others and files over the limit, saying what to do', () => {
    expect(decodeCsv(bytes('name\nplc-ä\n'))).toEqual({ ok: true, text: 'name\nplc-ä\n' });
    const latin1 = new Uint8Array([0x6e, 0x0a, 0x4d, 0xfc, 0x0a]).buffer;
    expect(refusal(decodeCsv(latin1))).toContain('CSV UTF-8');
    expect(refusal(decodeCsv(new ArrayBuffer(MAX_IMPORT_BYTES + 1)))).toContain('1 MiB');
  });

  it('allows the import only after a check of rows without a problem', () => {
    expect(importable(twoBad)).toBe(false);
    expect(importable({ rows: 3, valid: 3, problems: [] })).toBe(true);
    expect(importable({ rows: 0, valid: 0, problems: [] })).toBe(false);
    expect(checkSummary(twoBad)).toMatch(/^4 rows: 2 ready, 2 with problems\./);
    expect(checkSummary({ rows: 1, valid: 1, problems: [] })).toBe('1 row, all ready to import.');
  });

  it('finds the problems of a refused import and counts the devices of a token file', () => {
    expect(refusedProblems(new ApiError(400, 'Bad Request', 'x', null, null, { problems: twoBad.problems }))).toEqual(twoBad.problems);
    expect(refusedProblems(new ApiError(400, 'Bad Request', 'line 3: a quoted cell is not closed'))).toBeNull();
    expect(refusedProblems(new Error('x'))).toBeNull();
    expect(importedCount('name,id,token\r\n"a","1","tdv_x"\r\n"b","2","tdv_y"\r\n')).toBe(2);
  });
});

interface Call {
  url: string;
  method: string;
  type: string | null;
  body: string;
}

/** Answers each POST with the next of {@code answers}. */
function portal(answers: Response[]): Call[] {
  const calls: Call[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init: RequestInit = {}) => {
      calls.push({ url, method: init.method ?? 'GET', type: new Headers(init.headers).get('Content-Type'), body: String(init.body) });
      return answers.shift() ?? new Response(null, { status: 500 });
    }),
  );
  return calls;
}

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': status < 400 ? 'application/json' : 'application/problem+json' } });
const settle = async () => {
  for (let i = 0; i < 4; i++) await new Promise((r) => setTimeout(r, 0));
};
const button = (root: ParentNode, name: string) => [...root.querySelectorAll('button')].find((b) => b.textContent === name)!;

afterEach(() => {
  vi.unstubAllGlobals();
  document.body.replaceChildren();
});

describe('CSV import card', () => {
  it('checks, lists each bad row as text, imports only a checked file and offers the tokens once', async () => {
    http.setCsrfToken('csrf-1');
    const tokens = 'name,id,token\r\n"plc-1","11","tdv_a"\r\n"plc-2","12","tdv_b"\r\n';
    const calls = portal([json(twoBad), json({ rows: 2, valid: 2, problems: [] }), new Response(tokens, { status: 201, headers: { 'Content-Type': 'text/csv' } })]);
    vi.stubGlobal('URL', Object.assign(URL, { createObjectURL: vi.fn(() => 'blob:tokens') }));
    const imported = vi.fn();
    const card = importCard(imported);
    document.body.append(card);
    const csv = card.querySelector('textarea')!;
    const doImport = button(card, 'Import');
    expect(doImport.disabled).toBe(true);

    csv.value = 'name,group\nplc-1,\nplc-2,hall-9\n';
    button(card, 'Check').click();
    await settle();
    expect(calls[0]).toMatchObject({ url: '/api/devices/import?dryRun=true', method: 'POST', type: 'text/csv; charset=utf-8', body: csv.value });
    const rows = [...card.querySelectorAll('table.import-problems tbody tr')].map((r) => [...r.children].map((c) => c.textContent));
    expect(rows).toEqual([
      ['2', '3', 'plc-2', 'group', "no group named 'hall-9'"],
      ['4', '5', '<img src=x onerror=alert(1)>', 'name', 'name: may use letters, digits and _ . -'],
    ]);
    expect(card.querySelector('img')).toBeNull();
    expect(doImport.disabled).toBe(true);

    csv.value = 'name\nplc-1\nplc-2\n';
    csv.dispatchEvent(new Event('input'));
    button(card, 'Check').click();
    await settle();
    expect(card.querySelector('table.import-problems')).toBeNull();
    expect(doImport.disabled).toBe(false);
    doImport.click();
    await settle();
    expect(calls[2]).toMatchObject({ url: '/api/devices/import?dryRun=false', body: 'name\nplc-1\nplc-2\n' });
    const link = card.querySelector<HTMLAnchorElement>('a[download]')!;
    expect(link.getAttribute('download')).toBe(TOKENS_FILE);
    expect(link.getAttribute('href')).toBe('blob:tokens');
    expect(card.textContent).toContain('2 devices imported');
    expect(card.textContent).toContain('shown only this once');
    expect(csv.value).toBe('');
    expect(doImport.disabled).toBe(true);
    expect(imported).toHaveBeenCalledOnce();
  });

  it('shows the problems of an import the portal refused and imports nothing more', async () => {
    portal([json({ rows: 1, valid: 1, problems: [] }), json({ type: 'about:blank', title: 'Bad Request', status: 400, detail: '1 problem(s) in the file: nothing was imported', rows: 1, valid: 0, problems: [twoBad.problems[0]] }, 400)]);
    const card = importCard(() => {});
    document.body.append(card);
    card.querySelector('textarea')!.value = 'name,group\nplc-2,hall-9\n';
    button(card, 'Check').click();
    await settle();
    button(card, 'Import').click();
    await settle();
    expect(card.querySelector('[role=alert]')!.textContent).toBe('1 problem(s) in the file: nothing was imported');
    expect(card.querySelectorAll('table.import-problems tbody tr')).toHaveLength(1);
    expect(button(card, 'Import').disabled).toBe(true);
    expect(card.querySelector('a[download]')).toBeNull();
  });
});
