import { describe, expect, it } from 'vitest';
import { nameAndCode, nameAndCodeText, namesOf } from './format.ts';

describe('nameAndCode', () => {
  it('shows the name and keeps the code for beside it or the tooltip', () => {
    expect(nameAndCode('永华道街道', '131002003000')).toEqual({ label: '永华道街道', code: '131002003000' });
    expect(nameAndCode('  育才社区第1网格 ', '131002003001001')).toEqual({
      label: '育才社区第1网格',
      code: '131002003001001',
    });
  });
  it('shows the code once when there is no name, or the name is the code', () => {
    for (const name of [undefined, null, '', '   ', '131002003000'])
      expect(nameAndCode(name, '131002003000')).toEqual({ label: '131002003000', code: null });
  });
  it('reads as one line of text in either language', () => {
    expect(nameAndCodeText('永华道街道', '131002003000', 'zh')).toBe('永华道街道（131002003000）');
    expect(nameAndCodeText('Yonghua', '131002003000', 'en')).toBe('Yonghua (131002003000)');
    expect(nameAndCodeText(null, '131002003000', 'zh')).toBe('131002003000');
  });
  it('names a list of codes from parallel names or a lookup, the code only where no name is known', () => {
    const codes = ['131002003001001', '131002003001002'];
    expect(namesOf(codes, ['第1网格', undefined]).map((n) => n.label)).toEqual(['第1网格', '131002003001002']);
    const lookup = new Map([['131002003001002', '第2网格']]);
    expect(namesOf(codes, (code) => lookup.get(code))).toEqual([
      { label: '131002003001001', code: null },
      { label: '第2网格', code: '131002003001002' },
    ]);
    expect(namesOf([])).toEqual([]);
  });
});
