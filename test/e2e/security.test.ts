import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { expect, it, onTestFinished } from 'vitest';
import { chartsFinished, login, useDemoBrowser } from './support/server.ts';

const e2e = useDemoBrowser();

/**
 * Records every Content-Security-Policy violation the page reports, across navigations: the
 * `securitypolicyviolation` DOM event (from an init script, which Chromium runs outside the page's
 * CSP) and Chromium's console message for a blocked resource.
 */
async function recordViolations(page: Page): Promise<string[]> {
  const violations: string[] = [];
  await page.exposeFunction('__reportCsp', (v: string) => violations.push(v));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      const report = (window as unknown as { __reportCsp: (v: string) => void }).__reportCsp;
      void report(
        `${e.violatedDirective} blocked ${e.blockedURI || '(inline)'} on ${e.documentURI}`,
      );
    });
  });
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) violations.push(`console: ${m.text()}`);
  });
  return violations;
}

it('the app and the API docs work under the Content-Security-Policy without a single violation', async () => {
  const db = e2e.server.conn.db;
  const active = await db
    .selectFrom('plan_versions')
    .select('id')
    .where('status', '=', 'active')
    .executeTakeFirstOrThrow();
  const context = await e2e.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
  const page = await context.newPage();
  const violations = await recordViolations(page);

  // Given the policy is really sent with the app shell (else "no violations" would prove nothing)
  const shell = await page.goto(`${e2e.server.url}/login`);
  expect(shell?.headers()['content-security-policy']).toContain("script-src 'self'");

  // When a manager signs in and opens the overview, tracking (charts), a plan and the docs
  await login(page, e2e.server.url, 'director');
  await page.goto(`${e2e.server.url}/`);
  await page.getByTestId('dashboard-month-actual').waitFor();
  await page.goto(`${e2e.server.url}/tracking`);
  await page.getByTestId('kpi-cards').waitFor();
  await chartsFinished(page);
  await page.goto(`${e2e.server.url}/plans`);
  await page.getByTestId('plans-page').waitFor();
  await page.goto(`${e2e.server.url}/plans/versions/${active.id}`);
  await page.getByTestId('tab-grid').click();
  await page.getByTestId('target-grid').locator('[data-testid^="cell-"]').first().waitFor();
  // The docs' own requests run from the page too: the spec is read (every operation in it) and
  // rendered (Swagger UI draws the operations as they come into view).
  const spec = page.waitForResponse((r) => r.url().endsWith('/api/docs/json'));
  await page.goto(`${e2e.server.url}/api/docs`);
  const specRes = await spec;
  expect(specRes.status()).toBe(200);
  expect(Object.keys(((await specRes.json()) as { paths: object }).paths).length).toBeGreaterThan(
    100,
  );
  await page.locator('.swagger-ui .opblock').first().waitFor();

  // Then nothing was blocked
  expect(violations).toEqual([]);

  // And the recorder does see a violation: an injected inline script is blocked and reported.
  await page.goto(`${e2e.server.url}/`);
  await page.getByTestId('dashboard-month-actual').waitFor();
  const ran = await page.evaluate(() => {
    const s = document.createElement('script');
    s.textContent = 'window.__injected = true';
    document.body.append(s);
    return (window as unknown as { __injected?: boolean }).__injected === true;
  });
  expect(ran).toBe(false);
  await expect.poll(() => violations.some((v) => v.startsWith('script-src'))).toBe(true);
  await context.close();
});

it('a page on another site can neither make a signed-in browser write (CSRF) nor frame the app', async () => {
  const context = await e2e.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
  const page = await context.newPage();
  await login(page, e2e.server.url, 'admin');
  const sessions = async () =>
    Number(
      (
        await e2e.server.conn.db
          .selectFrom('sessions')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const before = await sessions();
  // Given an attacker's page on another site — `localhost` is not the same site as `127.0.0.1`,
  // where the app listens — served by a server of the test's own, which posts a form to the app.
  // (A loopback server, not a routed page, so Chromium's local-network checks let it through.)
  const evilServer = createServer((_req, res) =>
    res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>evil</title>'),
  );
  await new Promise<void>((done) => evilServer.listen(0, '127.0.0.1', done));
  onTestFinished(() => new Promise<void>((done) => evilServer.close(() => done())));
  const evil = `http://localhost:${(evilServer.address() as AddressInfo).port}`;
  await page.goto(`${evil}/`);
  const answer = page.waitForResponse((r) => r.url().endsWith('/api/auth/logout'));
  await page.evaluate((target) => {
    const form = document.createElement('form');
    form.method = 'POST';
    form.action = `${target}/api/auth/logout`;
    document.body.append(form);
    form.submit();
  }, e2e.server.url);
  // Then the browser's cross-site post is refused and the session is still there
  expect((await answer).status()).toBe(403);
  await page.waitForURL(`${e2e.server.url}/api/auth/logout`);
  expect(await sessions()).toBe(before);

  // And a frame of the app stays empty (frame-ancestors 'none', X-Frame-Options DENY)
  await page.goto(`${evil}/frame`);
  const framed = page.waitForResponse((r) => r.url() === `${e2e.server.url}/`);
  await page.evaluate((target) => {
    const frame = document.createElement('iframe');
    frame.src = `${target}/`;
    document.body.append(frame);
  }, e2e.server.url);
  expect((await framed).status()).toBe(200);
  await expect
    .poll(() => page.frames().map((f) => f.url()))
    .toContain('chrome-error://chromewebdata/');
  expect(page.frames().some((f) => f.url().startsWith(e2e.server.url))).toBe(false);

  // The app itself still works in this browser
  await page.goto(`${e2e.server.url}/`);
  await page.getByTestId('user-menu').waitFor();
  await context.close();
});
