// Entry of a chart worker process. It runs the TypeScript sources, so register tsx's loader
// first (a fresh process does not have it unless started with --import tsx), then load
// the worker body.
import { register } from 'tsx/esm/api';

register();
await import('./render-worker.ts');
