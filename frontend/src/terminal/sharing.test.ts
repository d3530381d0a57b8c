// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest';
import { OBSERVING_NOTICE, parseSession, roleChangeNotice, type SessionInfo, sharingModel } from './sharing';
import { SharingBar } from './sharingBar';

const info = (over: Partial<SessionInfo> = {}): SessionInfo => ({
  id: 41,
  you: 2,
  role: 'observer',
  mayControl: true,
  controller: 'alice',
  participants: [
    { id: 1, username: 'alice', role: 'controller' },
    { id: 2, username: 'bob', role: 'observer' },
    { id: 3, username: 'carol', role: 'observer' },
  ],
  recording: 'output',
  ...over,
});

describe('sharingModel', () => {
  it('shows an operator observing who controls, and offers Take over', () => {
    const model = sharingModel(info());
    expect(model.roleLabel).toBe('Observing (read only)');
    expect(model.controllerText).toBe('Controlled by alice');
    expect(model.recordingLabel).toBe('Recording output');
    expect(model).toMatchObject({ canTakeOver: true, canRelease: false, handOverTo: [] });
    expect(model.participants.map((p) => p.text)).toEqual(['alice (controller)', 'bob (observer, you)', 'carol (observer)']);
  });

  it('offers a viewer nothing to do', () => {
    expect(sharingModel(info({ mayControl: false }))).toMatchObject({ canTakeOver: false, canRelease: false, handOverTo: [] });
  });

  it('offers the controller Release and Hand over to the others', () => {
    const model = sharingModel(info({ you: 1, role: 'controller' }));
    expect(model.roleLabel).toBe('Controlling');
    expect(model).toMatchObject({ canTakeOver: false, canRelease: true });
    expect(model.handOverTo.map((p) => p.username)).toEqual(['bob', 'carol']);
  });

  it('leaves out participants the portal says may not control', () => {
    const model = sharingModel(info({ you: 1, role: 'controller', participants: [...info().participants.slice(0, 2), { id: 3, username: 'carol', role: 'observer', mayControl: false }] }));
    expect(model.handOverTo.map((p) => p.username)).toEqual(['bob']);
  });

  it('says when nobody controls, and what is recorded', () => {
    expect(sharingModel(info({ controller: null })).controllerText).toBe('Nobody has control');
    expect(sharingModel(info({ recording: 'all' })).recordingLabel).toBe('Recording input and output');
    expect(sharingModel(info({ recording: 'off' })).recordingLabel).toBeNull();
  });

  it('lists data flow watchers as watchers and never offers them control', () => {
    const parsed = parseSession({
      type: 'session',
      id: 41,
      you: 1,
      role: 'controller',
      mayControl: true,
      controller: 'alice',
      participants: [
        { id: 1, username: 'alice', role: 'controller', mayControl: true },
        { id: 2, username: 'bob', role: 'observer', mayControl: true },
        { id: 'w3', username: 'dave', role: 'watcher', mayControl: false, via: 'flow' },
      ],
    })!;
    expect(parsed.participants.map((p) => p.role)).toEqual(['controller', 'observer', 'watcher']);
    const model = sharingModel(parsed);
    expect(model.participants.map((p) => p.text)).toEqual(['alice (controller, you)', 'bob (observer)', 'dave (watcher: data flow)']);
    expect(model.handOverTo.map((p) => p.username)).toEqual(['bob']);
    // a portal that leaves out mayControl still never gets a hand-over to a watcher
    expect(sharingModel({ ...parsed, participants: [{ id: 'w3', username: 'dave', role: 'watcher' }] }).handOverTo).toEqual([]);
  });

  it('parses string participant ids and numeric-string session ids', () => {
    expect(parseSession({ type: 'session', id: '41', you: 'p-2', role: 'controller', participants: [{ id: 'p-2', username: 'bob', role: 'controller' }] })).toEqual({
      id: 41,
      you: 'p-2',
      role: 'controller',
      mayControl: false,
      controller: null,
      participants: [{ id: 'p-2', username: 'bob', role: 'controller' }],
      recording: 'off',
    });
  });
});

