// Small DOM helpers: elements are built with properties and text, never from HTML strings, so
// no value (a file name, an op name) can inject markup, and no inline style attribute is needed.

type Attributes = Record<string, string | boolean | undefined>;

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Attributes, ...children: (Node | string)[]): HTMLElementTagNameMap[K];
export function el(tag: string, attrs?: Attributes, ...children: (Node | string)[]): HTMLElement;
export function el(tag: string, attrs: Attributes = {}, ...children: (Node | string)[]): HTMLElement {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    node.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children) node.append(child);
  return node;
}

export function clear(node: Element): void {
  while (node.firstChild) node.firstChild.remove();
}

/** Visible text of a toolkit or native element, set without markup. */
export function setText(node: Element, text: string): void {
  if (node.textContent !== text) node.textContent = text;
}
