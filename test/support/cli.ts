import { main } from '../../src/cli/main.ts';
import { FIXED_NOW } from './app.ts';
import type { TestDb } from './databases.ts';

/**
 * Runs `targetflow <argv>` in process against the test's database at FIXED_NOW, capturing what
 * it prints: the CLI tests' one way in.
 */
export async function runCli(t: TestDb, argv: string[], lang = 'en_US.UTF-8') {
  let out = '';
  let err = '';
  const code = await main(argv, {
    stdout: (s) => (out += s),
    stderr: (s) => (err += s),
    env: { LANG: lang },
    now: () => FIXED_NOW,
    serverLogs: false,
    connect: () => ({ db: t.db, dialect: t.dialect, close: async () => {} }),
  });
  return { code, out, err };
}
