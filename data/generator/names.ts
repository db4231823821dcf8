/** Chinese names for the demo district: plausible, synthetic, never real people. */
import type { Rng } from './prng.ts';

/** Street offices of 安次区 (the urban three are real; the rest plausible). */
export const ANCI_STREETS: readonly { seq: string; name: string }[] = [
  { seq: '001', name: '银河南路街道' },
  { seq: '002', name: '光明西道街道' },
  { seq: '003', name: '永华道街道' },
  { seq: '004', name: '南苑街道' },
  { seq: '100', name: '落垡镇' },
];

const PLACE_WORDS = [
  '银河',
  '光明',
  '永华',
  '南苑',
  '新华',
  '和平',
  '建设',
  '文明',
  '幸福',
  '康乐',
  '阳光',
  '华苑',
  '祥云',
  '金桥',
  '怡园',
  '翠林',
  '锦绣',
  '丽景',
  '民安',
  '泰和',
  '安居',
  '福地',
  '吉祥',
  '长安',
  '兴安',
  '富强',
  '团结',
  '胜利',
  '红星',
  '东方',
  '朝阳',
  '育才',
  '文化',
  '春风',
  '紫园',
  '新开',
  '北旺',
  '南关',
  '西昌',
  '常甫',
  '龙河',
  '碧水',
  '荣华',
  '润泽',
  '尚德',
  '明珠',
  '春晖',
  '惠民',
  '裕华',
  '金泰',
  '天和',
  '益民',
  '德胜',
  '永兴',
  '华祥',
  '艺术',
  '新源',
  '广阳',
  '万庄',
  '仇庄',
  '杨税务',
  '调河头',
  '码头',
  '葛渔城',
  '东沽港',
  '北史家务',
  '廊坊',
  '爱民',
  '和谐',
  '繁荣',
];

const COMPOUND_WORDS = [
  '御龙',
  '紫薇',
  '金色',
  '丽都',
  '馨园',
  '书香',
  '凯旋',
  '半岛',
  '宏远',
  '香榭',
  '水岸',
  '绿城',
  '华府',
  '雅居',
  '盛世',
  '嘉和',
  '兴业',
  '荣盛',
  '恒大',
  '新世界',
  '孔雀',
  '和园',
  '知雅',
  '林溪',
  '东湖',
  '西湖',
  '春城',
  '秋实',
  '怡景',
  '瑞祥',
  '鸿运',
  '锦华',
  '天成',
  '润园',
  '泽苑',
  '清华',
  '康城',
  '福源',
  '龙湖',
  '华夏',
  '翰林',
  '金域',
  '长河',
  '逸城',
  '枫丹',
  '御景',
  '铂悦',
  '丰泽',
];
const COMPOUND_SUFFIXES = ['小区', '小区', '小区', '家园', '花园', '嘉园', '新村'];

export const ROADS = [
  '银河南路',
  '光明西道',
  '永华道',
  '永兴路',
  '建设南路',
  '和平路',
  '新华路',
  '常甫路',
  '南龙道',
  '北凤道',
  '西昌路',
  '华祥路',
  '艺术大道',
  '廊坊道',
  '裕华道',
  '广阳道',
  '新开路',
  '解放道',
  '金光道',
  '东安路',
  '南门外大街',
  '育人道',
  '瑞丰道',
  '益民道',
  '和平南路',
  '安次路',
];

/** North–south roads (路), the real Anci names first (they go to the arterials). */
const NS_ROADS = [
  '银河南路',
  '永兴路',
  '建设南路',
  '新华路',
  '和平路',
  '常甫路',
  '西昌路',
  '华祥路',
  '东安路',
  '新开路',
  '和平南路',
  '安次路',
  '育才路',
  '团结路',
  '朝阳路',
  '春风路',
  '惠民路',
  '兴安路',
  '泰和路',
  '富强路',
  '翠林路',
  '锦绣路',
  '金桥路',
  '文明路',
  '幸福路',
  '康乐路',
  '明珠路',
  '德胜路',
];
/** East–west roads (道). */
const EW_ROADS = [
  '光明西道',
  '永华道',
  '南龙道',
  '北凤道',
  '廊坊道',
  '裕华道',
  '广阳道',
  '解放道',
  '金光道',
  '育人道',
  '瑞丰道',
  '益民道',
  '艺术道',
  '祥云道',
  '华苑道',
  '阳光道',
  '长安道',
  '胜利道',
  '红星道',
  '东方道',
];
/** County and village roads of the rural town. */
const RURAL_ROADS = [
  '廊霸公路',
  '落垡大街',
  '北旺路',
  '码头路',
  '东沽港路',
  '调河头路',
  '仇庄路',
  '杨税务路',
  '葛渔城路',
  '万庄路',
];
/** Lanes between grids inside a block. */
const LANE_WORDS = [
  '兴华',
  '育英',
  '槐树',
  '柳荫',
  '枣林',
  '红旗',
  '向阳',
  '新风',
  '和睦',
  '安乐',
  '仁和',
  '永安',
  '太平',
  '丰收',
  '双塔',
  '石桥',
  '前进',
  '建国',
];
const LANE_SUFFIXES = ['巷', '胡同', '街', '里'];
/** Villages (村) of the rural town. */
const VILLAGE_WORDS = [
  '落垡',
  '北落垡',
  '南落垡',
  '东张务',
  '西张务',
  '王玛',
  '史各庄',
  '李家庄',
  '辛庄',
  '马家营',
  '孙庄',
  '刘官营',
  '白家务',
  '后营',
  '前营',
  '小刘庄',
  '何家堡',
  '周营',
];
const PARK_WORDS = ['人民', '文化', '青年', '龙河', '翠湖', '植物', '体育', '滨河', '梨园', '儿童'];

