#!/usr/bin/env node
// Launcher for `npx targetflow …`: runs the TypeScript entry point through tsx, so there is no
// build step. Paths resolve from this file, so it works from any working directory.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

const main = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
// tsx's package entry is its loader; as a file URL so --import also accepts it on Windows.
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const child = spawn(process.execPath, ['--import', tsx, main, ...process.argv.slice(2)], { stdio: 'inherit' });
// The child gets Ctrl-C from the terminal itself; forward SIGTERM (e.g. from a supervisor) too.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => {
  if (signal) process.kill(process.pid, signal);
  else process.exit(code ?? 1);
});
