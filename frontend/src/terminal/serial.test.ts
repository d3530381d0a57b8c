import { describe, expect, it } from 'vitest';
import { breakMessage, lineMessage, type SerialForm } from './serial';
import { DEFAULT_ENCODING, encodingKey, type KeyValueStore, loadEncoding, saveEncoding } from './encodingPrefs';

const form = (over: Partial<SerialForm> = {}): SerialForm => ({ baud: '', dataBits: '', parity: '', stopBits: '', flow: '', ...over });

describe('serial settings', () => {
  it('sends only the fields the user set', () => {
    expect(lineMessage(form({ baud: '9600' }))).toEqual({ ok: true, message: { type: 'line', baud: 9600 } });
    expect(lineMessage(form({ dataBits: '7', parity: 'even', stopBits: '2', flow: 'rtscts' }))).toEqual({
      ok: true,
      message: { type: 'line', dataBits: 7, parity: 'even', stopBits: 2, flow: 'rtscts' },
    });
  });

  it('sends 1.5 stop bits as a number', () => {
    const result = lineMessage(form({ stopBits: '1.5' }));
    expect(result.ok && result.message.stopBits).toBe(1.5);
    expect(JSON.stringify(result.ok && result.message)).toBe('{"type":"line","stopBits":1.5}');
  });

  it("refuses what the portal would refuse, naming the field", () => {
    expect(lineMessage(form({ baud: '49' }))).toMatchObject({ ok: false, field: 'baud' });
    expect(lineMessage(form({ baud: '4000001' }))).toMatchObject({ ok: false, field: 'baud' });
    expect(lineMessage(form({ baud: '96 00' }))).toMatchObject({ ok: false, field: 'baud' });
    expect(lineMessage(form({ dataBits: '9' }))).toMatchObject({ ok: false, field: 'dataBits' });
    expect(lineMessage(form({ parity: 'sometimes' }))).toMatchObject({ ok: false, field: 'parity' });
    expect(lineMessage(form({ stopBits: '3' }))).toMatchObject({ ok: false, field: 'stopBits' });
    expect(lineMessage(form({ flow: 'dtrdsr' }))).toMatchObject({ ok: false, field: 'flow' });
  });

  it('wants at least one change', () => {
    expect(lineMessage(form())).toMatchObject({ ok: false, error: 'Choose at least one setting to change.' });
  });

  it('sends a 250 ms break by default, within the portal limits', () => {
    expect(breakMessage()).toEqual({ type: 'break', ms: 250 });
    expect(breakMessage(0).ms).toBe(1);
    expect(breakMessage(60_000).ms).toBe(10_000);
  });
});

describe('encoding per device', () => {
  const memory = (): KeyValueStore & { data: Map<string, string> } => {
    const data = new Map<string, string>();
    return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v) };
  };

  it('is UTF-8 until chosen, then remembered per device', () => {
    const store = memory();
    expect(loadEncoding(7, store)).toBe(DEFAULT_ENCODING);
    saveEncoding(7, 'cp437', store);
    expect(loadEncoding(7, store)).toBe('cp437');
    expect(loadEncoding(8, store)).toBe('utf-8');
    expect(store.data.get(encodingKey(7))).toBe('cp437');
  });

  it('falls back to UTF-8 for garbage and for storage that throws', () => {
    const store = memory();
    store.setItem(encodingKey(1), 'EBCDIC');
    expect(loadEncoding(1, store)).toBe('utf-8');
    const broken: KeyValueStore = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('quota');
      },
    };
    expect(loadEncoding(1, broken)).toBe('utf-8');
    expect(() => saveEncoding(1, 'latin-1', broken)).not.toThrow();
    expect(loadEncoding(1, null)).toBe('utf-8');
  });
});
