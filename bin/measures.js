#!/usr/bin/env node
// Runs the TypeScript sources through tsx, so the bin never drifts from src/.
import { register } from 'tsx/esm/api';

register();
// `measures history | head` closes the pipe once head has its lines: the reader is done, which
// is not a failure. Unhandled, that EPIPE would end the command with a stack trace, possibly
// in the middle of a store write. Ignored, the command finishes (writes complete, locks are
// released) and what it still prints goes nowhere.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err) => {
    if (err.code !== 'EPIPE') throw err;
  });
}
const { runCli } = await import('../commands/cli.ts');
process.exitCode = await runCli(process.argv.slice(2));
