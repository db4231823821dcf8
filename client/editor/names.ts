/** Names where people read, codes small beside them (and on hover): 育才社区第1网格 131002003001001. */
import { h } from '../dom.ts';

/** A grid, community or street as its name with the code in small print. */
export function nameAndCode(name: string | null | undefined, code: string) {
  if (!name || name === code) return h('span', { class: 'place-name', title: code }, code);
  return h('span', { class: 'place-name', title: code }, name, ' ', h('small', { class: 'code' }, code));
}

/** Several, separated by 、. */
export function namesAndCodes(items: readonly { name?: string | null; code: string }[]) {
  const out = h('span', { class: 'place-names' });
  items.forEach((item, i) => {
    if (i > 0) out.append('、');
    out.append(nameAndCode(item.name, item.code));
  });
  return out;
}