describe('roleChangeNotice', () => {
  const info = (role: SessionInfo['role'], controller: string | null): SessionInfo => ({ id: 41, you: 2, role, mayControl: true, controller, participants: [], recording: 'off' });

  it('names who took control from this browser', () => {
    expect(roleChangeNotice('controller', info('observer', 'alice'))).toBe('alice took control: you are observing.');
    expect(roleChangeNotice('controller', info('observer', null))).toBe('You no longer control the session.');
  });

  it('says when control was handed to this browser', () => {
    expect(roleChangeNotice('observer', info('controller', 'bob'))).toBe('You were handed control: you can type.');
  });

  it('says nothing on joining, on leaving, or when the role stayed', () => {
    expect(roleChangeNotice(null, info('observer', 'alice'))).toBeNull();
    expect(roleChangeNotice('controller', null)).toBeNull();
    expect(roleChangeNotice('observer', info('observer', 'carol'))).toBeNull();
  });
});

describe('SharingBar', () => {
  const setup = (end: ((i: SessionInfo) => void) | null = null) => {
    const actions = { takeOver: vi.fn(), handOver: vi.fn(), release: vi.fn(), end };
    const bar = new SharingBar(actions);
    document.body.replaceChildren(bar.element);
    const button = (name: string) => [...bar.element.querySelectorAll('button')].find((b) => b.textContent === name && !b.hidden && !b.closest('[hidden]'));
    return { bar, actions, button };
  };

  it('is hidden until live with a session', () => {
    const { bar } = setup();
    bar.update(null, true);
    expect(bar.element.hidden).toBe(true);
    bar.update(info(), false);
    expect(bar.element.hidden).toBe(true);
    bar.update(info(), true);
    expect(bar.element.hidden).toBe(false);
    expect(bar.summary()).toBe('Observing (read only) · Controlled by alice · Recording output');
  });

  it('lists the participants as text in a list named Participants', () => {
    const { bar } = setup();
    bar.update(info({ participants: [{ id: 1, username: '<img src=x onerror=alert(1)>', role: 'controller' }] }), true);
    const list = bar.element.querySelector('[aria-label="Participants"]')!;
    expect(list.querySelector('img')).toBeNull();
    expect(list.textContent).toBe('<img src=x onerror=alert(1)> (controller)');
  });

  it('gives an observer Take over only', () => {
    const { bar, actions, button } = setup();
    bar.update(info(), true);
    expect(button('Release control')).toBeUndefined();
    expect(button('Hand over')).toBeUndefined();
    expect(button('End session')).toBeUndefined();
    button('Take over')!.click();
    expect(actions.takeOver).toHaveBeenCalledOnce();
  });

  it('gives the controller Hand over (to the picked participant, with its own id type) and Release control', () => {
    const { bar, actions, button } = setup();
    bar.update(info({ you: 1, role: 'controller' }), true);
    expect(button('Take over')).toBeUndefined();
    const label = [...bar.element.querySelectorAll('label')].find((l) => l.textContent === 'Hand over to')!;
    const select = bar.element.querySelector<HTMLSelectElement>(`#${label.getAttribute('for')}`)!;
    expect([...select.options].map((o) => o.textContent)).toEqual(['bob', 'carol']);
    select.value = '3';
    button('Hand over')!.click();
    expect(actions.handOver).toHaveBeenCalledWith(3);
    button('Release control')!.click();
    expect(actions.release).toHaveBeenCalledOnce();
  });

  it('offers End session when the pane allows it (admins), with the session', () => {
    const end = vi.fn();
    const { bar, button } = setup(end);
    bar.update(info(), true);
    button('End session')!.click();
    expect(end).toHaveBeenCalledWith(expect.objectContaining({ id: 41 }));
    expect(bar.element.querySelector('a')!.getAttribute('href')).toBe('/sessions/41');
  });

  it('has the observing notice the pane shows', () => {
    expect(OBSERVING_NOTICE).toBe('You are observing: take over to type');
  });
});
