// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TerminalScreen, webglUsable } from './screen';

/** A canvas whose WebGL context reports this renderer string (or no context at all). */
function canvasWithRenderer(renderer: string | null): void {
  const create = document.createElement.bind(document);
  vi.spyOn(document, 'createElement').mockImplementation((tag: string) => {
    const element = create(tag);
    if (tag === 'canvas') {
      const gl =
        renderer === null
          ? null
          : {
              RENDERER: 1,
              getExtension: (name: string) =>
                name === 'WEBGL_debug_renderer_info' ? { UNMASKED_RENDERER_WEBGL: 2 } : { loseContext: () => undefined },
              getParameter: () => renderer,
            };
      (element as HTMLCanvasElement).getContext = (() => gl) as unknown as HTMLCanvasElement['getContext'];
    }
    return element;
  });
}

afterEach(() => vi.restoreAllMocks());

describe('webglUsable', () => {
  it('is false without a WebGL context (the DOM renderer draws)', () => {
    canvasWithRenderer(null);
    expect(webglUsable()).toBe(false);
  });

  it('is false for WebGL done on the CPU, which is slower than the DOM renderer', () => {
    for (const software of ['Google SwiftShader', 'llvmpipe (LLVM 15.0.6, 256 bits)', 'Microsoft Basic Render Driver']) {
      canvasWithRenderer(software);
      expect(webglUsable(), software).toBe(false);
      vi.restoreAllMocks();
    }
  });

  it('is true for a hardware GPU', () => {
    canvasWithRenderer('NVIDIA GeForce RTX 3060/PCIe/SSE2');
    expect(webglUsable()).toBe(true);
  });
});

describe('TerminalScreen', () => {
  it('names its host for tests and draws with the DOM renderer until WebGL takes over', () => {
    const screen = new TerminalScreen('console');
    expect(screen.host.dataset.terminal).toBe('console');
    expect(screen.host.classList.contains('term-host')).toBe(true);
    expect(screen.renderer).toBe('dom');
    screen.dispose();
  });

  it('does not fit while hidden, and disposing twice is harmless', () => {
    const screen = new TerminalScreen('console');
    expect(() => screen.fitNow()).not.toThrow(); // not mounted, no size: nothing to fit
    screen.dispose();
    expect(() => screen.dispose()).not.toThrow();
  });
});
