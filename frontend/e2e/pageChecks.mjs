// Checks of a whole page the layout rules promise (frontend/README.md "Layout, theme and
// accessibility"): nothing scrolls sideways, touch targets are at least 44 px tall, axe-core finds no
// serious or critical violation. Shared by responsive.mjs (every page) and enroll.mjs.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fail } from './helpers.mjs';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export async function noSidewaysScroll(page, what) {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
  if (scrollWidth > innerWidth) {
    const wide = await page.evaluate(() =>
      [...document.querySelectorAll('body *')]
        .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 0.5)
        .slice(0, 5)
        .map((e) => `${e.tagName.toLowerCase()}.${e.className} (${Math.round(e.getBoundingClientRect().right)} px)`),
    );
    fail(`${what} scrolls sideways: ${scrollWidth} px of content in ${innerWidth} px; too wide: ${wide.join(', ')}`);
  }
}

/** Every visible button, field and header link is at least 44 px tall (a finger, not a mouse). */
export async function touchTargets(page, what) {
  const small = await page.evaluate(() =>
    [...document.querySelectorAll('header button, header a, main button, main select, main input:not([type=checkbox]):not([type=radio]), main summary')]
      .filter((e) => e.getClientRects().length > 0 && e.getBoundingClientRect().height < 43.5)
      .map((e) => `${e.tagName.toLowerCase()} "${(e.getAttribute('aria-label') ?? e.textContent ?? '').trim().slice(0, 30)}" ${Math.round(e.getBoundingClientRect().height)} px`),
  );
  if (small.length > 0) fail(`touch targets under 44 px on ${what}: ${small.slice(0, 8).join(', ')}`);
}

/** axe-core's serious and critical violations on the page, one line each, prefixed with {@code what}. */
export async function axe(page, what) {
  await page.evaluate(axeSource);
  const result = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
  });
  return result.map((line) => `${what}: ${line}`);
}
