// The screen of a web terminal: xterm.js in its host element, with fit, search, web links and
// Unicode 11 widths, and WebGL where a hardware GPU draws it (else xterm's DOM renderer). The size
// follows the host: a resize observer refits, and xterm's onResize says when cols/rows changed.

import { FitAddon } from '@xterm/addon-fit';
import { SearchAddon } from '@xterm/addon-search';
import { Unicode11Addon } from '@xterm/addon-unicode11';
import { WebLinksAddon } from '@xterm/addon-web-links';
import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import { h } from '../dom';
import { currentTheme, type Theme } from '../prefs/theme';
import { loadFontSize } from './fontSize';
import { TERMINAL_THEMES } from './themes';

export type Renderer = 'webgl' | 'dom';

/** Renderer strings of WebGL done on the CPU (no GPU): slower than xterm's DOM renderer. */
const SOFTWARE_GL = /swiftshader|llvmpipe|softpipe|software|basic render driver|mesa offscreen/i;

/**
 * WebGL only where it is hardware-accelerated: a software WebGL (SwiftShader in a GPU-less headless
 * Chromium, llvmpipe on a VM) is slower than the DOM renderer, and a missing one throws.
 */
export function webglUsable(): boolean {
  try {
    const canvas = document.createElement('canvas');
    const gl = canvas.getContext('webgl2', { failIfMajorPerformanceCaveat: true });
    if (!gl) return false;
    const info = gl.getExtension('WEBGL_debug_renderer_info');
    const renderer = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER) ?? '');
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    return !SOFTWARE_GL.test(renderer);
  } catch {
    return false;
  }
}


export class TerminalScreen {
  readonly term: Terminal;
  /** The element xterm draws into (data-terminal names it for tests, data-renderer says how it draws). */
  readonly host: HTMLElement;
  readonly search = new SearchAddon();
  renderer: Renderer = 'dom';

  private readonly fit = new FitAddon();
  private readonly observer: ResizeObserver | null;
  private fitFrame = 0;
  private disposed = false;

  constructor(label: string) {
    this.term = new Terminal({
      allowProposedApi: true, // unicode11's activeVersion
      cursorBlink: true,
      fontFamily: 'ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace',
      fontSize: loadFontSize(),
      scrollback: 5000,
      theme: { ...TERMINAL_THEMES[currentTheme()] },
      rightClickSelectsWord: true,
      macOptionIsMeta: true,
    });
    this.host = h('div', { class: 'term-host', attrs: { 'data-terminal': label } });
    this.observer = typeof ResizeObserver === 'function' ? new ResizeObserver(() => this.fitSoon()) : null;
  }

  /** Puts xterm into its element: call once the host is in the document. */
  mount(): void {
    if (this.term.element) return;
    this.term.open(this.host);
    this.term.loadAddon(this.fit);
    this.term.loadAddon(this.search);
    this.term.loadAddon(
      new WebLinksAddon((event, uri) => {
        event.preventDefault();
        if (/^https?:\/\//i.test(uri)) {
          window.open(uri, '_blank', 'noopener,noreferrer');
        }
      }),
    );
    const unicode = new Unicode11Addon();
    this.term.loadAddon(unicode);
    this.term.unicode.activeVersion = '11';
    this.renderer = 'dom';
    if (webglUsable()) {
      void this.loadWebgl(); // the DOM renderer draws until (and unless) WebGL takes over
    }
    this.host.dataset.renderer = this.renderer;
    this.observer?.observe(this.host);
    this.fitNow();
  }

  private async loadWebgl(): Promise<void> {
    try {
      const { WebglAddon } = await import('@xterm/addon-webgl');
      if (this.disposed) return;
      const webgl = new WebglAddon();
      webgl.onContextLoss(() => {
        webgl.dispose(); // back to the DOM renderer
        this.setRenderer('dom');
      });
      this.term.loadAddon(webgl);
      this.setRenderer('webgl');
    } catch {
      this.setRenderer('dom');
    }
  }

  private setRenderer(renderer: Renderer): void {
    this.renderer = renderer;
    this.host.dataset.renderer = renderer;
  }

  /** Follows the page's theme. */
  setTheme(theme: Theme): void {
    this.term.options.theme = { ...TERMINAL_THEMES[theme] };
  }

  setFontSize(size: number): void {
    this.term.options.fontSize = size;
    this.fitSoon();
  }

  /** The visible rows as text (what the screen shows), right-trimmed, one line each. */
  visibleText(): string {
    const buffer = this.term.buffer.active;
    const lines: string[] = [];
    for (let y = buffer.viewportY; y < buffer.viewportY + this.term.rows; y++) {
      lines.push(buffer.getLine(y)?.translateToString(true) ?? '');
    }
    return lines.join('\n');
  }

  /** Fits on the next frame (after layout settles). */
  fitSoon(): void {
    cancelAnimationFrame(this.fitFrame);
    this.fitFrame = requestAnimationFrame(() => this.fitNow());
  }

  /** Fits to the host now, unless it is hidden. */
  fitNow(): void {
    if (!this.term.element || this.host.clientWidth === 0 || this.host.clientHeight === 0) {
      return; // hidden (another tab, another page): fit when shown
    }
    try {
      this.fit.fit(); // onResize tells the portal when cols/rows changed
    } catch {
      // the renderer has not measured its font yet: the observer fits again
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.observer?.disconnect();
    cancelAnimationFrame(this.fitFrame);
    this.term.dispose();
  }
}
