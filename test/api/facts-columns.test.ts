import { expect, it } from 'vitest';
import { useApp } from '../support/app.ts';
import { describeEachDialect } from '../support/databases.ts';

describeEachDialect('fact columns for mapping editors', (t) => {
  const h = useApp(t);

  it('lists the fields of a kind with the headers its template prints', async () => {
    const res = await h.app.inject({
      method: 'GET',
      url: '/api/facts/orders/columns',
      headers: { cookie: await h.login('mgrEast') },
    });
    expect(res.statusCode).toBe(200);
    const fields = res.json() as {
      field: string;
      zh: string;
      en: string;
      required: boolean;
      type: string;
    }[];
    const amount = fields.find((f) => f.type === 'money' && f.required);
    expect(amount).toBeDefined();
    expect(fields.every((f) => f.zh && f.en)).toBe(true);
  });

  it('refuses an unknown kind and an anonymous caller', async () => {
    const cookie = await h.login('admin');
    expect(
      (await h.app.inject({ method: 'GET', url: '/api/facts/nope/columns', headers: { cookie } }))
        .statusCode,
    ).toBe(400);
    expect(
      (await h.app.inject({ method: 'GET', url: '/api/facts/orders/columns' })).statusCode,
    ).toBe(401);
  });
});
