// Agent versions as the portal compares them (io.tether.protocol.SemanticVersion): Semantic
// Versioning precedence, 0.1.0-SNAPSHOT < 0.1.0 < 0.2.0; anything else is never older.

const SYNTAX = /^(0|[1-9]\d{0,8})\.(0|[1-9]\d{0,8})\.(0|[1-9]\d{0,8})(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;

interface Parsed {
  core: number[];
  pre: string[];
}

function parse(version: string | null | undefined): Parsed | null {
  const m = version ? SYNTAX.exec(version.trim()) : null;
  if (!m) return null;
  const pre = m[4] ? m[4].split('.') : [];
  if (pre.some((id) => /^0\d+$/.test(id))) return null;
  return { core: [Number(m[1]), Number(m[2]), Number(m[3])], pre };
}

function compareIdentifiers(a: string, b: string): number {
  const numA = /^\d+$/.test(a);
  const numB = /^\d+$/.test(b);
  if (numA && numB) return Number(a) - Number(b);
  if (numA !== numB) return numA ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** True only when both are versions and {@code version} comes before {@code than}. */
export function olderVersion(version: string | null | undefined, than: string | null | undefined): boolean {
  const a = parse(version);
  const b = parse(than);
  if (!a || !b) return false;
  for (let i = 0; i < 3; i++) {
    if (a.core[i] !== b.core[i]) return a.core[i] < b.core[i];
  }
  if (a.pre.length === 0 || b.pre.length === 0) return a.pre.length > 0 && b.pre.length === 0;
  for (let i = 0; i < Math.min(a.pre.length, b.pre.length); i++) {
    const c = compareIdentifiers(a.pre[i], b.pre[i]);
    if (c !== 0) return c < 0;
  }
  return a.pre.length < b.pre.length;
}
