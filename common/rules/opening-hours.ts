/**
 * Opening hours as people read them, one formatter for every surface: the map's details, the
 * finder and the coverage report's workbook. Pure (no DOM, no i18n state).
 */

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
 * readable: `周一至周五 08:30–17:30；周六 09:00–12:00`. Unknown text is returned unchanged.
 *
 * @example formatOpeningHours('Mo-Su 08:00-20:00', 'zh') // '周一至周日 08:00–20:00'
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
      .replace(/(\d\d:\d\d)-(\d\d:\d\d)/g, '$1–$2')
      .replace(/(\d\d:\d\d–\d\d:\d\d),(?=\d)/g, lang === 'zh' ? '$1，' : '$1, '),
  );
  return rules.join(lang === 'zh' ? '；' : '; ');
}
