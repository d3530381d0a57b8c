// @vitest-environment happy-dom
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { h, replace } from './dom';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.ts$/.test(name) && !/\.test\.ts$/.test(name) ? [path] : [];
  });
}

describe('rendering safety', () => {
  it('renders strings as text, never as markup', () => {
    const hostile = '<img src=x onerror="window.__pwned=1">';
    const el = h('td', null, hostile);
    expect(el.textContent).toBe(hostile);
    expect(el.querySelector('img')).toBeNull();
    replace(el, hostile, ' ', 42);
    expect(el.childElementCount).toBe(0);
  });

  it('no source file uses an HTML-parsing sink', () => {
    const sinks = /\.(innerHTML|outerHTML)\s*=|insertAdjacentHTML|document\.write|createContextualFragment|DOMParser/;
    const files = sources(join(__dirname));
    expect(files.length).toBeGreaterThan(20);
    const offenders = files.filter((file) => sinks.test(readFileSync(file, 'utf8')));
    expect(offenders).toEqual([]);
  });
});
