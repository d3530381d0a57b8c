// This browser's remembered choices (localStorage): reading and writing never throw, so a browser
// with storage disabled still works, its choices lasting for the page only.

/** The part of Storage used here (tests pass a Map-backed one). */
export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export function defaultStore(): KeyValueStore | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null; // storage disabled (privacy settings)
  }
}

export function readPref(key: string, store: KeyValueStore | null = defaultStore()): string | null {
  try {
    return store?.getItem(key) ?? null;
  } catch {
    return null;
  }
}

export function writePref(key: string, value: string, store: KeyValueStore | null = defaultStore()): void {
  try {
    store?.setItem(key, value);
  } catch {
    // quota or disabled storage: the choice still applies to this page
  }
}

/** A Map-backed store for tests. */
export function memoryStore(): KeyValueStore & { values: Map<string, string> } {
  const values = new Map<string, string>();
  return { values, getItem: (key) => values.get(key) ?? null, setItem: (key, value) => void values.set(key, value) };
}
