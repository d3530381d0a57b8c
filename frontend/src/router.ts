// History-API routing: paths like /devices/42 are real URLs (the portal serves index.html for them),
// links inside the app navigate without a reload.

export interface ViewContext {
  params: Record<string, string>;
  query: URLSearchParams;
  navigate: (path: string, options?: { replace?: boolean }) => void;
}

/** What a route renders: an element, a document title, and what to stop when it is left. */
export interface View {
  element: HTMLElement;
  title: string;
  dispose?(): void;
}

export type ViewFactory = (context: ViewContext) => View;

export interface Route {
  /** "/devices/:id" style: ":name" matches one path segment. */
  pattern: string;
  view: ViewFactory;
  /** Reachable without signing in. */
  public?: boolean;
  /** Only for admins (the API enforces it; this keeps the UI honest). */
  admin?: boolean;
}

export interface Match {
  route: Route;
  params: Record<string, string>;
}

/** The first route whose pattern matches {@code path} (no query), with its decoded parameters. */
export function match(routes: Route[], path: string): Match | null {
  const segments = split(path);
  for (const route of routes) {
    const pattern = split(route.pattern);
    if (pattern.length !== segments.length) {
      continue;
    }
    const params: Record<string, string> = {};
    let ok = true;
    for (let i = 0; i < pattern.length && ok; i++) {
      if (pattern[i].startsWith(':')) {
        try {
          params[pattern[i].slice(1)] = decodeURIComponent(segments[i]);
        } catch {
          ok = false;
        }
      } else {
        ok = pattern[i] === segments[i];
      }
    }
    if (ok) {
      return { route, params };
    }
  }
  return null;
}

function split(path: string): string[] {
  return path.split('/').filter((s) => s.length > 0);
}

/** A same-origin link this app should handle itself (not the API, not a download, not a new tab). */
export function isAppLink(anchor: HTMLAnchorElement, event: MouseEvent, origin: string): boolean {
  if (event.defaultPrevented || event.button !== 0) {
    return false;
  }
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
    return false;
  }
  if (anchor.hasAttribute('download') || (anchor.target && anchor.target !== '_self')) {
    return false;
  }
  let url: URL;
  try {
    url = new URL(anchor.href, origin);
  } catch {
    return false;
  }
  return url.origin === origin && !url.pathname.startsWith('/api/') && !url.pathname.startsWith('/q/');
}
