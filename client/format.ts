/** Display formatting that does not depend on the DOM. */

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

const ZH_DAYS: Record<string, string> = {
  Mo: '周一',
  Tu: '周二',
  We: '周三',
  Th: '周四',
  Fr: '周五',
  Sa: '周六',
  Su: '周日',
};
const EN_DAYS: Record<string, string> = { Mo: 'Mon', Tu: 'Tue', We: 'Wed', Th: 'Thu', Fr: 'Fri', Sa: 'Sat', Su: 'Sun' };

/**
 * Opening hours in OpenStreetMap syntax ("Mo-Fr 08:30-17:30; Sa 09:00-12:00", "24/7") made
 * readable: `周一至周五 08:30-17:30；周六 09:00-12:00`. Unknown text is returned unchanged.
 *
 * @example formatOpeningHours('Mo-Su 08:00-20:00', 'zh') // '周一至周日 08:00-20:00'
 */
export function formatOpeningHours(text: string, lang: 'zh' | 'en'): string {
  if (text.trim() === '24/7') return lang === 'zh' ? '全天 24 小时' : 'Open 24/7';
  const days = lang === 'zh' ? ZH_DAYS : EN_DAYS;
  const rules = text.split(/\s*;\s*/).map((rule) =>
    rule
      .replace(/\b(Mo|Tu|We|Th|Fr|Sa|Su)-(Mo|Tu|We|Th|Fr|Sa|Su)\b/g, (_, a: string, b: string) =>
        lang === 'zh' ? `${days[a]}至${days[b]}` : `${days[a]}–${days[b]}`,
      )
      .replace(/\b(Mo|Tu|We|Th|Fr|Sa|Su)\b/g, (day: string) => days[day] ?? day)
      .replace(/(周.),(周.)/g, '$1、$2')
      .replace(/(\d\d:\d\d-\d\d:\d\d),(?=\d)/g, lang === 'zh' ? '$1，' : '$1, '),
  );
  return rules.join(lang === 'zh' ? '；' : '; ');
}
