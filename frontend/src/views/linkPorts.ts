// The device page's "Link ports": TCP ports on the portal tied to one target, for host software
// that only speaks TCP. Everyone who sees the device sees them; admins create and remove them.

import { wantsFreshFactor } from '../api/freshFactor';
import * as linksApi from '../api/links';
import type { Device, Link } from '../api/types';
import { freshCodeField, freshCodePrompt } from '../components/freshCode';
import { confirmDialog } from '../components/confirm';
import { busy, checkbox, input, markInvalid, problemField, select, setOptions, textarea } from '../components/form';
import { allowedSources } from '../components/ingressBits';
import { errorNotice, statusNotice } from '../components/notice';
import { h, replace, uid } from '../dom';
import { hostSoftwareHint, linkAddress, newLinkBody } from './linkSetup';

/** The one target of a raw device's tunnel (docs/api.md "Raw devices"). */
const RAW_TARGET = 'serial';

export interface LinkPorts {
  element: HTMLElement;
  /** The device's targets changed (it reconnected): offer them in "Target". */
  setTargets(device: Device): void;
}

export function targetNames(device: Device): string[] {
  const names = device.targets.map((t) => t.name);
  return names.length === 0 && device.ingress ? [RAW_TARGET] : names;
}

export function linkPorts(device: Device, options: { admin: boolean; hostname: string }): LinkPorts {
  const error = errorNotice();
  const content = h('div', null, h('p', { class: 'muted' }, 'Loading link ports…'));
  let generation = 0;

  const reload = () => {
    const mine = ++generation;
    linksApi
      .list(device.id)
      .then((links) => {
        if (mine !== generation) return;
        error.clear();
        replace(content, links.length === 0 ? h('p', { class: 'muted' }, 'No link ports.') : table(links));
      })
      .catch((e) => {
        if (mine !== generation) return;
        error.error(e);
        replace(content);
      });
  };

  const removeButton = (link: Link) =>
    h(
      'button',
      {
        class: 'btn btn-small btn-danger',
        attrs: { type: 'button', 'aria-label': `Remove link port ${link.port}` },
        on: {
          click: async () => {
            const ok = await confirmDialog({
              title: `Remove link port ${link.port}?`,
              message: `Port ${link.port} stops listening and clients connected to it are disconnected.`,
              confirmLabel: 'Remove link port',
            });
            if (!ok) return;
            error.clear();
            try {
              await linksApi.remove(device.id, link.id);
              reload();
            } catch (e) {
              error.error(e);
            }
          },
        },
      },
      'Remove',
    );

  const table = (links: Link[]) =>
    h(
      'table',
      { class: 'list links' },
      h('caption', { class: 'visually-hidden' }, 'Link ports'),
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          ['Port', 'Target', 'Host software', 'Allowed sources', 'Take over', 'Listening'].map((c) => h('th', { attrs: { scope: 'col' } }, c)),
          options.admin ? h('th', { attrs: { scope: 'col' } }, h('span', { class: 'visually-hidden' }, 'Actions')) : null,
        ),
      ),
      h(
        'tbody',
        null,
        links.map((link) =>
          h(
            'tr',
            { attrs: { 'data-link-id': link.id } },
            h('th', { attrs: { scope: 'row' } }, String(link.port)),
            h(
              'td',
              null,
              link.target,
              link.outsideSecondFactorPolicy
                ? [' ', h('span', { class: 'badge badge-warn', attrs: { title: "The device's group requires a second factor; this port's connections carry no user and bypass it." } }, 'outside the second-factor policy')]
                : null,
            ),
            h('td', null, 'Point host software at ', h('code', null, linkAddress(options.hostname, link.port))),
            h('td', null, allowedSources(link.allowCidrs)),
            h('td', null, link.takeOver ? 'yes' : 'no'),
            h('td', null, h('span', { class: `badge ${link.listening ? 'badge-online' : 'badge-warn'}` }, link.listening ? 'listening' : 'not listening')),
            options.admin ? h('td', null, removeButton(link)) : null,
          ),
        ),
      ),
    );

  const form = options.admin ? newLinkForm(device, options.hostname, reload) : null;
  reload();
  return {
    element: h(
      'section',
      { attrs: { 'aria-labelledby': 'link-ports-title' } },
      h('h2', { attrs: { id: 'link-ports-title' } }, 'Link ports'),
      h('p', { class: 'hint' }, 'A link port is a TCP port on the portal for host software that only speaks TCP: whatever connects is piped to the target as a participant of its session.'),
      error.element,
      content,
      form?.element,
    ),
    setTargets: (changed) => form?.setTargets(changed),
  };
}

