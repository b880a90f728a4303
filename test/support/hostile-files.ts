import { crc32, deflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';

/**
 * Hostile and oversized files, generated in the tests (never committed as blobs): workbooks
 * written by exceljs as Excel would, and workbooks built part by part where a writer that lies
 * (no used range, a bomb of shared strings) is the point.
 */

/** A zip of the given entries, each deflated (or stored when `store`). */
export function zipOf(entries: Record<string, string | Buffer>, store = false): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of Object.entries(entries)) {
    const data = Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8');
    const packed = store ? data : deflateRawSync(data);
    const fileName = Buffer.from(name, 'utf8');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(store ? 0 : 8, 8);
    local.writeUInt32LE(crc32(data), 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(fileName.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(store ? 0 : 8, 10);
    central.writeUInt32LE(crc32(data), 16);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(fileName.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, fileName, packed);
    centrals.push(central, fileName);
    offset += 30 + fileName.length + packed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(entries).length, 8);
  end.writeUInt16LE(Object.keys(entries).length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

const NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL_NS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

/**
 * A one-sheet workbook from its parts: `sheetData` is the XML inside <sheetData>, `dimension`
 * the used range the sheet claims (none when omitted), `sharedStrings` the <si> elements.
 */
export function handBuiltXlsx(parts: {
  sheetData: string;
  dimension?: string;
  sharedStrings?: string | Buffer;
}): Buffer {
  const rels = [
    `<Relationship Id="rId1" Type="${REL_NS}/worksheet" Target="worksheets/sheet1.xml"/>`,
    parts.sharedStrings === undefined
      ? ''
      : `<Relationship Id="rId2" Type="${REL_NS}/sharedStrings" Target="sharedStrings.xml"/>`,
  ].join('');
  const entries: Record<string, string | Buffer> = {
    '[Content_Types].xml':
      '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
    'xl/workbook.xml': `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="${NS}" xmlns:r="${REL_NS}"><sheets><sheet name="数据" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    'xl/_rels/workbook.xml.rels': `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${rels}</Relationships>`,
    'xl/worksheets/sheet1.xml': `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="${NS}">${
      parts.dimension ? `<dimension ref="${parts.dimension}"/>` : ''
    }<sheetData>${parts.sheetData}</sheetData></worksheet>`,
  };
  if (parts.sharedStrings !== undefined) {
    entries['xl/sharedStrings.xml'] = Buffer.isBuffer(parts.sharedStrings)
      ? parts.sharedStrings
      : `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="${NS}">${parts.sharedStrings}</sst>`;
  }
  return zipOf(entries);
}

/** Inline-string cells of one row: `<row r="n"><c r="A1" t="inlineStr">…`. */
export function rowXml(rowNumber: number, cells: Record<string, string | number>): string {
  const cs = Object.entries(cells).map(([col, v]) =>
    typeof v === 'number'
      ? `<c r="${col}${rowNumber}"><v>${v}</v></c>`
      : `<c r="${col}${rowNumber}" t="inlineStr"><is><t>${v}</t></is></c>`,
  );
  return `<row r="${rowNumber}">${cs.join('')}</row>`;
}

/** A workbook Excel-like (exceljs writes the used range): `fill` writes the one sheet. */
export async function workbook(fill: (ws: ExcelJS.Worksheet) => void): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  fill(wb.addWorksheet('数据'));
  return Buffer.from((await wb.xlsx.writeBuffer()) as ArrayBuffer);
}

/**
 * The issue's workbook: a header, `rows` customer rows and one stray value in column XFD (the
 * last of 16,384), which made the old reader walk every column of every row.
 */
export function xfdWorkbook(rows = 3000): Promise<Buffer> {
  return workbook((ws) => {
    ws.addRow(['客户编码', '客户名称']);
    for (let i = 0; i < rows; i++) ws.addRow([`C${i}`, `客户${i}`]);
    ws.getCell('XFD2').value = 'x';
  });
}

/** Customers: a header and `rows` rows, as a workbook (with its used range). */
export function customersWorkbook(rows: number): Promise<Buffer> {
  return workbook((ws) => {
    ws.addRow(['客户编码', '客户名称']);
    for (let i = 0; i < rows; i++) ws.addRow([`C${i}`, `客户${i}`]);
  });
}
