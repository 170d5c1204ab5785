// Entry of a chart worker process in the compiled build (from the TypeScript sources the
// service starts render-worker.ts under tsx instead). Source maps go on before the body loads,
// so a render failure's stack, which the worker sends back to the bot's log, names the sources.
process.setSourceMapsEnabled(true);
await import('./render-worker.ts');