function newLinkForm(device: Device, hostname: string, created: () => void): LinkPorts {
  const names = targetNames(device);
  // a device that never reported its targets still gets a link: type the target's name
  const target =
    names.length > 0
      ? select('Target', 'target', names.map((n) => ({ value: n, label: n })), names[0])
      : input({ label: 'Target', name: 'target', required: true, maxlength: 32, hint: 'The agent has not reported its targets yet: type the target\'s name.' });
  const addresses = textarea({
    label: 'Allowed source addresses',
    name: 'allowCidrs',
    rows: 2,
    hint: 'Mandatory: the hosts whose software may connect. One address or CIDR per line or separated by commas (e.g. 192.0.2.10 or 10.1.0.0/16). Empty admits nobody.',
  });
  const port = input({ label: 'Port', name: 'port', hint: 'Optional: a port of the link pool (TETHER_LINK_PORTS). Empty takes the first free one.' });
  port.control.inputMode = 'numeric';
  const takeOver = checkbox('Take over control from a browser user', 'takeOver');
  const code = freshCodeField();
  const error = errorNotice();
  const done = statusNotice();
  const invalid = { target: target.control, allowCidrs: addresses.control, port: port.control };
  const titleId = uid('new-link-title');

  const form: HTMLFormElement = h(
    'form',
    {
      class: 'card',
      attrs: { 'aria-labelledby': titleId },
      on: {
        submit: async (event) => {
          event.preventDefault();
          error.clear();
          done.clear();
          const checked = newLinkBody({ target: target.control.value, addresses: addresses.control.value, port: port.control.value, takeOver: takeOver.control.checked });
          if (!checked.ok) {
            error.show(checked.error);
            markInvalid(invalid, checked.field);
            return;
          }
          try {
            const link = await busy(form, () => linksApi.create(device.id, checked.body, code.value()));
            code.reset();
            markInvalid(invalid, null);
            addresses.control.value = '';
            port.control.value = '';
            takeOver.control.checked = false;
            done.show(`Link port ${link.port} created. ${hostSoftwareHint(hostname, link.port)}.`);
            created();
          } catch (e) {
            if (wantsFreshFactor(e)) {
              error.show(freshCodePrompt(e, 'a link port'));
              code.ask();
              return;
            }
            error.error(e);
            markInvalid(invalid, problemField(e));
          }
        },
      },
    },
    h('h3', { attrs: { id: titleId } }, 'New link port'),
    error.element,
    done.element,
    target.row,
    addresses.row,
    port.row,
    takeOver.row,
    code.row,
    h('p', { class: 'hint' }, 'Without take over, a client is refused while someone controls the target; with it, the client takes control and that user becomes an observer.'),
    h('div', { class: 'actions' }, h('button', { class: 'btn btn-primary', attrs: { type: 'submit' } }, 'Create link port')),
  );
  return {
    element: form,
    setTargets: (changed) => {
      const fresh = targetNames(changed);
      if (target.control instanceof HTMLSelectElement && fresh.length > 0) {
        setOptions(target.control, fresh.map((n) => ({ value: n, label: n })));
      }
    },
  };
}
