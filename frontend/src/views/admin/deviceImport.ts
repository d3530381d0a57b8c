// Admin: register many devices from a CSV file. "Check" is the portal's dry run (every row's
// problem, nothing created); "Import" creates them all or none and offers their tokens once, as a
// CSV file to download (docs/api.md "CSV import").

import * as devicesApi from '../../api/devices';
import { ApiError } from '../../api/http';
import type { ImportCheck, ImportProblem } from '../../api/types';
import { busy, textarea } from '../../components/form';
import { errorNotice, statusNotice } from '../../components/notice';
import { h, replace, uid } from '../../dom';

/** The portal refuses a larger file (DeviceImport.MAX_BYTES); said here before it is sent. */
export const MAX_IMPORT_BYTES = 1024 * 1024;

/** What the browser saves the tokens as; the portal's Content-Disposition names the same. */
export const TOKENS_FILE = 'tether-device-tokens.csv';

export const IMPORT_COLUMNS_HINT =
  'The first row names the columns: name (required), group, tags (separated by spaces or ;), description, encoding (utf-8, latin-1 or cp437). An empty cell takes the default, and the group\'s default encoding and tags apply.';

/** A file's bytes as text, or why not: the portal reads UTF-8 only. */
export function decodeCsv(bytes: ArrayBuffer): { ok: true; text: string } | { ok: false; error: string } {
  if (bytes.byteLength > MAX_IMPORT_BYTES) {
    return { ok: false, error: 'The file is larger than 1 MiB: split it into several files.' };
  }
  try {
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    return { ok: false, error: 'The file is not UTF-8 text: save it as "CSV UTF-8" and choose it again.' };
  }
}

/** One line about a check: how many rows, how many ready, how many with problems. */
export function checkSummary(check: ImportCheck): string {
  const bad = check.rows - check.valid;
  const rows = `${check.rows} ${check.rows === 1 ? 'row' : 'rows'}`;
  if (check.rows === 0) return 'The file has no rows below its header.';
  if (bad === 0) return `${rows}, all ready to import.`;
  return `${rows}: ${check.valid} ready, ${bad} with problems. Fix them and check again; nothing is imported while a row has a problem.`;
}

/** Whether a check allows the import: rows, and not one problem. */
export function importable(check: ImportCheck): boolean {
  return check.rows > 0 && check.problems.length === 0;
}

/** The problems a refused import's problem JSON carries, if it is one. */
export function refusedProblems(error: unknown): ImportProblem[] | null {
  if (!(error instanceof ApiError) || !Array.isArray(error.body.problems)) return null;
  return error.body.problems as ImportProblem[];
}

/** How many devices a token CSV lists (its rows below the header). */
export function importedCount(tokensCsv: string): number {
  return tokensCsv.split(/\r?\n/).filter((line) => line.length > 0).length - 1;
}

function problemTable(problems: ImportProblem[]): HTMLElement {
  return h(
    'div',
    null,
    h('p', { class: 'hint' }, 'Row 1 is the first row below the header; Line is where the row starts in the file.'),
    problemRows(problems),
  );
}

function problemRows(problems: ImportProblem[]): HTMLElement {
  return h(
    'table',
    { class: 'list import-problems' },
    h('caption', { class: 'visually-hidden' }, 'Problems by row'),
    h('thead', null, h('tr', null, ['Row', 'Line', 'Name', 'Column', 'Problem'].map((c) => h('th', { attrs: { scope: 'col' } }, c)))),
    h(
      'tbody',
      null,
      problems.map((p) => h('tr', null, h('td', null, String(p.row)), h('td', null, String(p.line)), h('td', null, p.name), h('td', null, p.field ?? ''), h('td', null, p.detail))),
    ),
  );
}

