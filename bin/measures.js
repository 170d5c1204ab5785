#!/usr/bin/env node
// `measures …`: runs the compiled build in dist/ (`npm run build`; `npm ci` runs it through
// `prepare`), so a command starts without compiling TypeScript first.
import { loadBuilt } from './load-built.js';

// `measures history | head` closes the pipe once head has its lines: the reader is done, which
// is not a failure. Unhandled, that EPIPE would end the command with a stack trace, possibly
// in the middle of a store write. Ignored, the command finishes (writes complete, locks are
// released) and what it still prints goes nowhere.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err) => {
    if (err.code !== 'EPIPE') throw err;
  });
}
const { runCli } = await loadBuilt('measures', 'cli.js');
process.exitCode = await runCli(process.argv.slice(2));
