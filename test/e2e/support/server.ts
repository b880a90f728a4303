import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  chromium,
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  type Page,
} from 'playwright-core';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { buildApp, type App } from '../../../src/api/build-app.ts';
import { chinaToday } from '../../../src/app/clock.ts';
import { connect, type Connection } from '../../../src/db/connect.ts';
import { migrateToLatest } from '../../../src/db/migrate.ts';
import { seedDemo } from '../../../src/app/seed-demo/seed-demo.ts';

export const webRoot = fileURLToPath(new URL('../../../dist/web', import.meta.url));
export const screenshotDir = fileURLToPath(new URL('../../../test-results', import.meta.url));

export interface E2eServer {
  url: string;
  conn: Connection;
  close(): Promise<void>;
}

/** The real app over a fresh SQLite file with the demo company, on a free loopback port. */
export async function startDemoServer(): Promise<E2eServer> {
  const dir = mkdtempSync(join(tmpdir(), 'tf-e2e-'));
  const conn = connect({ sqliteFile: join(dir, 'e2e.sqlite') });
  await migrateToLatest(conn.db);
  const now = new Date();
  await seedDemo(conn.db, { today: chinaToday(now), now });
  const app: App = await buildApp({
    db: conn.db,
    dialect: conn.dialect,
    now: () => new Date(),
    webRoot,
  });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    url: address,
    conn,
    async close() {
      await app.close();
      await conn.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Debian's Chromium, never a downloaded browser. */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}

/** Page model of the login screen. */
export async function login(
  page: Page,
  baseUrl: string,
  username: string,
  password = 'demo1234',
): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  // The user menu is in the header at every width (on a phone the side menu is folded away).
  await page.getByTestId('user-menu').waitFor();
}

/** What a browser test needs: the demo server, Chromium, and contexts that report on failure. */
export interface DemoBrowser {
  server: E2eServer;
  browser: Browser;
  /**
   * A browser context whose pages record console errors, uncaught exceptions, failed requests and
   * API answers ≥ 400. When a test fails, every page it opened is screenshotted into
   * test-results/ and printed with its address, those records and the messages on screen, so a
   * failure in CI says what the browser saw.
   */
  newContext(options: BrowserContextOptions): Promise<BrowserContext>;
}

/**
 * The demo server and a Chromium for one test file: started before its tests, closed after.
 * Read `.server` and `.browser` inside the tests (they are set once `beforeAll` has run).
 */
export function useDemoBrowser(): DemoBrowser {
  let opened: { context: BrowserContext; log: string[] }[] = [];
  const env = {
    async newContext(options: BrowserContextOptions) {
      const context = await env.browser.newContext(options);
      // Playwright's default of 30 s per action is a fixed timeout a loaded machine overruns
      // (a page's first render took 10 s there); the test's own timeout bounds the whole.
      context.setDefaultTimeout(90_000);
      const log: string[] = [];
      const at = () => new Date().toISOString().slice(11, 23);
      context.on('page', (page) => {
        page.on('console', (m) => {
          if (m.type() === 'error' || m.type() === 'warning')
            log.push(`${at()} console.${m.type()}: ${m.text()}`);
        });
        page.on('pageerror', (e) => log.push(`${at()} page error: ${e.message}`));
        page.on('requestfailed', (r) =>
          log.push(`${at()} request failed: ${r.method()} ${r.url()} ${r.failure()?.errorText}`),
        );
        page.on('response', (r) => {
          if (r.status() >= 400)
            log.push(`${at()} ${r.status()} ${r.request().method()} ${r.url()}`);
        });
      });
      opened.push({ context, log });
      return context;
    },
  } as DemoBrowser;
  beforeAll(async () => {
    mkdirSync(screenshotDir, { recursive: true });
    env.server = await startDemoServer();
    env.browser = await launchBrowser();
  });
  beforeEach(({ task, onTestFailed }) => {
    opened = [];
    onTestFailed(async () => {
      const name = task.name.slice(0, 40).replace(/[^\w]+/g, '-');
      for (const [i, { context, log }] of opened.entries())
        for (const [j, page] of context.pages().entries()) {
          if (page.isClosed()) continue;
          const file = join(screenshotDir, `failure-${name}-${i}-${j}.png`);
          await page.screenshot({ path: file, fullPage: true }).catch(() => undefined);
          const messages = await page
            .locator('.ant-message-notice, .ant-notification-notice, .ant-alert')
            .allInnerTexts()
            .catch(() => []);
          console.error(
            [
              `[e2e] ${task.name}: page ${i}.${j} at ${page.url()} (screenshot ${file})`,
              `  messages on screen: ${JSON.stringify(messages)}`,
              ...log.slice(-30).map((l) => `  ${l}`),
            ].join('\n'),
          );
        }
    });
  });
  afterAll(async () => {
    await env.browser?.close();
    await env.server?.close();
  });
  return env;
}

/**
 * Waits until every chart on screen has drawn its last frame (entry animation included): the
 * chart component marks its div `data-chart="finished"` on ECharts' `finished` event. For
 * screenshots that should show the charts, instead of sleeping for a guessed animation time.
 */
export async function chartsFinished(page: Page): Promise<void> {
  await page.locator('[data-chart]').first().waitFor();
  await page.waitForFunction(() =>
    [...document.querySelectorAll<HTMLElement>('[data-chart]')]
      .filter((el) => el.offsetWidth > 0 && el.offsetHeight > 0)
      .every((el) => el.dataset.chart === 'finished'),
  );
}
