import type { AddressInfo } from 'node:net';
import { beforeAll, expect, it } from 'vitest';
import { useApp } from '../support/app.ts';
import { describeEachDialect } from '../support/databases.ts';
import { multipartFile } from '../support/multipart.ts';

/** Health is asked this often: the test's client shares the server's thread and core. */
const ASK_EVERY_MS = 20;

/**
 * What the event loop owes other users while a large file is read, checked and written: the app
 * listens on a real port, a 50,000-row import runs, and `/api/health` is asked again and again
 * until it ends. A stalled loop answers nothing until the import is over; a loop that turns
 * answers every request within a small part of the import's time.
 */
describeEachDialect('a large import keeps the server answering', (t) => {
  const h = useApp(t);
  // The limit; for a master-data dry run on PostgreSQL fewer rows (its ≈ 50,000 round trips take
  // minutes there, and they are I/O the loop waits for anyway), so the reading and checking are
  // what is exercised there.
  const ROWS = 50_000;
  const MASTER_ROWS = t.dialect === 'sqlite' ? 50_000 : 10_000;
  let base = '';
  beforeAll(async () => {
    await h.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
  });

  const upload = async (user: string, url: string, name: string, content: string) => {
    const { payload, headers } = multipartFile(name, Buffer.from(content, 'utf8'));
    return fetch(`${base}${url}`, {
      method: 'POST',
      body: new Uint8Array(payload),
      headers: { ...headers, cookie: await h.login(user) },
    });
  };

  /** Asks /api/health until `work` settles; when each answer came, relative to the work's span. */
  async function healthDuring<T>(work: () => Promise<T>) {
    const start = performance.now();
    let end = Infinity;
    const running = work().finally(() => (end = performance.now()));
    const answers: number[] = [];
    let maxMs = 0;
    while (end === Infinity) {
      const asked = performance.now();
      const res = await fetch(`${base}/api/health`);
      expect(res.status).toBe(200);
      await res.json();
      const at = performance.now();
      maxMs = Math.max(maxMs, at - asked);
      if (end === Infinity) answers.push(at);
      await new Promise((r) => setTimeout(r, ASK_EVERY_MS));
    }
    const result = await running;
    const span = end - start;
    const lastAnswer = answers.length ? answers.at(-1)! - start : 0;
    return { result, answers: answers.length, span, lastAnswer, maxMs };
  }

  /**
   * Many answers, and none kept waiting for a good part of the import: a stalled loop answers the
   * request it received during the stall only when the stall ends (the old reader and apply loop
   * kept one waiting 36 s of a 37 s dry run; its answer still came just before the import's).
   */
  function expectAnsweredAllAlong(run: { answers: number; span: number; maxMs: number }) {
    expect(run.answers).toBeGreaterThan(3);
    expect(run.maxMs).toBeLessThan(run.span / 4);
  }

  it('given a large master-data dry run in flight, when health is asked meanwhile, then it answers all along', async () => {
    const lines = [
      '客户编码,客户名称',
      ...Array.from({ length: MASTER_ROWS }, (_, i) => `HC${i},客户${i}`),
    ];
    const run = await healthDuring(async () => {
      const res = await upload(
        'admin',
        '/api/imports/customers?dryRun=true',
        'c.csv',
        lines.join('\n'),
      );
      return { status: res.status, body: (await res.json()) as { rows: number; dryRun: boolean } };
    });
    console.log(
      `[${t.dialect}] master-data dry run ${run.span.toFixed(0)} ms; health answered ${run.answers} times, ` +
        `the last at ${run.lastAnswer.toFixed(0)} ms; slowest health answer ${run.maxMs.toFixed(0)} ms`,
    );
    expect(run.result).toEqual({
      status: 200,
      body: expect.objectContaining({ rows: MASTER_ROWS, dryRun: true, created: MASTER_ROWS }),
    });
    expectAnsweredAllAlong(run);
  }, 300_000);

  it("given a manager's 50,000-line facts dry run running as a job, when health is asked meanwhile, then it answers all along", async () => {
    const lines = [
      '订单行号,下单日期,销售工号,金额',
      ...Array.from({ length: ROWS }, (_, i) => `HK-${i},2026-03-05,R1,${(i % 97) + 1}`),
    ];
    const run = await healthDuring(async () => {
      const res = await upload(
        'mgrEast',
        '/api/facts/orders/import?dryRun=true',
        'o.csv',
        lines.join('\n'),
      );
      expect(res.status).toBe(202);
      const { jobId } = (await res.json()) as { jobId: string };
      for (;;) {
        const job = (await (
          await fetch(`${base}/api/facts/jobs/${jobId}`, {
            headers: { cookie: await h.login('mgrEast') },
          })
        ).json()) as { status: string; result?: { rows: number; dryRun: boolean } };
        if (job.status !== 'running') return job;
        await new Promise((r) => setTimeout(r, 100));
      }
    });
    console.log(
      `[${t.dialect}] facts dry run (job) ${run.span.toFixed(0)} ms; health answered ${run.answers} times, ` +
        `the last at ${run.lastAnswer.toFixed(0)} ms; slowest health answer ${run.maxMs.toFixed(0)} ms`,
    );
    expect(run.result).toMatchObject({ status: 'done', result: { rows: ROWS, dryRun: true } });
    expectAnsweredAllAlong(run);
  }, 300_000);
});
