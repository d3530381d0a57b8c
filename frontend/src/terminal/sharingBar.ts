// The sharing bar of a terminal: this browser's role, who controls, who else is there, whether the
// session is recorded, and the actions the role allows (Take over, Hand over, Release control, and
// End session for admins). Usernames come from the portal and go in as text only.

import { sessionPagePath } from '../api/sessions';
import { h, replace, uid } from '../dom';
import { type ParticipantId, type SessionInfo, sharingModel } from './sharing';

export interface SharingActions {
  takeOver(): void;
  handOver(to: ParticipantId): void;
  release(): void;
  /** Ends the session for everyone; null when this user may not (only admins may). */
  end: ((info: SessionInfo) => void) | null;
}

export class SharingBar {
  readonly element: HTMLElement;
  private readonly roleBadge = h('span', { class: 'role-badge' });
  private readonly controllerText = h('span', { class: 'controller' });
  private readonly recording = h('span', { class: 'rec', attrs: { hidden: true } });
  private readonly participants = h('ul', { class: 'participants', attrs: { role: 'list', 'aria-label': 'Participants' } });
  private readonly takeOverButton: HTMLButtonElement;
  private readonly handOverGroup: HTMLElement;
  private readonly handOverSelect: HTMLSelectElement;
  private readonly releaseButton: HTMLButtonElement;
  private readonly endButton: HTMLButtonElement | null;
  private readonly detailsLink = h('a', { class: 'session-link' }, 'Session details');
  private readonly feedback = h('p', { class: 'term-notice', attrs: { role: 'status' } });
  private info: SessionInfo | null = null;
  /** Options by value: the select holds strings, the portal's ids may be numbers. */
  private candidates = new Map<string, ParticipantId>();

  constructor(private readonly actions: SharingActions) {
    const button = (label: string, click: () => void, kind = 'btn-plain') =>
      h('button', { class: `btn ${kind}`, attrs: { type: 'button' }, on: { click } }, label);
    this.takeOverButton = button('Take over', () => this.actions.takeOver(), 'btn-primary');
    this.releaseButton = button('Release control', () => this.actions.release());
    const selectId = uid('hand-over');
    this.handOverSelect = h('select', { attrs: { id: selectId, name: 'hand-over' } });
    this.handOverGroup = h(
      'span',
      { class: 'hand-over' },
      h('label', { attrs: { for: selectId } }, 'Hand over to'),
      this.handOverSelect,
      button('Hand over', () => {
        const to = this.candidates.get(this.handOverSelect.value);
        if (to !== undefined) this.actions.handOver(to);
      }),
    );
    const end = this.actions.end;
    this.endButton = end
      ? button(
          'End session',
          () => {
            if (this.info) end(this.info);
          },
          'btn-danger',
        )
      : null;
    this.element = h(
      'div',
      { class: 'term-sharing', attrs: { role: 'group', 'aria-label': 'Session sharing', hidden: true } },
      h('p', { class: 'sharing-who' }, this.roleBadge, ' ', this.controllerText, ' ', this.recording),
      h('div', { class: 'sharing-people' }, h('span', { class: 'muted' }, 'In this session:'), this.participants),
      h('div', { class: 'actions' }, this.takeOverButton, this.handOverGroup, this.releaseButton, this.endButton, this.detailsLink),
      this.feedback,
    );
  }

  /** Shows {@code info} while {@code live}; hides the bar otherwise. */
  update(info: SessionInfo | null, live: boolean): void {
    const roleChanged = this.info?.role !== info?.role;
    this.info = info;
    this.element.hidden = !info || !live;
    if (!info) {
      this.feedback.textContent = '';
      return;
    }
    if (roleChanged) {
      this.feedback.textContent = '';
    }
    const model = sharingModel(info);
    this.roleBadge.textContent = model.roleLabel;
    this.roleBadge.className = `role-badge role-${info.role}`;
    this.controllerText.textContent = model.controllerText;
    this.recording.hidden = model.recordingLabel === null;
    replace(this.recording, h('span', { class: 'rec-dot', attrs: { 'aria-hidden': 'true' } }), model.recordingLabel ?? '');
    this.recording.title = info.recording === 'all' ? 'What is typed is recorded too, including passwords typed at prompts' : '';
    replace(
      this.participants,
      model.participants.map((p) => h('li', { class: p.you ? 'you' : undefined }, p.text)),
    );
    this.takeOverButton.hidden = !model.canTakeOver;
    this.releaseButton.hidden = !model.canRelease;
    this.candidates = new Map(model.handOverTo.map((p) => [String(p.id), p.id]));
    const chosen = this.handOverSelect.value;
    replace(
      this.handOverSelect,
      model.handOverTo.map((p) => h('option', { props: { value: String(p.id), selected: String(p.id) === chosen } }, p.username)),
    );
    this.handOverGroup.hidden = model.handOverTo.length === 0;
    this.detailsLink.setAttribute('href', sessionPagePath(info.id));
  }

  /** The sharing line as shown (role, controller, recording); empty while the bar is hidden. */
  summary(): string {
    if (this.element.hidden) return '';
    const parts = [this.roleBadge.textContent, this.controllerText.textContent, this.recording.hidden ? '' : this.recording.textContent];
    return parts.filter(Boolean).join(' · ');
  }

  /** A line about the last sharing action (sent, refused). */
  say(text: string): void {
    this.feedback.textContent = text;
  }
}
