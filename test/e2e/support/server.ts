import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { buildApp, type App } from '../../../src/api/build-app.ts';
import { chinaToday } from '../../../src/api/schemas.ts';
import { connect, type Connection } from '../../../src/db/connect.ts';
import { migrateToLatest } from '../../../src/db/migrate.ts';
import { seedDemo } from '../../../src/jobs/seed-demo/seed-demo.ts';

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

/**
 * The demo server and a Chromium for one test file: started before its tests, closed after.
 * Read `.server` and `.browser` inside the tests (they are set once `beforeAll` has run).
 */
export function useDemoBrowser(): { server: E2eServer; browser: Browser } {
  const env = {} as { server: E2eServer; browser: Browser };
  beforeAll(async () => {
    mkdirSync(screenshotDir, { recursive: true });
    env.server = await startDemoServer();
    env.browser = await launchBrowser();
  });
  afterAll(async () => {
    await env.browser?.close();
    await env.server?.close();
  });
  return env;
}
