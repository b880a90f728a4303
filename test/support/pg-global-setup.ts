import pg from 'pg';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Admin URL of a reachable PostgreSQL server, or '' when PostgreSQL tests are skipped. */
    pgUrl: string;
  }
}

/**
 * Decides once per run whether the PostgreSQL half of the dialect loop runs. In CI it must:
 * an unreachable server fails the run instead of silently skipping.
 */
export default async function setup(project: TestProject): Promise<void> {
  const url = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  let reason = '';
  try {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
    await client.connect();
    await client.query('select 1');
    await client.end();
  } catch (e) {
    reason = (e as Error).message;
  }
  if (reason && process.env.CI) {
    throw new Error(`PostgreSQL is required in CI but ${url} is unreachable: ${reason}`);
  }
  if (reason) {
    console.warn(
      `\n⚠  PostgreSQL at ${url} is unreachable (${reason}).\n` +
        `⚠  The PostgreSQL half of every database test is SKIPPED. Set TEST_DATABASE_URL or start the server.\n`,
    );
  }
  project.provide('pgUrl', reason ? '' : url);
}
