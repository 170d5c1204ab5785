// What both bins share: load a module of the compiled build, with stack traces that name the
// TypeScript sources, and one line instead of a stack trace when there is no build yet.
import fs from 'node:fs';
import { URL, fileURLToPath } from 'node:url';

/** Imports dist/<file>; exits 1 with one line naming the fix when it has not been built. */
export async function loadBuilt(name, file) {
  const url = new URL(`../dist/${file}`, import.meta.url);
  if (!fs.existsSync(url)) {
    process.stderr.write(`${name}: ${fileURLToPath(url)} is missing; build it with \`npm run build\`\n`);
    process.exit(1);
  }
  // Before the import: Node reads a module's source map only if this is on when it loads.
  process.setSourceMapsEnabled(true);
  return import(url.href);
}
