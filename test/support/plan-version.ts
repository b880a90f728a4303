import type { AppHarness } from './app.ts';

/**
 * The plan version's current `version`, as the admin reads it: whole-version writes (lenses,
 * commit, workflow) must send the version they read, like the web client does.
 */
export async function versionOf(call: AppHarness['call'], versionId: number): Promise<number> {
  const res = await call('admin', 'GET', `/api/plan-versions/${versionId}`);
  if (res.statusCode !== 200)
    throw new Error(`version ${versionId}: ${res.statusCode} ${res.body}`);
  return res.json().version as number;
}
