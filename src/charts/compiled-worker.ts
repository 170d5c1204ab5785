// Entry of a chart worker process in the compiled build (worker.js is the entry from the
// TypeScript sources). Source maps go on before the body loads, so a render failure's stack,
// which the worker sends back to the bot's log, names the TypeScript sources.
process.setSourceMapsEnabled(true);
await import('./render-worker.ts');
