#!/usr/bin/env node
// Runs the TypeScript sources through tsx, so the bin never drifts from src/.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../commands/cli.ts');
process.exitCode = await runCli(process.argv.slice(2));
