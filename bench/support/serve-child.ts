/**
 * The server of `npm run bench:serve`, in a process of its own so the load generator does not
 * share its event loop: connects to TF_BENCH_DB (a SQLite file or a postgres:// URL), builds the
 * app without request logs and listens on 127.0.0.1 only, on a free port it prints as one JSON
 * line. Stops on SIGTERM.
 */
import type { AddressInfo } from 'node:net';
import { buildApp } from '../../src/api/build-app.ts';
import { connect } from '../../src/db/connect.ts';

const target = process.env.TF_BENCH_DB;
if (!target) throw new Error('TF_BENCH_DB is not set');
const conn = connect(
  target.startsWith('postgres') ? { databaseUrl: target } : { sqliteFile: target },
);
const app = await buildApp({
  db: conn.db,
  dialect: conn.dialect,
  now: () => new Date(),
  logger: false,
});
await app.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(`${JSON.stringify({ port: (app.server.address() as AddressInfo).port })}\n`);
const stop = async () => {
  await app.close();
  await conn.close();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
