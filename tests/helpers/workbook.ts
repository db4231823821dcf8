/** Reading a coverage workbook back in a test, and the layout both the unit and the API tests expect. */
import ExcelJS from 'exceljs';

export async function readWorkbook(bytes: ArrayBuffer | Buffer): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as ArrayBuffer);
  return workbook;
}

/** The expected sheets, in order. */
export const COVERAGE_SHEETS = ['汇总', '网格', '党组织', '服务站点', '问题'];

/** The expected header row of the 网格 (grids) sheet. */
export const GRID_SHEET_HEADER = [
  '网格编码',
  '网格名称',
  '所属街道',
  '所属社区',
  '网格类型',
  '户数',
  '网格党组织',
  '党组织覆盖状态',
  '楼栋户数',
  '3分钟圈内户数',
  '覆盖率',
];

/** The expected header row of the 党组织 (party organisations) sheet. */
export const ORG_SHEET_HEADER = [
  '编码',
  '名称',
  '类型',
  '上级组织',
  '所属社区',
  '书记',
  '党员数',
  '覆盖网格数',
  '覆盖户数',
];
