/** Display formatting that does not depend on the DOM (opening hours: common/rules/opening-hours.ts). */

/**
 * A region, grid, station or organisation as people read it: by name, with its code for
 * whoever needs it (small beside the name, or on hover). Without a name the code is all there
 * is, shown once.
 */
export interface NameAndCode {
  /** What to show: the name, or the code when there is no name. */
  label: string;
  /** The code to set small beside the label or in its tooltip; null when the label is the code. */
  code: string | null;
}

/**
 * @example nameAndCode('永华道街道', '131002003000') // { label: '永华道街道', code: '131002003000' }
 * @example nameAndCode(undefined, '131002003000') // { label: '131002003000', code: null }
 */
export function nameAndCode(name: string | null | undefined, code: string): NameAndCode {
  const trimmed = name?.trim() ?? '';
  if (!trimmed || trimmed === code) return { label: code, code: null };
  return { label: trimmed, code };
}

/**
 * The same as one line of plain text, where no markup can go (a select's options, a file name):
 * the code in brackets after the name.
 *
 * @example nameAndCodeText('永华道街道', '131002003000', 'zh') // '永华道街道（131002003000）'
 * @example nameAndCodeText('Yonghua', '131002003000', 'en') // 'Yonghua (131002003000)'
 */
export function nameAndCodeText(name: string | null | undefined, code: string, lang: 'zh' | 'en'): string {
  const { label, code: shown } = nameAndCode(name, code);
  if (shown === null) return label;
  return lang === 'zh' ? `${label}（${shown}）` : `${label} (${shown})`;
}

/**
 * Names for a list of codes (a problem's grids, an organisation's grids), from the names the
 * answer carries in the same order or a lookup; a code stands in only where no name is known.
 *
 * @example namesOf(['131002003001001'], ['育才社区第1网格']) // [{ label: '育才社区第1网格', code: '131002003001001' }]
 */
export function namesOf(
  codes: readonly string[],
  names: readonly (string | null | undefined)[] | ((code: string) => string | null | undefined) = [],
): NameAndCode[] {
  return codes.map((code, i) => nameAndCode(typeof names === 'function' ? names(code) : names[i], code));
}
