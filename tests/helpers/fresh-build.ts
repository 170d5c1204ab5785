// The bins run the build in dist/. Tests and benches that spawn them must not run a build
// older than the sources, so they call freshBuild() first: it rebuilds (well under a second)
// when a source is newer than the last build, and otherwise only reads some timestamps.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { PACKAGE_ROOT } from '../../src/paths.ts';

/** Dated by every build (scripts/build.js) with the time it started. */
const STAMP = path.join(PACKAGE_ROOT, 'dist', '.built');
const SOURCES = ['src', 'commands', 'scripts/build.js', 'package.json'];

function newestChange(entry: string): number {
  const stat = fs.statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs; // a deleted or renamed file changes its folder
  for (const name of fs.readdirSync(entry)) newest = Math.max(newest, newestChange(path.join(entry, name)));
  return newest;
}

export function buildIsStale(): boolean {
  let builtAt: number;
  try {
    builtAt = fs.statSync(STAMP).mtimeMs;
  } catch {
    return true;
  }
  return SOURCES.some((entry) => newestChange(path.join(PACKAGE_ROOT, entry)) > builtAt);
}

/** Runs `npm run build` when dist/ is missing or older than a source. */
export function freshBuild(log: (message: string) => void = () => undefined): void {
  if (!buildIsStale()) return;
  log('dist/ is older than the sources: building (npm run build)');
  const build = path.join(PACKAGE_ROOT, 'scripts', 'build.js');
  execFileSync(process.execPath, [build], { cwd: PACKAGE_ROOT, stdio: 'inherit', timeout: 120_000 });
}

/** vitest globalSetup: the real-bin tests run what `npm start` and `measures` run. */
export default function setup(): void {
  freshBuild((m) => process.stderr.write(`${m}\n`));
}