const SURNAMES =
  '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹易常武乔贺赖龚文';
const GIVEN =
  '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华玉萍红玲芬燕彬鑫波宇浩凯健俊帆帅旭宁龙林欣怡佳琪晨阳雪梅海峰志淑凤建国庆春立新振东文卫亮斌颖慧婷';

/** A synthetic Chinese personal name: surname + one or two given characters. */
export function personName(rng: Rng): string {
  const surname = SURNAMES[rng.int(0, SURNAMES.length - 1)] as string;
  const one = GIVEN[rng.int(0, GIVEN.length - 1)] as string;
  const two = rng.chance(0.65) ? (GIVEN[rng.int(0, GIVEN.length - 1)] as string) : '';
  return surname + one + two;
}

/** Draws names without repeats until the list runs out, then adds a numeral (二, 三, …). */
export class NamePool {
  #order: string[];
  #used = 0;
  constructor(words: readonly string[], rng: Rng) {
    this.#order = rng.shuffle([...words]);
  }
  next(): string {
    const round = Math.floor(this.#used / this.#order.length);
    const word = this.#order[this.#used % this.#order.length] as string;
    this.#used++;
    return round === 0 ? word : word + NUMERALS[round % NUMERALS.length];
  }
}
const NUMERALS = ['', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

export const communityNames = (rng: Rng) => new NamePool(PLACE_WORDS, rng);
export const villageNames = (rng: Rng) => new NamePool(VILLAGE_WORDS, rng);
export const parkNames = (rng: Rng) => new NamePool(PARK_WORDS, rng);
/** Road names in order (the first ones are the best known), then drawn from the place words. */
function roadPool(first: readonly string[], suffix: string, rng: Rng): () => string {
  let k = 0;
  const more = new NamePool(
    PLACE_WORDS.map((w) => w + suffix).filter((w) => !first.includes(w)),
    rng,
  );
  return () => (k < first.length ? (first[k++] as string) : more.next());
}
export const roadNames = (rng: Rng) => ({
  ns: roadPool(NS_ROADS, '路', rng.fork('ns')),
  ew: roadPool(EW_ROADS, '道', rng.fork('ew')),
  rural: roadPool(RURAL_ROADS, '路', rng.fork('rural')),
});
export const laneNames = (rng: Rng) => {
  const pool = new NamePool(LANE_WORDS, rng);
  return () => pool.next() + rng.pick(LANE_SUFFIXES);
};
export const compoundNames = (rng: Rng) => {
  const pool = new NamePool(COMPOUND_WORDS, rng);
  return { next: () => pool.next() + rng.pick(COMPOUND_SUFFIXES) };
};

/** "安次区银河南路37号" */
export function address(rng: Rng, districtName: string): string {
  return `${districtName}${rng.pick(ROADS)}${rng.int(1, 399)}号`;
}

/** A synthetic mainland mobile number, 11 digits (1xx xxxx xxxx). */
export function mobilePhone(rng: Rng): string {
  const prefix = rng.pick([
    '130',
    '131',
    '132',
    '133',
    '135',
    '136',
    '137',
    '138',
    '139',
    '150',
    '151',
    '152',
    '155',
    '156',
    '157',
    '158',
    '159',
    '176',
    '177',
    '180',
    '181',
    '185',
    '186',
    '187',
    '188',
    '189',
    '199',
  ]);
  return prefix + String(rng.int(0, 99_999_999)).padStart(8, '0');
}

/** A Langfang landline service number: 0316-5xxxxxx. */
export function servicePhone(rng: Rng): string {
  return `0316-5${String(rng.int(0, 999_999)).padStart(6, '0')}`;
}

/** Chinese numeral for small ordinals (第一…第九十九), used in party org names. */
export function chineseOrdinal(n: number): string {
  const digits = '零一二三四五六七八九';
  if (n < 10) return digits[n] as string;
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  return (tens === 1 ? '' : (digits[tens] as string)) + '十' + (ones === 0 ? '' : (digits[ones] as string));
}