/** What is offered once after an import: the tokens as a download, with the warning. */
function tokensPanel(tokensCsv: string, url: string): HTMLElement {
  const count = importedCount(tokensCsv);
  const link = h(
    'a',
    { class: 'btn btn-primary', attrs: { href: url, download: TOKENS_FILE } },
    'Download the device tokens (CSV)',
  );
  return h(
    'section',
    { class: 'card once', attrs: { 'aria-label': 'Imported devices' } },
    h('h3', null, `${count} ${count === 1 ? 'device' : 'devices'} imported`),
    h('p', { class: 'warning' }, 'Download the device tokens now: they are shown only this once. Keep the file safe, as each token lets an agent connect as its device; rotate a lost one on its device page.'),
    link,
  );
}

/** The "Import from CSV" card of the Manage devices page; {@code imported} reloads the list. */
export function importCard(imported: () => void): HTMLElement {
  const fileId = uid('import-file');
  const file = h('input', { attrs: { id: fileId, type: 'file', accept: '.csv,text/csv' } });
  const text = textarea({ label: 'CSV', name: 'import-csv', rows: 6, hint: IMPORT_COLUMNS_HINT });
  text.control.spellcheck = false;
  text.control.classList.add('mono');
  const error = errorNotice();
  const status = statusNotice();
  const problems = h('div');
  const once = h('div');
  const check = h('button', { class: 'btn btn-plain', attrs: { type: 'button' } }, 'Check');
  const doImport = h('button', { class: 'btn btn-primary', attrs: { type: 'button', disabled: true } }, 'Import');
  /** The text the last check found no problem in: Import sends exactly that. */
  let checked: string | null = null;
  /** The tokens file offered for download, let go when the next check starts. */
  let tokensUrl: string | null = null;

  const clearOutcome = () => {
    error.clear();
    status.clear();
    replace(problems);
  };
  const invalidate = () => {
    checked = null;
    doImport.disabled = true;
  };
  text.control.addEventListener('input', invalidate);
  file.addEventListener('change', async () => {
    clearOutcome();
    invalidate();
    const chosen = file.files?.[0];
    if (!chosen) return;
    const decoded = decodeCsv(await chosen.arrayBuffer());
    if (!decoded.ok) {
      error.show(decoded.error);
      return;
    }
    text.control.value = decoded.text;
  });

  const card: HTMLElement = h(
    'section',
    { class: 'card', attrs: { 'aria-labelledby': 'import-title' } },
    h('h2', { attrs: { id: 'import-title' } }, 'Import from CSV'),
    h('div', { class: 'field' }, h('label', { attrs: { for: fileId } }, 'CSV file'), file),
    text.row,
    h('div', { class: 'actions' }, check, doImport),
    error.element,
    status.element,
    problems,
    once,
  );

  check.addEventListener('click', async () => {
    clearOutcome();
    replace(once);
    if (tokensUrl) URL.revokeObjectURL(tokensUrl);
    tokensUrl = null;
    invalidate();
    const csv = text.control.value;
    if (csv.trim() === '') {
      error.show('Choose a CSV file or paste its rows first.');
      return;
    }
    try {
      const result = await busy(card, () => devicesApi.checkImport(csv));
      status.show(checkSummary(result));
      if (result.problems.length) replace(problems, problemTable(result.problems));
      if (importable(result)) {
        checked = csv;
        doImport.disabled = false;
      }
    } catch (e) {
      error.error(e);
    }
  });

  doImport.addEventListener('click', async () => {
    if (checked === null) return;
    const csv = checked;
    clearOutcome();
    try {
      const tokens = await busy(card, () => devicesApi.importCsv(csv));
      invalidate();
      text.control.value = '';
      file.value = '';
      tokensUrl = URL.createObjectURL(new Blob([tokens], { type: 'text/csv' }));
      replace(once, tokensPanel(tokens, tokensUrl));
      imported();
    } catch (e) {
      error.error(e);
      const refused = refusedProblems(e);
      if (refused) replace(problems, problemTable(refused));
      invalidate();
    }
  });
  return card;
}
