// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import type { BreakMessage, LineMessage } from './serial';
import { type SerialRequest, SerialPanel } from './serialPanel';

const setup = (connected = true) => {
  const messages: (LineMessage | BreakMessage)[] = [];
  const requests: SerialRequest[] = [];
  const panel = new SerialPanel({ control: (m) => (connected ? (messages.push(m), true) : false), sent: (r) => requests.push(r) });
  document.body.replaceChildren(panel.element);
  const select = (label: string) => {
    const l = [...panel.element.querySelectorAll('label')].find((x) => x.textContent === label)!;
    return panel.element.querySelector<HTMLSelectElement>(`#${l.getAttribute('for')}`)!;
  };
  const button = (name: string) => [...panel.element.querySelectorAll('button')].find((b) => b.textContent === name)!;
  const apply = () => panel.element.querySelector('form')!.dispatchEvent(new Event('submit', { cancelable: true }));
  const feedback = () => panel.element.querySelector('[role=status]')!.textContent;
  return { panel, messages, requests, select, button, apply, feedback };
};

describe('SerialPanel', () => {
  it('Send file hands the chosen protocol and file over, and asks for a file when none is chosen', () => {
    const sent: [string, string][] = [];
    const panel = new SerialPanel({ control: () => true, sent: () => {}, sendFile: (protocol, file) => sent.push([protocol, file.name]) });
    document.body.replaceChildren(panel.element);
    const form = panel.element.querySelector<HTMLFormElement>('form[aria-label="Send file"]')!;
    const submit = () => form.dispatchEvent(new Event('submit', { cancelable: true }));
    submit();
    expect(panel.element.querySelector('[role=status]')!.textContent).toBe('Choose a file to send.');
    const input = form.querySelector<HTMLInputElement>('input[type=file]')!;
    Object.defineProperty(input, 'files', { value: [new File(['x'], 'fw.bin')] });
    form.querySelector<HTMLSelectElement>('select')!.value = 'ymodem';
    submit();
    expect(sent).toEqual([['ymodem', 'fw.bin']]);
  });

  it('sends only the settings the user picked, and says it is sending', () => {
    const { messages, requests, select, apply, feedback } = setup();
    select('Baud rate').value = '9600';
    select('Parity').value = 'even';
    apply();
    expect(messages).toEqual([{ type: 'line', baud: 9600, parity: 'even' }]);
    expect(requests).toEqual(['line']);
    expect(feedback()).toBe('Sending…');
  });

  it('sends nothing when no setting was picked, and says why', () => {
    const { messages, requests, apply, feedback } = setup();
    apply();
    expect(messages).toEqual([]);
    expect(requests).toEqual([]);
    expect(feedback()).toBe('Choose at least one setting to change.');
  });

  it('sends a 250 ms break', () => {
    const { messages, requests, button, feedback } = setup();
    button('Send break').click();
    expect(messages).toEqual([{ type: 'break', ms: 250 }]);
    expect(requests).toEqual(['break']);
    expect(feedback()).toBe('Sending break…');
  });

  it('says Not connected when nothing could be sent, and expects no answer', () => {
    const { requests, button, feedback } = setup(false);
    button('Send break').click();
    expect(requests).toEqual([]);
    expect(feedback()).toBe('Not connected.');
  });

  it("words the portal's answer to each request", () => {
    const { panel, feedback } = setup();
    panel.confirmed('line');
    expect(feedback()).toBe('Serial settings sent to the device.');
    panel.confirmed('break');
    expect(feedback()).toBe('Break sent to the device.');
    panel.refused('baud must be 50-4000000');
    expect(feedback()).toBe('Refused: baud must be 50-4000000');
  });

  it('lets only the controller press its buttons (Send file too)', () => {
    const { panel } = setup();
    const buttons = () => [...panel.element.querySelectorAll('button')].map((b) => b.disabled);
    panel.enable(false);
    expect(buttons()).toEqual([true, true, true]);
    panel.enable(true);
    expect(buttons()).toEqual([false, false, false]);
  });

  it('offers every choice after "unchanged", with readable labels', () => {
    const { select } = setup();
    expect([...select('Flow control').options].map((o) => o.textContent)).toEqual(['unchanged', 'None', 'RTS/CTS (hardware)', 'XON/XOFF (software)']);
    expect([...select('Data bits').options].map((o) => o.value)).toEqual(['', '5', '6', '7', '8']);
  });
});
