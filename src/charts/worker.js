// Entry of a chart worker process run from the TypeScript sources (tests, tsx); the compiled
// build starts compiled-worker.ts instead. A fresh process has no TypeScript loader unless
// started with --import tsx, so register tsx's first, then load the worker body.
import { register } from 'tsx/esm/api';

register();
await import('./render-worker.ts');
