/**
 * Which unreached areas (服务圈外区域) are listed: those with households. The overlay also
 * yields pieces with no building in them (fields, roads, water); they are drawn on the map
 * but are nothing to act on, so the panel's list, its count and the workbook's 问题 sheet all
 * list the same areas, chosen here. Pure.
 */
export function listedUnreached<A extends { households: number }>(areas: readonly A[]): A[] {
  return areas.filter((a) => a.households > 0);
}
