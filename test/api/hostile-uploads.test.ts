import { expect, it } from 'vitest';
import { useApp } from '../support/app.ts';
import { describeEachDialect } from '../support/databases.ts';
import { customersWorkbook, xfdWorkbook } from '../support/hostile-files.ts';
import { multipartFile } from '../support/multipart.ts';

/** The three routes that take a file, with a kind or version each accepts. */
const UPLOAD_ROUTES = [
  '/api/imports/customers',
  '/api/facts/orders/import',
  '/api/plan-versions/1/grid-import',
];

/** A multipart body whose Content-Disposition is written by hand (a hostile client's). */
function rawMultipart(disposition: string, content: Buffer) {
  const boundary = '----tfhostile';
  const payload = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; ${disposition}\r\n` +
        'Content-Type: application/octet-stream\r\n\r\n',
    ),
    content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

/** Latin words of four letters or more that are not file types: a parser's English. */
const englishWords = (s: string) =>
  (s.match(/[A-Za-z]{4,}/g) ?? []).filter((w) => !['xlsx', 'Excel'].includes(w));

describeEachDialect('hostile uploads', (t) => {
  const h = useApp(t);
  const post = async (
    url: string,
    body: { payload: Buffer; headers: Record<string, string> },
    lang = 'zh-CN',
  ) =>
    h.app.inject({
      method: 'POST',
      url,
      payload: body.payload,
      headers: { ...body.headers, cookie: await h.login('admin'), 'x-locale': lang },
    });

  it.each(UPLOAD_ROUTES)(
    'given a malformed percent-encoded file name, when uploaded to %s, then 400 with a translated message',
    async (url) => {
      const csv = Buffer.from('客户编码,客户名称\nC1,甲\n');
      for (const disposition of [`filename*=UTF-8''%E4%ZZ.csv`, 'filename="%E4%ZZ.csv"']) {
        const zh = await post(url, rawMultipart(disposition, csv));
        expect(zh.statusCode, disposition).toBe(400);
        expect(zh.json()).toMatchObject({
          code: 'IMPORT_FILE_NAME_INVALID',
          message: '文件名的编码无效，请重命名文件后再上传',
        });
        const en = await post(url, rawMultipart(disposition, csv), 'en');
        expect(en.json().message).toBe(
          'The file name is not validly encoded; rename the file and upload it again',
        );
      }
    },
  );

  it.each(UPLOAD_ROUTES)(
    'given a multipart body cut off in the middle of the file, when uploaded to %s, then 400 with a translated message',
    async (url) => {
      const whole = multipartFile(
        'a.csv',
        Buffer.from('客户编码,客户名称\n' + 'C1,甲\n'.repeat(5000)),
      );
      const cut = { ...whole, payload: whole.payload.subarray(0, whole.payload.length / 2) };
      const res = await post(url, cut);
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({
        code: 'IMPORT_UPLOAD_BROKEN',
        message: '上传的内容不完整或已损坏，请重新上传',
      });
    },
  );

  it.each(UPLOAD_ROUTES)(
    'given a multipart body without a file, when posted to %s, then 400 with a translated message',
    async (url) => {
      const boundary = '----tfnofile';
      const res = await post(url, {
        payload: Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="note"\r\n\r\nhi\r\n--${boundary}--\r\n`,
        ),
        headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ code: 'IMPORT_NO_FILE' });
    },
  );

  it('given a file over 20 MB, when uploaded, then 400 naming the limit, and nothing is read', async () => {
    const big = multipartFile('big.csv', Buffer.alloc(20 * 1024 * 1024 + 10, 0x41));
    for (const url of UPLOAD_ROUTES) {
      const res = await post(url, big);
      expect(res.statusCode, url).toBe(400);
      expect(res.json()).toMatchObject({
        code: 'IMPORT_UPLOAD_TOO_LARGE',
        message: '文件过大，单个文件最多 20 MB',
      });
    }
  });

  it('given the XFD workbook, when imported as master data or facts, then 400 at once naming the limits', async () => {
    const bytes = await xfdWorkbook();
    for (const url of ['/api/imports/customers', '/api/facts/orders/import']) {
      const start = performance.now();
      const res = await post(url, multipartFile('xfd.xlsx', bytes));
      console.log(`${url}: XFD workbook refused in ${(performance.now() - start).toFixed(0)} ms`);
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({
        code: 'IMPORT_SHEET_TOO_LARGE',
        message:
          '工作表“数据”的已用区域 A1:XFD3001 超出上限（最多 50000 行数据、256 列），请删除多余的行和列后再导入',
      });
    }
    expect(await h.app.inject({ method: 'GET', url: '/api/health' })).toMatchObject({
      statusCode: 200,
    });
  });

  it('given a 60,000-row workbook, when imported as facts, then 400 naming the row limit', async () => {
    const bytes = await customersWorkbook(60_000);
    const res = await post('/api/facts/orders/import', multipartFile('big.xlsx', bytes), 'en');
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('IMPORT_SHEET_TOO_LARGE');
    expect(res.json().message).toContain('at most 50000 data rows');
  }, 60_000);

  it('given broken files, when imported, then the Chinese messages carry no parser English', async () => {
    const whole = await customersWorkbook(20);
    const files: [string, Buffer][] = [
      ['truncated.xlsx', whole.subarray(0, whole.length - 200)],
      ['quote.csv', Buffer.from('客户编码,客户名称\nC1,"甲\n')],
      ['binary.csv', Buffer.from([0, 1, 2, 0, 0xff, 0])],
      ['renamed.xlsx', Buffer.from('客户编码\nC1\n')],
    ];
    for (const url of ['/api/imports/customers', '/api/facts/orders/import']) {
      for (const [name, bytes] of files) {
        const res = await post(url, multipartFile(name, bytes));
        expect(res.statusCode, name).toBe(400);
        const { code, message } = res.json() as { code: string; message: string };
        expect(code).toBe('IMPORT_FORMAT');
        expect(englishWords(message), message).toEqual([]);
        const en = await post(url, multipartFile(name, bytes), 'en');
        expect(en.json().message).toMatch(/^Cannot read the file: [a-z]/);
      }
    }
  });

  it('given a body the framework refuses (wrong content type, broken JSON), then a translated 4xx without its English', async () => {
    const cookie = await h.login('admin');
    // an XML body posted to an upload route
    const media = await h.app.inject({
      method: 'POST',
      url: '/api/imports/customers',
      payload: '<hello/>',
      headers: { cookie, 'content-type': 'application/xml', 'x-locale': 'zh-CN' },
    });
    expect(media.statusCode).toBe(415);
    expect(media.json().code).toBe('REQUEST_MEDIA_TYPE');
    expect(media.json().message).toMatch(/^请求的内容类型不受支持（application\/xml）/);
    // a JSON body that does not parse
    const broken = await h.app.inject({
      method: 'POST',
      url: '/api/customers',
      payload: '{"code": ',
      headers: { cookie, 'content-type': 'application/json', 'x-locale': 'zh-CN' },
    });
    expect(broken.statusCode).toBe(400);
    expect(broken.json()).toMatchObject({
      code: 'REQUEST_BODY_INVALID',
      message: '请求内容不是有效的 JSON',
    });
  });
});
