/** The name printed large: the grid's own name, with its community's in front unless it already has it. */
export function boardTitle(grid: { name: string; communityName: string }): string {
  return grid.name.startsWith(grid.communityName) ? grid.name : `${grid.communityName}${grid.name}`;
}
