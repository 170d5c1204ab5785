#!/usr/bin/env node
// `npm start`: runs the Slack bot from the compiled build in dist/, like bin/measures.js.
import { loadBuilt } from './load-built.js';

const { main } = await loadBuilt('measures-bot', 'bot.js');
process.exitCode = await main();
