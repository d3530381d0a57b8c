// The replay player on a session's page: a cast played into an xterm.js terminal (DOM renderer,
// read only) with Play/Pause, a Position slider, a Speed choice and elapsed/total time. The timing
// lives in timeline.ts; this only wires it to the terminal and the controls. Loaded on demand, so
// xterm.js stays out of the pages that do not replay.

import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import { h, uid } from '../dom';
import { currentTheme } from '../prefs/theme';
import { TERMINAL_THEMES } from '../terminal/themes';
import type { Cast } from './cast';
import { formatClock, Playback, SPEEDS, Timeline } from './timeline';

/** How often the elapsed time and the slider move while playing. */
const PROGRESS_MS = 200;
/** A dragged slider seeks once it rests this long (a seek redraws the whole screen). */
const SEEK_DEBOUNCE_MS = 80;


export interface ReplayPlayer {
  element: HTMLElement;
  /** Puts the terminal in its element: call once the element is in the document. */
  mount(): void;
  /** The screen as text (tests). */
  text(): string;
  dispose(): void;
}

export function replayPlayer(cast: Cast): ReplayPlayer {
  const timeline = new Timeline(cast);
  const term = new Terminal({
    cols: timeline.initialSize.cols,
    rows: timeline.initialSize.rows,
    disableStdin: true,
    cursorBlink: false,
    scrollback: 5000,
    fontFamily: 'ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace',
    fontSize: 14,
    theme: { ...TERMINAL_THEMES[currentTheme()] },
  });
  const host = h('div', { class: 'replay-host', attrs: { 'data-replay': '' } });
  const playButton = h('button', { class: 'btn btn-primary replay-play', attrs: { type: 'button' } }, 'Play');
  const positionId = uid('replay-position');
  const total = Math.round(timeline.duration * 1000);
  const position = h('input', {
    attrs: { id: positionId, type: 'range', min: 0, max: total, step: 100, name: 'position' },
    props: { value: '0' },
  });
  const speedId = uid('replay-speed');
  const speed = h(
    'select',
    { attrs: { id: speedId, name: 'speed' } },
    SPEEDS.map((s) => h('option', { props: { value: String(s), selected: s === 1 } }, `${s}×`)),
  );
  const clock = h('span', { class: 'replay-clock' });
  let timer: ReturnType<typeof setInterval> | undefined;
  let seekTimer: ReturnType<typeof setTimeout> | undefined;
  let dragging = false;

  const playback = new Playback(timeline, {
    write: (text) => term.write(text),
    // RIS through write, so it lands after whatever is still queued for the terminal
    reset: () => term.write('\x1bc'),
    resize: (size) => term.resize(size.cols, size.rows),
    now: () => performance.now(),
    setTimer: (callback, ms) => setTimeout(callback, ms),
    clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
    changed: () => render(),
  });

  const showTime = (seconds: number) => {
    const text = `${formatClock(seconds)} / ${formatClock(timeline.duration)}`;
    clock.textContent = text;
    position.setAttribute('aria-valuetext', `${formatClock(seconds)} of ${formatClock(timeline.duration)}`);
  };

  function render(): void {
    playButton.textContent = playback.playing ? 'Pause' : 'Play';
    if (!dragging) {
      position.value = String(Math.round(playback.position * 1000));
      showTime(playback.position);
    }
    if (playback.playing && timer === undefined) {
      timer = setInterval(render, PROGRESS_MS);
    } else if (!playback.playing && timer !== undefined) {
      clearInterval(timer);
      timer = undefined;
    }
  }

  const seekToSlider = () => {
    clearTimeout(seekTimer);
    seekTimer = undefined;
    dragging = false;
    playback.seek(Number(position.value) / 1000);
  };
  playButton.addEventListener('click', () => {
    playback.toggle();
    // the screen sits under the controls: bring it into view (xterm draws nothing while off screen)
    if (playback.playing) host.scrollIntoView?.({ block: 'nearest' });
  });
  position.addEventListener('input', () => {
    dragging = true;
    showTime(Number(position.value) / 1000);
    clearTimeout(seekTimer);
    seekTimer = setTimeout(seekToSlider, SEEK_DEBOUNCE_MS);
  });
  position.addEventListener('change', seekToSlider);
  speed.addEventListener('change', () => playback.setSpeed(Number(speed.value)));

  const markers = timeline.markers();
  const element = h(
    'div',
    { class: 'replay', attrs: { role: 'group', 'aria-label': 'Replay' } },
    h(
      'div',
      { class: 'replay-controls' },
      playButton,
      h('label', { attrs: { for: positionId } }, 'Position'),
      position,
      clock,
      h('label', { attrs: { for: speedId } }, 'Speed'),
      speed,
    ),
    host,
    h('p', { class: 'hint' }, `Idle stretches longer than ${timeline.idleLimit} s play as ${timeline.idleLimit} s.`),
    markers.length > 0
      ? h(
          'div',
          { class: 'replay-markers' },
          h('h3', null, 'Gaps in the recording'),
          h('ul', null, markers.map((m) => h('li', null, h('span', { class: 'mono' }, formatClock(m.at)), ' ', m.label))),
        )
      : null,
    cast.skipped > 0 ? h('p', { class: 'hint' }, `${cast.skipped} unreadable line${cast.skipped === 1 ? ' was' : 's were'} skipped.`) : null,
  );
  render();

  return {
    element,
    mount() {
      if (!term.element) term.open(host);
    },
    text() {
      const buffer = term.buffer.active;
      const lines: string[] = [];
      for (let y = buffer.viewportY; y < buffer.viewportY + term.rows; y++) {
        lines.push(buffer.getLine(y)?.translateToString(true) ?? '');
      }
      return lines.join('\n');
    },
    dispose() {
      playback.dispose();
      clearInterval(timer);
      clearTimeout(seekTimer);
      term.dispose();
    },
  };
}
