// The device page's "Web page" cell of a TCP target (docs/device-web.md): an Open button for
// operators when the target is served as a web page, and for admins the scheme (not a web page,
// http, https) and an https target's pinned certificate, with "Accept new certificate" when the
// device presented another one.

import * as devicesApi from '../api/devices';
import type { Device, DeviceTarget, WebScheme } from '../api/types';
import { select } from '../components/form';
import { h } from '../dom';
import type { LogCellOptions } from './targetLogging';

export const WEB_SCHEMES: { value: WebScheme | 'off'; label: string }[] = [
  { value: 'off', label: 'Not a web page' },
  { value: 'http', label: 'Web page (http)' },
  { value: 'https', label: 'Web page (https)' },
];

/** A fingerprint shown in groups of four for reading aloud; "" for none. */
export function fingerprintText(sha256: string | null | undefined): string {
  return sha256 ? (sha256.match(/.{1,4}/g) ?? []).join(' ') : '';
}

/** Whether a target can be a web page: a TCP target the agent offers now. */
export function webCapable(t: Pick<DeviceTarget, 'kind'>): boolean {
  return t.kind === 'tcp';
}

/**
 * Opens the launch URL in a new tab. The tab is opened at once (a popup blocker allows it only
 * during the click) and loses its opener before it leaves for the device's origin, so the device's
 * page can never navigate the portal's tab.
 */
async function open(device: Device, t: DeviceTarget, options: LogCellOptions): Promise<void> {
  const tab = window.open('about:blank', '_blank');
  try {
    const { url } = await devicesApi.launchWeb(device.id, t.name);
    if (tab) {
      tab.opener = null;
      tab.location.replace(url);
    } else {
      options.error.show(`Your browser blocked the new tab: allow pop-ups for this portal to open ${t.name}.`);
    }
  } catch (e) {
    tab?.close();
    options.error.error(e);
  }
}

export interface WebCellOptions extends LogCellOptions {
  /** The user may operate the device (Open is offered). */
  operable: boolean;
}

export function webCell(device: Device, t: DeviceTarget, options: WebCellOptions): HTMLElement | null {
  if (!webCapable(t) && !t.web) return null;
  const parts: (HTMLElement | string)[] = [];
  if (t.web && options.operable) {
    parts.push(
      h(
        'button',
        { class: 'btn', attrs: { type: 'button', 'data-web-target': t.name }, on: { click: () => void open(device, t, options) } },
        `Open ${t.name}`,
      ),
    );
  }
  if (t.webFingerprint) {
    parts.push(h('div', { class: 'muted web-fingerprint' }, `Certificate SHA-256: ${fingerprintText(t.webFingerprint)}`));
  }
  if (t.webOfferedFingerprint) {
    parts.push(
      h(
        'div',
        { class: 'web-offered' },
        `The device now presents another certificate (refused): ${fingerprintText(t.webOfferedFingerprint)}`,
      ),
    );
  }
  if (options.admin) {
    const scheme = select(`Web page of ${t.name}`, 'web', WEB_SCHEMES, t.web ?? 'off');
    scheme.control.addEventListener('change', () =>
      void save(device, t, { scheme: scheme.control.value as WebScheme | 'off' }, options, `Saved: ${t.name} web page setting.`),
    );
    parts.push(scheme.row);
    if (t.webOfferedFingerprint) {
      parts.push(
        h(
          'button',
          {
            class: 'btn',
            attrs: { type: 'button' },
            on: { click: () => void save(device, t, { acceptCertificate: true }, options, `The new certificate of ${t.name} is trusted.`) },
          },
          'Accept new certificate',
        ),
      );
    }
  }
  return parts.length === 0 ? null : h('div', { class: 'web-cell' }, parts);
}

async function save(
  device: Device,
  t: DeviceTarget,
  change: { scheme?: WebScheme | 'off'; acceptCertificate?: boolean },
  options: LogCellOptions,
  done: string,
): Promise<void> {
  options.status.clear();
  options.error.clear();
  try {
    const changed = await devicesApi.update(device.id, { webTargets: { [t.name]: change } });
    options.updated(changed);
    options.status.show(done);
  } catch (e) {
    options.error.error(e);
  }
}
