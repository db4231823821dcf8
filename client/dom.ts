/** A tiny element builder: text always goes in as text nodes, never as HTML. */
import { nameAndCode, namesOf } from './format.ts';

export type Child = Node | string | number | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number | boolean | undefined> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    if (name === 'class') element.className = String(value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  append(element, children);
  return element;
}

export function append(parent: Element, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(child instanceof Node ? child : String(child));
  }
}

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`#${id} missing from index.html`);
  return element as T;
}

/**
 * Fill a translated template such as "显示 {count} 个网格" with nodes, so a number can sit
 * in its own element (e.g. #grid-count) whatever the word order of the language.
 */
export function fillTemplate(template: string, slots: Record<string, Node>): Child[] {
  return template.split(/(\{\w+\})/).map((part) => {
    const match = /^\{(\w+)\}$/.exec(part);
    return match?.[1] && slots[match[1]] ? slots[match[1]] : part;
  });
}

/** Show a hidden card (校验, 覆盖分析); `onOpenChange(true)` only when it was hidden. */
export function showCard(card: HTMLElement, onOpenChange: (open: boolean) => void): void {
  if (!card.hidden) return;
  card.hidden = false;
  onOpenChange(true);
}

/**
 * A name as people read it, with its code (format.ts nameAndCode): `small` sets the code small
 * beside the name (headings, the details card), `hover` keeps it to the tooltip (lists, tables).
 * Either way the code is in the title, so a hover always shows it.
 */
export function named(
  name: string | null | undefined,
  code: string,
  show: 'small' | 'hover' = 'hover',
  attrs: Record<string, string | number | boolean | undefined> = {},
): HTMLSpanElement {
  const { label, code: shown } = nameAndCode(name, code);
  return h(
    'span',
    { class: 'named', title: code, 'data-code': code, ...attrs },
    label,
    show === 'small' && shown !== null ? h('small', { class: 'code' }, shown) : null,
  );
}

/** Several names in a row ("第3网格 ↔ 第5网格"), each with its code on hover (format.ts namesOf). */
export function namedList(codes: readonly string[], names: Parameters<typeof namesOf>[1], separator: string): Child[] {
  return namesOf(codes, names).flatMap((item, i) => [
    i > 0 ? separator : null,
    named(item.code === null ? null : item.label, codes[i]!),
  ]);
}
