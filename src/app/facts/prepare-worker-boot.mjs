// The import worker's entry: registers tsx's loader in this thread (a worker does not inherit the
// main thread's), then loads the TypeScript worker. See prepare-pool.ts.
import { register } from 'tsx/esm/api';

register();
await import('./prepare-worker.ts');
