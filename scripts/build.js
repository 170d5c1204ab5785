// `npm run build` (and `prepare`, which `npm ci` runs): bundles the CLI, the bot and the chart
// worker into dist/, so a command starts by loading a few files instead of compiling
// TypeScript (tsx) or resolving a hundred modules. tsc only type-checks (`npm run typecheck`).
//
// zod and luxon, which every answer needs, are bundled: zod alone is some 90 ES modules, and
// loading them one by one was a fifth of `measures ask`'s start-up. The other packages stay in
// node_modules: they load only on the paths that need them (charts, Slack, imports), and
// canvas is native.
//
// Every output file sits in dist/ itself, entries and shared chunks alike, so code that finds
// files from import.meta.url (the package root, the chart worker) sees one depth.
import fs from 'node:fs';
import { URL } from 'node:url';
import { build } from 'esbuild';

const ROOT = new URL('../', import.meta.url);
const BUNDLED = new Set(['zod', 'luxon']);
const { dependencies } = JSON.parse(fs.readFileSync(new URL('package.json', ROOT), 'utf8'));

const startedAt = new Date();
fs.rmSync(new URL('dist/', ROOT), { recursive: true, force: true });
await build({
  absWorkingDir: new URL('.', ROOT).pathname,
  entryPoints: {
    cli: 'commands/cli.ts',
    bot: 'src/slack/main.ts',
    'compiled-worker': 'src/charts/compiled-worker.ts',
    'import-worker': 'src/import/worker/worker.ts',
  },
  outdir: 'dist',
  chunkNames: '[name]-[hash]',
  bundle: true,
  splitting: true, // each verb, the charts and the importers stay their own lazily loaded files
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: Object.keys(dependencies).filter((name) => !BUNDLED.has(name)),
  // Stack traces name the TypeScript sources (the bins turn source maps on). Mappings only:
  // the sources themselves are in the repository, and a smaller map loads faster.
  sourcemap: 'linked',
  sourcesContent: false,
  logLevel: 'warning',
});
// When this build started: tests and benches rebuild when a source is newer (tests/helpers/fresh-build.ts).
fs.writeFileSync(new URL('dist/.built', ROOT), '');
fs.utimesSync(new URL('dist/.built', ROOT), startedAt, startedAt);
