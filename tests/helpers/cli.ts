import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { runCli } from '../../commands/cli.ts';
import { PACKAGE_ROOT } from '../../src/paths.ts';
import { measuresInProcess } from './store-temp.ts';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real `measures` bin, as a user would, against the store file given. */
export function runMeasures(args: string[], store: string, env: NodeJS.ProcessEnv = {}): CliResult {
  const r = spawnSync(process.execPath, [path.join(PACKAGE_ROOT, 'bin', 'measures.js'), ...args], {
    env: { ...process.env, MEASURES_STORE: store, ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/**
 * `measures …` through runCli in this process, as the bin runs it but without a node + tsx
 * start-up; same result as runMeasures (output lines end in "\n" as processIO writes them).
 */
export async function runMeasuresInProcess(args: string[], store: string): Promise<CliResult> {
  const r = await measuresInProcess(args, store);
  return { code: r.code, stdout: r.out, stderr: r.err };
}

/**
 * `measures …` through runCli in this process with only the settings given: none of this
 * process's environment, so a developer's own MEASURES_NOW or MEASURES_STORE cannot change a test.
 */
export async function runMeasuresWithEnv(args: string[], env: Record<string, string>): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    out: (t) => (stdout += `${t}\n`),
    err: (t) => (stderr += `${t}\n`),
    env,
  });
  return { code, stdout, stderr };
}
