/**
 * The search ranking and pinyin matching (server/public/search.ts) on known answers: exact >
 * prefix (name or full pinyin) > initials > substring, then the kind weight, then shorter names.
 */
import { describe, expect, it } from 'vitest';
import {
  buildSearchIndex,
  namePinyin,
  normaliseQuery,
  searchNames,
  type SearchEntry,
} from '../../server/public/search.ts';

const entry = (type: SearchEntry['type'], code: string, name: string): SearchEntry => ({
  type,
  code,
  name,
  lon: 116.7,
  lat: 39.5,
  bbox: null,
  context: '',
  households: null,
});

const index = await buildSearchIndex([
  entry('grid', '131002003001001', '育才社区第1网格'),
  entry('station', 'S1', '育才社区党群服务中心'),
  entry('community', '131002003001', '育才社区'),
  entry('road', 'R1', '育才路'),
  entry('community', '131002001001', '丽景社区'),
  entry('compound', 'X1', '丽景花园'),
  entry('address', 'B1', '常甫路82号院2号楼'),
  entry('address', 'S2', '安次区常甫路224号'),
  entry('community', '131002005003', '东沽港村'),
  entry('street', '131002003000', '永华道街道'),
  entry('compound', 'X2', '华景园'),
]);
const codes = (q: string, limit = 20) => searchNames(index, q, limit).map((r) => r.entry.code);
const first = (q: string) => searchNames(index, q, 1)[0];

describe('namePinyin', () => {
  it('gives full pinyin without tones, syllable starts and initials; digits and Latin kept', () => {
    expect(namePinyin('育才社区')).toEqual({ full: 'yucaishequ', starts: [0, 2, 5, 8], initials: 'ycsq' });
    expect(namePinyin('第12网格')).toEqual({ full: 'di12wangge', starts: [0, 2, 4, 8], initials: 'd12wg' });
    expect(namePinyin('A座')).toEqual({ full: 'azuo', starts: [0, 1], initials: 'az' });
  });
  it('reads 多音字 by the word (pinyin-pro dictionary): 重庆 chongqing, 银行 yinhang', () => {
    expect(namePinyin('重庆银行').full).toBe('chongqingyinhang');
  });
});

describe('normaliseQuery', () => {
  it('joins pinyin typed with spaces or apostrophes and lower-cases it', () => {
    expect(normaliseQuery(' Li Jing ')).toEqual({ needle: 'lijing', latin: true });
    expect(normaliseQuery("xi'an")).toEqual({ needle: 'xian', latin: true });
    expect(normaliseQuery('育才 社区')).toEqual({ needle: '育才 社区', latin: false });
  });
});

describe('searchNames ranking', () => {
  it('full pinyin: the community before its grid, road and station (prefix, then kind weight)', () => {
    expect(codes('yucai')).toEqual(['131002003001', 'R1', '131002003001001', 'S1']);
    expect(first('yucai')).toMatchObject({ match: 'prefix' });
    expect(first('yucaishequ')).toMatchObject({ match: 'exact', entry: { name: '育才社区' } });
  });
  it('initials: exact initials before initials prefix before substring', () => {
    expect(first('ljsq')).toMatchObject({ match: 'initials', entry: { name: '丽景社区' } });
    // hjy is 华景园 exactly; 永华道街道 has no hjy.
    expect(codes('hjy')).toEqual(['X2']);
    // ycsq: 育才社区 exactly, then the station and the grid whose initials start with it.
    expect(codes('ycsq')).toEqual(['131002003001', '131002003001001', 'S1']);
  });
  it('a prefix (Chinese or pinyin) ranks above an exact initials match', async () => {
    const small = await buildSearchIndex([entry('compound', 'A', '华景园'), entry('road', 'B', '华景园路')]);
    expect(searchNames(small, 'hjy', 5).map((r) => [r.entry.code, r.match])).toEqual([
      ['A', 'initials'],
      ['B', 'initials'],
    ]);
    expect(searchNames(small, '华景', 5).map((r) => r.match)).toEqual(['prefix', 'prefix']);
  });
  it('Chinese: exact, then prefix, then substring; kind weight breaks ties', () => {
    expect(codes('育才社区')).toEqual(['131002003001', '131002003001001', 'S1']);
    expect(codes('丽景')).toEqual(['131002001001', 'X1']);
    expect(codes('景')).toEqual(['131002001001', 'X2', 'X1']); // compounds: the shorter name (华景园) first
  });
  it('addresses (门牌): by a part of the address, in Chinese or pinyin from a syllable start', () => {
    expect(codes('常甫路')).toEqual(['B1', 'S2']); // prefix of 常甫路82号… before substring of 安次区常甫路…
    expect(codes('changfulu224')).toEqual(['S2']);
    expect(first('changfulu224')).toMatchObject({ match: 'substring', entry: { type: 'address' } });
    // Not from the middle of a syllable: "hangfu" is inside "changfu" but starts no syllable.
    expect(codes('hangfu')).toEqual([]);
  });
  it('villages (村) are communities; a code finds its thing exactly', () => {
    expect(first('donggugang')).toMatchObject({ entry: { type: 'community', name: '东沽港村' } });
    expect(first('131002003001001')).toMatchObject({ match: 'exact', entry: { type: 'grid' } });
  });
  it('limit caps the hits; nothing matches nothing', () => {
    expect(codes('yucai', 2)).toEqual(['131002003001', 'R1']);
    expect(codes('zzzz')).toEqual([]);
    expect(codes('   ')).toEqual([]);
  });
});

describe('namePinyin edge cases', () => {
  it('writes ü as v (绿 lv, 女 nv) and keeps Latin runs and spaces apart from Chinese', () => {
    expect(namePinyin('绿地花园').full).toBe('lvdihuayuan');
    expect(namePinyin('B区3号楼')).toEqual({ full: 'bqu3haolou', starts: [0, 1, 3, 4, 7], initials: 'bq3hl' });
    expect(namePinyin('和平路 12号').initials).toBe('hpl12h');
  });
});
