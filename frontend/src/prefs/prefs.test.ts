import { describe, expect, it } from 'vitest';
import { clampFontSize, DEFAULT_FONT_SIZE, FONT_SIZE_KEY, loadFontSize, MAX_FONT_SIZE, MIN_FONT_SIZE, stepFontSize } from '../terminal/fontSize';
import { toolsShownAtFirst } from '../terminal/viewControls';
import { hostHeight, MIN_HOST_PX } from '../terminal/viewport';
import { type KeyValueStore, memoryStore } from './store';
import { nextThemeChoice, parseThemeChoice, resolveTheme } from './theme';

describe('font size', () => {
  it('is remembered across terminals', () => {
    const store = memoryStore();
    expect(loadFontSize(store)).toBe(DEFAULT_FONT_SIZE);
    expect(stepFontSize(14, 1, store)).toBe(15);
    expect(store.values.get(FONT_SIZE_KEY)).toBe('15');
    expect(loadFontSize(store)).toBe(15);
  });

  it('stays within legible bounds, whatever was stored', () => {
    const store = memoryStore();
    expect(stepFontSize(MAX_FONT_SIZE, 1, store)).toBe(MAX_FONT_SIZE);
    expect(stepFontSize(MIN_FONT_SIZE, -1, store)).toBe(MIN_FONT_SIZE);
    store.setItem(FONT_SIZE_KEY, 'huge');
    expect(loadFontSize(store)).toBe(DEFAULT_FONT_SIZE);
    store.setItem(FONT_SIZE_KEY, '500');
    expect(loadFontSize(store)).toBe(MAX_FONT_SIZE);
    expect(clampFontSize(12.6)).toBe(13);
  });

  it('works when storage throws (disabled by privacy settings)', () => {
    const broken: KeyValueStore = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('denied');
      },
    };
    expect(loadFontSize(broken)).toBe(DEFAULT_FONT_SIZE);
    expect(stepFontSize(14, -1, broken)).toBe(13);
  });
});

describe('theme', () => {
  it('follows the system unless a choice was made', () => {
    expect(resolveTheme('system', true)).toBe('dark');
    expect(resolveTheme('system', false)).toBe('light');
    expect(resolveTheme('light', true)).toBe('light');
    expect(parseThemeChoice('purple')).toBe('system');
  });

  it('cycles system, dark, light', () => {
    expect(nextThemeChoice('system')).toBe('dark');
    expect(nextThemeChoice('dark')).toBe('light');
    expect(nextThemeChoice('light')).toBe('system');
  });
});

describe('terminal layout', () => {
  it('gives the terminal the viewport below its top, less the key bar', () => {
    expect(hostHeight({ viewportHeight: 800, hostTop: 130, below: 60 })).toBe(610);
    expect(hostHeight({ viewportHeight: 300, hostTop: 250, below: 60 })).toBe(MIN_HOST_PX);
  });

  it('starts with the tools folded on small screens unless the user chose', () => {
    expect(toolsShownAtFirst(null, true)).toBe(false);
    expect(toolsShownAtFirst(null, false)).toBe(true);
    expect(toolsShownAtFirst('shown', true)).toBe(true);
    expect(toolsShownAtFirst('hidden', false)).toBe(false);
  });
});
