import { describe, expect, it } from 'vitest';
import { formatOpeningHours } from '../../common/rules/opening-hours.ts';

describe('formatOpeningHours', () => {
  const cases: [string, string, string][] = [
    [
      'Mo-Fr 08:30-17:30; Sa 09:00-12:00',
      '周一至周五 08:30–17:30；周六 09:00–12:00',
      'Mon–Fri 08:30–17:30; Sat 09:00–12:00',
    ],
    ['Mo-Fr 09:00-17:00', '周一至周五 09:00–17:00', 'Mon–Fri 09:00–17:00'],
    ['24/7', '全天 24 小时', 'Open 24/7'],
    ['Mo-Fr 08:30-12:00,14:00-17:30', '周一至周五 08:30–12:00，14:00–17:30', 'Mon–Fri 08:30–12:00, 14:00–17:30'],
    [
      'Mo-Fr 09:00-17:00; Sa,Su 09:00-11:30',
      '周一至周五 09:00–17:00；周六、周日 09:00–11:30',
      'Mon–Fri 09:00–17:00; Sat,Sun 09:00–11:30',
    ],
    ['by appointment', 'by appointment', 'by appointment'],
  ];
  it.each(cases)('%s', (text, zh, en) => {
    expect(formatOpeningHours(text, 'zh')).toBe(zh);
    expect(formatOpeningHours(text, 'en')).toBe(en);
  });
});
