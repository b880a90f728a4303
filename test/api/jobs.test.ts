import { expect, it } from 'vitest';
import { describeEachDialect } from '../support/databases.ts';
import { useApp } from '../support/app.ts';

/** Polls a job over HTTP until it has ended. */
async function ended(call: () => Promise<{ json(): any }>) {
  for (let i = 0; i < 1200; i++) {
    const job = (await call()).json();
    if (!['queued', 'running'].includes(job.state)) return job;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the job did not end');
}

describeEachDialect('background jobs over HTTP', (t) => {
  const h = useApp(t);

  it('rebuilds the rollups as an admin-only job, one at a time', async () => {
    expect((await h.call('mgrEast', 'POST', '/api/jobs/rollups-rebuild')).statusCode).toBe(403);
    const first = await h.call('admin', 'POST', '/api/jobs/rollups-rebuild');
    expect(first.statusCode).toBe(202);
    const { jobId } = first.json();
    const job = await ended(() => h.call('admin', 'GET', `/api/jobs/${jobId}`));
    expect(job).toMatchObject({ kind: 'rollups.rebuild', state: 'succeeded', error: null });
    expect(job.result).toEqual(
      expect.objectContaining({ dayRows: expect.any(Number), monthRows: expect.any(Number) }),
    );
    // Listed for its creator, not for anyone else, and not cancellable once done.
    const mine = (await h.call('admin', 'GET', '/api/jobs')).json();
    expect(mine.map((j: { id: number }) => j.id)).toContain(jobId);
    expect((await h.call('mgrEast', 'GET', '/api/jobs')).json()).toEqual([]);
    expect((await h.call('mgrEast', 'GET', `/api/jobs/${jobId}`)).statusCode).toBe(404);
    const cancel = await h.call('admin', 'POST', `/api/jobs/${jobId}/cancel`, undefined, 'en');
    expect(cancel.statusCode).toBe(400);
    expect(cancel.json()).toMatchObject({
      code: 'JOB_NOT_CANCELLABLE',
      message: 'The job has already ended (succeeded) and cannot be cancelled',
    });
  });

  it('exports master data as a job: the same file as the download, in the asker’s scope, for them alone', async () => {
    // Given a region manager and an admin each exporting the members list in the background
    const start = async (user: string) => {
      const res = await h.call(user, 'POST', '/api/exports/members/jobs', { format: 'csv' });
      expect(res.statusCode, res.body).toBe(202);
      const job = await ended(() => h.call(user, 'GET', `/api/jobs/${res.json().jobId}`));
      expect(job).toMatchObject({ kind: 'master_data.export', state: 'succeeded', error: null });
      return job.result as { fileId: string; fileName: string; rows: number };
    };
    const east = await start('mgrEast');
    const admin = await start('admin');
    // Then the manager's file is exactly what the direct download gives him, and smaller than the admin's
    const file = await h.call('mgrEast', 'GET', `/api/jobs/files/${east.fileId}`);
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-disposition']).toContain(east.fileName);
    const direct = await h.call('mgrEast', 'GET', '/api/exports/members?format=csv');
    expect(file.body).toBe(direct.body);
    expect(east.rows).toBeGreaterThan(0);
    expect(east.rows).toBeLessThan(admin.rows);
    expect(file.body.trim().split('\n')).toHaveLength(east.rows + 1);
    // And no one else can download it
    expect((await h.call('mgrWest', 'GET', `/api/jobs/files/${east.fileId}`)).statusCode).toBe(404);
    // An unknown kind is refused when asked, not in the worker
    expect((await h.call('admin', 'POST', '/api/exports/nothing/jobs', {})).statusCode).toBe(400);
  });

  it("keeps a bad-rows file for the importer alone, and explains a failed job in the reader's language", async () => {
    const form = (csv: string) => {
      const boundary = '----tf';
      return {
        headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
        payload:
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="x.csv"\r\n` +
          `Content-Type: text/csv\r\n\r\n${csv}\r\n--${boundary}--\r\n`,
      };
    };
    const upload = async (user: string, csv: string, query: string) => {
      const f = form(csv);
      return h.app.inject({
        method: 'POST',
        url: `/api/facts/orders/import?async=true${query}`,
        headers: { ...f.headers, cookie: await h.login(user) },
        payload: f.payload,
      });
    };
    const refused = await upload(
      'admin',
      '订单行号,下单日期,销售工号,金额\nJB-1,2026-03-05,NOBODY,10\n',
      '',
    );
    const { jobId } = refused.json();
    const failed = await ended(() => h.call('admin', 'GET', `/api/jobs/${jobId}`, undefined, 'en'));
    expect(failed).toMatchObject({
      state: 'failed',
      error: {
        code: 'IMPORT_INVALID',
        problems: [{ row: 2, column: '销售工号', message: 'Member "NOBODY" not found' }],
      },
    });
    const mixed = await upload(
      'mgrEast',
      '订单行号,下单日期,销售工号,金额\nJB-2,2026-03-05,R2,10\nJB-3,2026-03-05,R4,10\n',
      '&mode=apply-valid',
    );
    const done = await ended(() => h.call('mgrEast', 'GET', `/api/jobs/${mixed.json().jobId}`));
    expect(done.result).toMatchObject({ inserted: 1, rejected: 1 });
    const file = done.result.badRowsFileId as string;
    expect((await h.call('mgrEast', 'GET', `/api/jobs/files/${file}`)).statusCode).toBe(200);
    expect((await h.call('admin', 'GET', `/api/jobs/files/${file}`)).statusCode).toBe(404);
    expect((await h.call('mgrWest', 'GET', `/api/jobs/files/${file}`)).statusCode).toBe(404);
  });
});
