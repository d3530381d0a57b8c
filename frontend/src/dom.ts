// The one way this UI builds DOM: elements from tag + properties + children, where every string
// child becomes a text node. Nothing here (or anywhere in src/) parses HTML, so a device name,
// description or username can never turn into markup. A unit test keeps innerHTML out of src/.

export type Child = Node | string | number | null | undefined | false;

type Handler = (event: Event) => void;

export interface Props {
  class?: string;
  /** Any attribute; null/undefined/false leaves it out, true sets it empty. */
  attrs?: Record<string, string | number | boolean | null | undefined>;
  on?: Record<string, Handler>;
  /** Properties set directly on the element (value, checked, disabled, ...). */
  props?: Record<string, unknown>;
}

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props?: Props | null,
  ...children: (Child | Child[])[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (props) {
    if (props.class) {
      el.className = props.class;
    }
    for (const [name, value] of Object.entries(props.attrs ?? {})) {
      if (value === null || value === undefined || value === false) {
        continue;
      }
      el.setAttribute(name, value === true ? '' : String(value));
    }
    for (const [name, value] of Object.entries(props.props ?? {})) {
      (el as unknown as Record<string, unknown>)[name] = value;
    }
    for (const [name, handler] of Object.entries(props.on ?? {})) {
      el.addEventListener(name, handler);
    }
  }
  append(el, ...children);
  return el;
}

/** Appends children; strings and numbers as text nodes, never as markup. */
export function append(parent: Node, ...children: (Child | Child[])[]): void {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) {
      continue;
    }
    parent.appendChild(
      typeof child === 'string' || typeof child === 'number'
        ? document.createTextNode(String(child))
        : child,
    );
  }
}

/** Replaces all children of {@code parent}. */
export function replace(parent: Node, ...children: (Child | Child[])[]): void {
  while (parent.firstChild) {
    parent.removeChild(parent.firstChild);
  }
  append(parent, ...children);
}

let nextId = 0;

/** A document-unique id, for label/for and aria-describedby pairs. */
export function uid(prefix: string): string {
  nextId += 1;
  return `${prefix}-${nextId}`;
}
