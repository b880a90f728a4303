import ExcelJS from 'exceljs';

/** Builds a real .xlsx in memory; `fill` gets each worksheet to write into, by name. */
export async function buildXlsx(
  fill: (addSheet: (name: string, state?: ExcelJS.WorksheetState) => ExcelJS.Worksheet) => void,
): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  fill((name, state) => {
    const sheet = workbook.addWorksheet(name);
    if (state) sheet.state = state;
    return sheet;
  });
  return Buffer.from((await workbook.xlsx.writeBuffer()) as ArrayBuffer);
}
