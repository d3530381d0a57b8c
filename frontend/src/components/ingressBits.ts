// How a raw device's ingress reads: its port, who is admitted, and what to enter on the device
// server per make. The host, addresses and settings come from the portal and go in as text.

import type { Ingress } from '../api/types';
import { h } from '../dom';
import { MAKES } from '../views/admin/rawSetup';

/** Who may connect: the addresses, or a plain statement that nobody can. */
export function allowedSources(addresses: string[]): HTMLElement {
  if (addresses.length === 0) {
    return h('span', { class: 'warning' }, 'nobody (the list is empty)');
  }
  return h('ul', { class: 'chips', attrs: { 'aria-label': 'Allowed sources' } }, addresses.map((a) => h('li', { class: 'chip mono' }, a)));
}

/** Says plainly what "unauthenticated" means for this device. */
export function unauthenticatedWarning(ingress: Ingress): HTMLElement {
  const who =
    ingress.allowCidrs.length === 0
      ? 'Nobody is admitted yet: add the device server\'s address to the allowed sources.'
      : `Only the allowed sources get in${ingress.connectString ? ', and only after sending the connect string' : ''}; any other connection is refused and audited.`;
  return h(
    'p',
    { class: 'warning' },
    `Unauthenticated: this device server connects in plain TCP, which carries no credentials. Anyone who can connect from an allowed source reaches its serial console. ${who}${
      ingress.outsideSecondFactorPolicy ? " Its group requires a second factor: this ingress is outside the second-factor policy (changing it takes an admin's fresh code)." : ''
    }`,
  );
}

export function ingressFacts(ingress: Ingress): HTMLElement {
  const item = (term: string, value: Node | string) => [h('dt', null, term), h('dd', null, value)];
  return h(
    'dl',
    { class: 'facts', attrs: { 'aria-label': 'Ingress details' } },
    item('Ingress port', String(ingress.port)),
    item('Portal host', h('span', { class: 'mono' }, ingress.host)),
    item('Allowed sources', allowedSources(ingress.allowCidrs)),
    item('Connect string', ingress.connectString ? 'required (sent first on every connection)' : 'not required'),
  );
}

/** The exact values to enter on the unit, one entry per make. */
export function ingressSettings(ingress: Ingress): HTMLElement {
  return h(
    'dl',
    { class: 'settings', attrs: { 'aria-label': 'Settings per make' } },
    MAKES.flatMap((make) => [h('dt', null, make.label), h('dd', null, ingress.settings?.[make.key] ?? '—')]),
  );
}

/** Shown once after a raw device is created, instead of a token: where the unit must dial, and how. */
export function ingressPanel(ingress: Ingress, heading: string): HTMLElement {
  return h(
    'section',
    { class: 'card once', attrs: { 'aria-label': heading } },
    h('h2', null, heading),
    unauthenticatedWarning(ingress),
    ingressFacts(ingress),
    h('h3', null, 'Settings on the device server'),
    h('p', null, `Set the unit to TCP-client mode, dialling ${ingress.host} port ${ingress.port}:`),
    ingressSettings(ingress),
  );
}
