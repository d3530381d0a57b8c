// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { isAppLink, match, type Route } from './router';

const view = () => ({ title: '', element: document.createElement('div') });
const routes: Route[] = [
  { pattern: '/', view },
  { pattern: '/devices/:id', view },
  { pattern: '/admin/users/:id', view, admin: true },
];

describe('match', () => {
  it('matches fixed and parameterised paths', () => {
    expect(match(routes, '/')?.route.pattern).toBe('/');
    expect(match(routes, '/devices/42')?.params).toEqual({ id: '42' });
    expect(match(routes, '/devices/42/')?.params).toEqual({ id: '42' });
    expect(match(routes, '/admin/users/7')?.route.admin).toBe(true);
  });

  it('does not match other shapes', () => {
    expect(match(routes, '/devices')).toBeNull();
    expect(match(routes, '/devices/1/terminal')).toBeNull();
    expect(match(routes, '/nope')).toBeNull();
  });

  it('decodes parameters and rejects malformed escapes', () => {
    expect(match(routes, '/devices/a%20b')?.params.id).toBe('a b');
    expect(match(routes, '/devices/%E0%A4%A')).toBeNull();
  });
});

describe('isAppLink', () => {
  const origin = 'http://portal.test';
  const anchor = (href: string, attrs: Record<string, string> = {}) => {
    const a = document.createElement('a');
    a.href = href;
    for (const [k, v] of Object.entries(attrs)) a.setAttribute(k, v);
    return a;
  };
  const click = (init: MouseEventInit = {}) => new MouseEvent('click', { button: 0, ...init });

  it('handles same-origin page links', () => {
    expect(isAppLink(anchor('http://portal.test/devices/1'), click(), origin)).toBe(true);
  });

  it('leaves API links, downloads, other origins, new tabs and modified clicks to the browser', () => {
    expect(isAppLink(anchor('http://portal.test/api/audit/export?format=csv'), click(), origin)).toBe(false);
    expect(isAppLink(anchor('http://portal.test/x', { download: '' }), click(), origin)).toBe(false);
    expect(isAppLink(anchor('http://elsewhere.test/'), click(), origin)).toBe(false);
    expect(isAppLink(anchor('http://portal.test/x', { target: '_blank' }), click(), origin)).toBe(false);
    expect(isAppLink(anchor('http://portal.test/x'), click({ ctrlKey: true }), origin)).toBe(false);
  });
});

describe('the app routes', () => {
  it('deep-links a terminal by device and target, and the terminals page', async () => {
    const { routes: appRoutes } = await import('./routes');
    const { terminalPath } = await import('./components/deviceBits');
    const found = match(appRoutes, terminalPath(7, 'uart 0/a'));
    expect(found?.route.pattern).toBe('/devices/:id/terminal/:target');
    expect(found?.params).toEqual({ id: '7', target: 'uart 0/a' });
    expect(match(appRoutes, '/terminals')?.route.pattern).toBe('/terminals');
    expect(match(appRoutes, '/devices/7')?.route.pattern).toBe('/devices/:id');
  });
});
