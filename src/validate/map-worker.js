// Worker thread entry: registers tsx so the TypeScript map stage loads the same way in a
// worker as in the main thread (worker threads do not inherit the parent's module hooks).
import { register } from 'tsx/esm/api';

register();
await import('./map-worker.ts');
