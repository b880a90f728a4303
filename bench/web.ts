/**
 * `npm run bench:web [-- --runs 3] [--web DIR]`
 *
 * What the first screens cost a user on a modest connection. Builds nothing itself: the npm
 * script runs `vite build` first, then this file serves dist/web from the real app over a temp
 * SQLite file with the demo company (`seedDemo`, today in China) on 127.0.0.1 (never any other
 * host), and drives Debian's Chromium (playwright-core, headless) with every page throttled over
 * CDP (`Network.emulateNetworkConditions`: 10 Mbit/s down and up, 40 ms RTT). Each scenario runs
 * `runs` times; the table shows the median and the slowest run:
 *
 *   login page     a fresh browser (empty cache, no session) opens /login: time until the form
 *                  can be typed in
 *   我的目标 cold   rep.zhang on a phone (390×844, touch): signed in, HTTP cache emptied, opens
 *                  /me: time until `my-month-actual` shows a number
 *   我的目标 warm   the same browser opens /me again (assets from the cache)
 *   tracking cold  the director on a desktop (1440×900): signed in, cache emptied, opens
 *                  /tracking: time until `kpi-actual` shows a number, and until every chart
 *                  has drawn its last frame
 *   tracking warm  the same browser opens /tracking again
 *
 * Times are the page's own clock (`performance.now()`, from the start of the navigation) when the
 * element first holds a digit, checked every animation frame. Bytes are what crossed the wire
 * (CDP `encodedDataLength`: compressed bodies and headers) for that navigation. It also prints the
 * encoding and cache headers the server sent for the largest script, and which scripts the login
 * page loaded (ECharts must not be among them). `--web DIR` serves another build of the web app
 * (say, an older commit's `vite build --outDir DIR`) over the same server, to compare.
 */
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { buildApp } from '../src/api/build-app.ts';
import { chinaToday } from '../src/app/clock.ts';
import { DEMO_PASSWORD } from '../src/app/seed-demo/demo-logins.ts';
import { seedDemo } from '../src/app/seed-demo/seed-demo.ts';
import { connect } from '../src/db/connect.ts';
import { migrateToLatest } from '../src/db/migrate.ts';

const { values: args } = parseArgs({
  options: { runs: { type: 'string', default: '3' }, web: { type: 'string' } },
});
const runs = Number(args.runs);
const webRoot = args.web ?? fileURLToPath(new URL('../dist/web', import.meta.url));
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };
const DESKTOP = { viewport: { width: 1440, height: 900 } };
/** 10 Mbit/s in bytes per second; latency is the round trip the browser adds to each request. */
const THROUGHPUT = 10_000_000 / 8;
const RTT_MS = 40;

interface Sample {
  ms: number;
  /** On the wire (compressed), and once decoded (what the browser parses). */
  bytes: number;
  decoded: number;
  chartsMs?: number;
}

async function main(): Promise<void> {
  if (!existsSync(join(webRoot, 'index.html')))
    throw new Error('dist/web is missing: run `npm run build:web` (npm run bench:web does)');
  const dir = mkdtempSync(join(tmpdir(), 'tf-bench-web-'));
  const conn = connect({ sqliteFile: join(dir, 'bench.sqlite') });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  try {
    await migrateToLatest(conn.db);
    const now = new Date();
    await seedDemo(conn.db, { today: chinaToday(now), now });
    const app = await buildApp({
      db: conn.db,
      dialect: conn.dialect,
      now: () => new Date(),
      webRoot,
    });
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const results: Record<string, Sample[]> = {};
      const add = (name: string, s: Sample) => (results[name] ??= []).push(s);
      for (let i = 0; i < runs; i++) {
        add('login page (cold)', await loginPage(browser, base, i === 0));
        const rep = await signedIn(browser, base, 'rep.zhang', PHONE);
        add('我的目标, phone, cold', await open(rep, `${base}/me`, 'my-month-actual'));
        add('我的目标, phone, warm', await open(rep, `${base}/me`, 'my-month-actual', false));
        await rep.close();
        const director = await signedIn(browser, base, 'director', DESKTOP);
        add('tracking, director, cold', await open(director, `${base}/tracking`, 'kpi-actual'));
        add(
          'tracking, director, warm',
          await open(director, `${base}/tracking`, 'kpi-actual', false),
        );
        await director.close();
      }
      report(results);
    } finally {
      await app.close();
    }
  } finally {
    await browser.close();
    await conn.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A throttled page whose bytes on the wire are counted from now on. */
async function throttledPage(
  context: BrowserContext,
): Promise<{ page: Page; bytes: () => number; decoded: () => number }> {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: RTT_MS,
    downloadThroughput: THROUGHPUT,
    uploadThroughput: THROUGHPUT,
  });
  let bytes = 0;
  let decoded = 0;
  cdp.on('Network.loadingFinished', (e) => {
    bytes += e.encodedDataLength;
  });
  cdp.on('Network.dataReceived', (e) => {
    decoded += e.dataLength;
  });
  return { page, bytes: () => bytes, decoded: () => decoded };
}

