/**
 * What the generated cases say: a few plausible descriptions per category, reasons for 不予受理
 * and notes for returns and offline feedback. Synthetic; no real place or person.
 */

export const CASE_DESCRIPTIONS: Readonly<Record<string, readonly string[]>> = {
  safety: [
    '楼道内堆放电动车并私拉电线充电，存在火灾隐患',
    '小区消防通道被车辆长期占用',
    '路边井盖破损，夜间行人易跌落',
    '楼顶广告牌松动，大风天气有坠落危险',
    '燃气管道附近有异味，请尽快排查',
    '老旧楼房外墙瓷砖脱落',
  ],
  sanitation: [
    '垃圾桶满溢多日未清运，气味较大',
    '小区绿地内有大量生活垃圾',
    '路边排水沟堵塞，污水外溢',
    '公共厕所卫生差，无人打扫',
    '楼道内小广告较多，影响环境',
    '餐馆后门油污倾倒在路面',
  ],
  illegal_building: [
    '一楼住户私自扩建院墙占用公共绿地',
    '楼顶加盖彩钢房',
    '临街商户私搭雨棚占用人行道',
    '小区内有人私建车棚',
  ],
  dispute: [
    '楼上楼下因漏水问题发生纠纷',
    '邻里之间因停车位发生争执',
    '商户与住户因噪音问题产生矛盾',
    '物业与业主因收费问题发生纠纷',
    '租户拖欠房租，房东请求调解',
  ],
  livelihood: [
    '小区路灯损坏多盏，夜间出行不便',
    '独居老人需要帮助办理医保手续',
    '楼道照明灯不亮',
    '小区供暖温度不达标',
    '希望在小区附近增设公交站点',
    '残疾人办理补贴需要上门帮助',
  ],
  clutter: [
    '楼道内堆放杂物，影响通行',
    '路边堆放建筑垃圾',
    '小区空地堆放废旧家具',
    '商户占道经营，货物堆放在人行道上',
    '废旧自行车长期占用车棚',
  ],
  public_order: [
    '夜间有人在小区内聚集喧哗',
    '小区门禁损坏，外来人员随意进出',
    '疑似有人在楼道张贴非法小广告',
    '路口有车辆长期违停，影响通行',
    '有人在广场燃放烟花爆竹',
  ],
};

export const NOT_ACCEPTED_REASONS: readonly string[] = [
  '经核实，反映的问题已由物业自行解决',
  '不属于网格事务，已告知当事人通过司法途径解决',
  '信息不全，无法核实具体位置',
  '重复反映，已告知原工单进度',
];

export const RETURN_REASONS: readonly string[] = ['不属于本部门职责，退回重新派遣', '地址有误，退回核实'];

export const OFFLINE_FEEDBACK_NOTES: readonly string[] = [
  '已电话回访，居民表示认可',
  '已上门告知处置结果',
  '回访时居民不在家，已留言告知',
];

export const NOTES: readonly string[] = ['已现场查看，正在协调', '已联系相关责任人', '已拍照留存，等待处置'];
