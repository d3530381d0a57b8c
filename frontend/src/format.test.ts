import { describe, expect, it } from 'vitest';
import { ago, exact, isoToLocalInput, localInputToIso, localTime, localZone, parseAddressList, parseTags } from './format';

describe('format', () => {
  const now = new Date('2026-11-25T12:00:00Z');

  it('says how long ago, coarsening with age', () => {
    expect(ago(null, now)).toBe('never');
    expect(ago('2026-11-25T11:59:50Z', now)).toBe('just now');
    expect(ago('2026-11-25T11:55:00Z', now)).toBe('5 min ago');
    expect(ago('2026-11-25T09:00:00Z', now)).toBe('3 h ago');
    expect(ago('2026-11-20T12:00:00Z', now)).toBe('5 d ago');
    expect(ago('2025-01-02T12:00:00Z', now)).toBe('2025-01-02');
  });

  it("prints a time in the browser's zone to the second, and names the zone", () => {
    const at = new Date(2026, 11, 5, 9, 4, 7); // local time
    expect(localTime(at.toISOString())).toBe('2026-12-05 09:04:07');
    expect(localTime(null)).toBe('—');
    expect(localTime('not a time')).toBe('not a time');
    expect(localZone(at)).toMatch(/^UTC[+-]\d\d:\d\d$/);
  });

  it('prints exact UTC times', () => {
    expect(exact('2026-11-25T10:42:07.123Z')).toBe('2026-11-25 10:42:07 UTC');
    expect(exact(null)).toBe('—');
  });

  it('splits tags on commas and spaces', () => {
    expect(parseTags(' hall-3, moxa  lab,,')).toEqual(['hall-3', 'moxa', 'lab']);
    expect(parseTags('')).toEqual([]);
  });

  it('splits an address list on lines, commas and spaces, each address once', () => {
    expect(parseAddressList('203.0.113.7\n198.51.100.0/24, 2001:db8::/32 ;203.0.113.7\r\n\n')).toEqual(['203.0.113.7', '198.51.100.0/24', '2001:db8::/32']);
    expect(parseAddressList('  \n ,')).toEqual([]);
  });

  it('turns an ISO time into a datetime-local value and back', () => {
    const local = isoToLocalInput('2026-11-25T10:42:07Z');
    expect(local).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/);
    expect(localInputToIso(local)).toBe('2026-11-25T10:42:00.000Z');
    expect(isoToLocalInput(undefined)).toBe('');
    expect(isoToLocalInput('nonsense')).toBe('');
  });
});
