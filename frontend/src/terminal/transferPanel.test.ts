// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { finishedText, progressText, TransferPanel } from './transferPanel';

describe('TransferPanel', () => {
  it('says what moves, its size and how far it got', () => {
    expect(progressText({ direction: 'download', name: 'file.bin', size: 2 * 1024 * 1024, done: 1536 })).toBe('Receiving file.bin (2.0 MiB): 1.5 KiB');
    expect(progressText({ direction: 'upload', name: 'fw.img', size: null, done: 10 })).toBe('Sending fw.img: 10 B');
  });

  it('says how a transfer ended', () => {
    expect(finishedText('download', 'complete', '', 'file.bin')).toBe('Received file.bin.');
    expect(finishedText('upload', 'cancelled', '', null)).toBe('Cancelled the upload: the device was told to stop (ZMODEM abort).');
    expect(finishedText('download', 'failed', 'PROTOCOL: bad CRC', 'a')).toContain('PROTOCOL: bad CRC');
  });

  it('Cancel while the device waits for files answers the picker with none', async () => {
    let cancelled = 0;
    const panel = new TransferPanel({ cancel: () => cancelled++, refocus: () => {} });
    const files = panel.chooseFiles();
    expect(panel.element.hidden).toBe(false);
    panel.element.querySelector('button')!.click();
    expect(await files).toBeNull();
    expect(cancelled).toBe(0);
  });

  it('Cancel during a transfer cancels it; the end hides the bar and Cancel and gives the keys back to the terminal', () => {
    let cancelled = 0;
    let refocused = 0;
    const panel = new TransferPanel({ cancel: () => cancelled++, refocus: () => refocused++ });
    document.body.append(panel.element);
    panel.progress({ direction: 'download', name: 'file.bin', size: 100, done: 50 });
    const bar = panel.element.querySelector('progress')!;
    expect([bar.value, bar.max]).toEqual([50, 100]);
    panel.element.querySelector('button')!.focus();
    panel.element.querySelector('button')!.click();
    expect(cancelled).toBe(1);
    panel.finished('download', 'cancelled', '');
    expect(panel.element.dataset.outcome).toBe('cancelled');
    expect(bar.hidden).toBe(true);
    expect(panel.element.querySelector('button')!.hidden).toBe(true);
    expect(refocused).toBe(1);
  });
});
