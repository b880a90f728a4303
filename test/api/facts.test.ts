import ExcelJS from 'exceljs';
import { expect, it, onTestFinished } from 'vitest';
import { preparePool } from '../../src/app/facts/prepare-pool.ts';
import { useApp } from '../support/app.ts';
import { describeEachDialect } from '../support/databases.ts';
import { multipartFile } from '../support/multipart.ts';

describeEachDialect('facts over HTTP', (t) => {
  const h = useApp(t);
  const upload = async (
    user: string,
    kind: string,
    name: string,
    content: string,
    query = '',
    lang = 'zh-CN',
  ) => {
    const { payload, headers } = multipartFile(name, Buffer.from(content, 'utf8'));
    return h.app.inject({
      method: 'POST',
      url: `/api/facts/${kind}/import${query}`,
      payload,
      headers: { ...headers, cookie: await h.login(user), 'x-locale': lang },
    });
  };
  const get = async (user: string, url: string) =>
    h.app.inject({ method: 'GET', url, headers: { cookie: await h.login(user) } });

  it('imports a file, reports the counts, and lists the batch', async () => {
    const res = await upload(
      'admin',
      'orders',
      '订单.csv',
      '订单行号,下单日期,销售工号,金额\nH-1,2026-03-02,R1,100\nH-2,2026-03-03,R3,50\n',
    );
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      kind: 'orders',
      rows: 2,
      inserted: 2,
      updated: 0,
      unchanged: 0,
      rejected: 0,
      created: { customers: [], products: [] },
    });
    const again = await upload(
      'admin',
      'orders',
      '订单.csv',
      '订单行号,下单日期,销售工号,金额\nH-1,2026-03-02,R1,100\nH-2,2026-03-03,R3,50\n',
    );
    expect(again.json()).toMatchObject({ inserted: 0, unchanged: 2 });
    const list = await get('admin', '/api/facts/batches?kind=orders');
    expect(list.json().items[0]).toMatchObject({
      kind: 'orders',
      fileName: '订单.csv',
      status: 'applied',
      rows: 2,
      unchanged: 2,
      userName: 'admin',
    });
  });

  it('answers 422 with translated problems in all-or-nothing mode', async () => {
    const res = await upload(
      'admin',
      'orders',
      'bad.csv',
      'Line id,Order date,Owner code,Amount\nH-3,2026-03-02,NOBODY,1\n',
      '',
      'en',
    );
    expect(res.statusCode).toBe(422);
    expect(res.json().problems).toEqual([
      expect.objectContaining({
        row: 2,
        column: 'Owner code',
        code: 'REFERENCE_NOT_FOUND',
        message: 'Member "NOBODY" not found',
      }),
    ]);
  });

  it('in apply-valid mode returns a bad-rows file only its importer can download', async () => {
    const res = await upload(
      'mgrEast',
      'orders',
      'mixed.csv',
      '订单行号,下单日期,销售工号,金额\nH-4,2026-03-05,R2,10\nH-5,2026-03-05,R4,10\n',
      '?mode=apply-valid',
    );
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({
      inserted: 1,
      rejected: 1,
      problems: [expect.objectContaining({ row: 3, code: 'FORBIDDEN' })],
    });
    const file = await get('mgrEast', `/api/facts/bad-rows/${body.badRowsFileId}`);
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toContain('text/csv');
    const text = file.body.replace(/^\uFEFF/, '').split('\r\n');
    expect(text[0]).toBe('订单行号,下单日期,销售工号,金额,问题');
    expect(text[1]).toMatch(/^H-5,2026-03-05,R4,10,销售工号：/);
    expect((await get('admin', `/api/facts/bad-rows/${body.badRowsFileId}`)).statusCode).toBe(404);
    // A manager sees only their own batches.
    const mine = await get('mgrEast', '/api/facts/batches');
    expect(mine.json().items.map((b: { fileName: string }) => b.fileName)).toEqual(['mixed.csv']);
  });

  it('refuses imports by reps', async () => {
    expect(
      (
        await upload(
          'rep1',
          'orders',
          'r.csv',
          '订单行号,下单日期,销售工号,金额\nH-9,2026-03-05,R1,10\n',
        )
      ).statusCode,
    ).toBe(403);
  });

  it('runs a long import as a job the client polls, its row pass in the import worker', async () => {
    process.env.TARGETFLOW_IMPORT_WORKER = 'on';
    onTestFinished(() => {
      delete process.env.TARGETFLOW_IMPORT_WORKER;
    });
    const lines = [
      '订单行号,下单日期,销售工号,金额',
      ...Array.from(
        { length: 30 },
        (_, i) => `J-${i},2026-04-${String((i % 28) + 1).padStart(2, '0')},R1,${i + 1}`,
      ),
    ];
    const prepared = preparePool().prepared;
    const res = await upload('admin', 'orders', 'long.csv', lines.join('\n'), '?async=true');
    expect(res.statusCode).toBe(202);
    const { jobId, total } = res.json();
    expect(total).toBe(30);
    let job = (await get('admin', `/api/facts/jobs/${jobId}`)).json();
    // Polls on the job's state, not a count: starting a worker thread takes well over 2 s on a
    // loaded machine. The bound only keeps a hung job from running into the test timeout.
    const deadline = Date.now() + 60_000;
    while (job.status === 'running' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      job = (await get('admin', `/api/facts/jobs/${jobId}`)).json();
    }
    expect(job).toMatchObject({ status: 'done', done: 30, total: 30, result: { inserted: 30 } });
    expect(preparePool().prepared).toBe(prepared + 1);
    expect((await get('mgrEast', `/api/facts/jobs/${jobId}`)).statusCode).toBe(404);
  });

  it('takes JSON rows for integrations, with createMissing', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/facts/orders/batch',
      headers: { cookie: await h.login('admin') },
      payload: {
        rows: [
          { extId: 'API-1', date: '2026-05-01', unitCode: 'T3', customer: 'CRM客户', amount: 99.5 },
        ],
        createMissing: { customers: true },
        name: 'crm-sync',
      },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      inserted: 1,
      created: { customers: ['CRM客户'], products: [] },
    });
    const list = await get('admin', '/api/facts/batches');
    expect(list.json().items[0]).toMatchObject({ fileName: 'crm-sync', source: 'api' });
  });

  it('deletes a batch', async () => {
    const res = await upload(
      'admin',
      'orders',
      'del.csv',
      '订单行号,下单日期,销售工号,金额\nDEL-1,2026-06-01,R1,5\n',
    );
    const id = res.json().batchId;
    const del = await h.app.inject({
      method: 'DELETE',
      url: `/api/facts/batches/${id}`,
      headers: { cookie: await h.login('admin') },
    });
    expect(del.statusCode).toBe(200);
    expect(del.json()).toMatchObject({ batchId: id, deleted: 1 });
    expect(
      await t.db.selectFrom('order_lines').select('id').where('ext_id', '=', 'DEL-1').execute(),
    ).toEqual([]);
  });

  it('saves a column mapping and imports a CRM export through it', async () => {
    const cookie = await h.login('admin');
    const created = await h.app.inject({
      method: 'POST',
      url: '/api/facts/mappings',
      headers: { cookie },
      payload: {
        kind: 'orders',
        name: 'CRM 订单',
        mapping: {
          单据行: 'extId',
          日期: 'date',
          业务员: 'ownerCode',
          价税合计: 'amount',
          备注: null,
        },
      },
    });
    expect(created.statusCode).toBe(200);
    const { id, version } = created.json();
    const res = await upload(
      'admin',
      'orders',
      'crm.csv',
      '单据行,日期,业务员,价税合计,备注\nCRM-1,2026-03-09,R2,12.5,随便\n',
      `?mapping=${id}`,
    );
    expect(res.json()).toMatchObject({ inserted: 1 });
    const updated = await h.app.inject({
      method: 'PUT',
      url: `/api/facts/mappings/${id}`,
      headers: { cookie },
      payload: { name: 'CRM', version },
    });
    expect(updated.json()).toMatchObject({ name: 'CRM', version: version + 1 });
    expect(
      (await get('rep1', '/api/facts/mappings?kind=orders'))
        .json()
        .map((m: { name: string }) => m.name),
    ).toEqual(['CRM']);
    const bad = await h.app.inject({
      method: 'POST',
      url: '/api/facts/mappings',
      headers: { cookie },
      payload: { kind: 'orders', name: 'x', mapping: { a: 'nope' } },
    });
    expect(bad.statusCode).toBe(400);
    expect(
      (
        await h.app.inject({
          method: 'DELETE',
          url: `/api/facts/mappings/${id}`,
          headers: { cookie },
        })
      ).statusCode,
    ).toBe(200);
  });

  it('serves a template in the asked language', async () => {
    const res = await get('admin', '/api/facts/opportunities/template?lang=en');
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const header = (wb.worksheets[0]!.getRow(1).values as string[]).slice(1);
    expect(header.slice(0, 3)).toEqual(['*Opportunity id', '*Created date', 'Owner code']);
    // The sample row names a member and the customer the company has (none: left empty)
    const sample = (wb.worksheets[0]!.getRow(2).values as unknown[]).slice(1);
    const at = (h: string) => sample[header.indexOf(h)];
    const members = await t.db.selectFrom('members').select('code').execute();
    expect(members.map((m) => m.code)).toContain(at('Owner code'));
    const firstCustomer = await t.db
      .selectFrom('customers')
      .select('code')
      .orderBy('code')
      .executeTakeFirst();
    expect(at('Customer')).toBe(firstCustomer?.code);
  });
});