/** A fresh browser opens the sign-in page; the first run also says what it downloaded. */
async function loginPage(browser: Browser, base: string, describe: boolean): Promise<Sample> {
  const context = await browser.newContext(PHONE);
  const { page, bytes, decoded } = await throttledPage(context);
  const scripts: Promise<{ url: string; encoding: string; cache: string; size: number }>[] = [];
  page.on('response', (r) => {
    if (!r.url().endsWith('.js')) return;
    const h = r.headers();
    scripts.push(
      r
        .body()
        .catch(() => Buffer.alloc(0))
        .then((body) => ({
          url: r.url().replace(base, ''),
          encoding: h['content-encoding'] ?? 'identity',
          cache: h['cache-control'] ?? '-',
          size: body.length,
        })),
    );
  });
  await page.goto(`${base}/login`, { waitUntil: 'commit' });
  const ms = await page.waitForFunction(
    () => document.querySelector('[data-testid=login-submit]') && performance.now(),
    undefined,
    { polling: 'raf', timeout: 60_000 },
  );
  await page.waitForLoadState('networkidle');
  const sample = { ms: (await ms.jsonValue()) as number, bytes: bytes(), decoded: decoded() };
  if (describe) {
    console.log('scripts the sign-in page loaded (decoded size, encoding, cache-control):');
    const loaded = await Promise.all(scripts);
    for (const s of loaded.sort((a, b) => b.size - a.size))
      console.log(`  ${s.url}  ${(s.size / 1024).toFixed(0)} KB  ${s.encoding}  ${s.cache}`);
    if (loaded.some((s) => /echart/i.test(s.url)))
      console.log('  !! ECharts is loaded before any page with a chart');
  }
  await context.close();
  return sample;
}

/** A browser context signed in as `username` through the sign-in page, its HTTP cache emptied. */
async function signedIn(
  browser: Browser,
  base: string,
  username: string,
  options: object,
): Promise<BrowserContext> {
  const context = await browser.newContext({ locale: 'zh-CN', ...options });
  const page = await context.newPage();
  await page.goto(`${base}/login`);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(DEMO_PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('user-menu').waitFor({ timeout: 60_000 });
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.clearBrowserCache');
  await page.close();
  return context;
}

/** Opens `url` in a new throttled page: time until `testId` holds a digit, bytes on the wire. */
async function open(
  context: BrowserContext,
  url: string,
  testId: string,
  cold = true,
): Promise<Sample> {
  if (cold) {
    const probe = await context.newPage();
    await (await context.newCDPSession(probe)).send('Network.clearBrowserCache');
    await probe.close();
  }
  const { page, bytes, decoded } = await throttledPage(context);
  await page.goto(url, { waitUntil: 'commit' });
  const seen = await page.waitForFunction(
    (id) => {
      const text = document.querySelector(`[data-testid="${id}"]`)?.textContent ?? '';
      return /\d/.test(text) && performance.now();
    },
    testId,
    { polling: 'raf', timeout: 60_000 },
  );
  const ms = (await seen.jsonValue()) as number;
  // Charts: every chart on screen has drawn its last frame (ECharts' `finished` event).
  const drawn = await page.waitForFunction(
    () => {
      const charts = [...document.querySelectorAll<HTMLElement>('[data-chart]')].filter(
        (el) => el.offsetWidth > 0,
      );
      return (
        charts.length > 0 &&
        charts.every((el) => el.dataset.chart === 'finished') &&
        performance.now()
      );
    },
    undefined,
    { polling: 'raf', timeout: 60_000 },
  );
  const chartsMs = (await drawn.jsonValue()) as number;
  await page.waitForLoadState('networkidle');
  const sample = { ms, bytes: bytes(), decoded: decoded(), chartsMs };
  await page.close();
  return sample;
}

function report(results: Record<string, Sample[]>): void {
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;
  console.log(`\n${runs} runs each; 10 Mbit/s, ${RTT_MS} ms RTT (CDP throttling)\n`);
  console.log(
    '| screen | number visible, median | slowest | charts drawn, median | transferred | decoded |',
  );
  console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
  for (const [name, xs] of Object.entries(results)) {
    const charts = xs.flatMap((x) => (x.chartsMs === undefined ? [] : [x.chartsMs]));
    console.log(
      `| ${name} | ${s(median(xs.map((x) => x.ms)))} | ${s(Math.max(...xs.map((x) => x.ms)))} | ${
        charts.length ? s(median(charts)) : '—'
      } | ${kb(median(xs.map((x) => x.bytes)))} | ${kb(median(xs.map((x) => x.decoded)))} |`,
    );
  }
}

await main();
