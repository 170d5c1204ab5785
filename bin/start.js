#!/usr/bin/env node
// `npm start`: runs the Slack bot from the TypeScript sources through tsx, like bin/measures.js.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/slack/main.ts');
process.exitCode = await main();
