// Runs `measures import …` in a child process and reports its exit, time and peak RSS.
// Not a test file: tests/import-limits.test.ts uses it.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { PACKAGE_ROOT } from '../src/paths.ts';

export interface MeasuredRun {
  code: number | null;
  /** Killed at the timeout: the numbers are a floor. */
  timedOut: boolean;
  stderr: string;
  seconds: number;
  peakRssMB: number | null;
}

/**
 * The real CLI dispatcher in a fresh node, which prints its own peak RSS (getrusage maxRSS,
 * in KB) as it exits, so the figure belongs to this import alone. On a timeout the child is
 * killed and the peak is read from /proc (VmHWM) just before.
 */
export function measureImport(
  args: string[],
  store: string,
  timeoutMs: number,
  env: NodeJS.ProcessEnv = {},
): Promise<MeasuredRun> {
  const cli = pathToFileURL(path.join(PACKAGE_ROOT, 'commands', 'cli.ts')).href;
  const code = [
    `const { runCli } = await import(${JSON.stringify(cli)});`,
    `process.on('exit', () => process.stderr.write('\\nPEAK_RSS_KB ' + process.resourceUsage().maxRSS + '\\n'));`,
    'process.exitCode = await runCli(process.argv.slice(1));',
  ].join('\n');
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code, ...args], {
    cwd: PACKAGE_ROOT,
    env: { ...process.env, MEASURES_STORE: store, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (t: string) => (stderr += t));
  return new Promise((resolve, reject) => {
    let timedOut = false;
    let hwmKB: number | null = null;
    const timer = setTimeout(async () => {
      timedOut = true;
      hwmKB = await vmHwmKB(child.pid!);
      child.kill('SIGKILL');
    }, timeoutMs);
    child.once('error', reject);
    child.once('close', (exit) => {
      clearTimeout(timer);
      const reported = /PEAK_RSS_KB (\d+)/.exec(stderr)?.[1];
      const kb = reported ? Number(reported) : hwmKB;
      resolve({
        code: exit,
        timedOut,
        stderr: stderr.replace(/\n?PEAK_RSS_KB \d+\n/, ''),
        seconds: (performance.now() - started) / 1000,
        peakRssMB: kb === null ? null : kb / 1024,
      });
    });
  });
}

async function vmHwmKB(pid: number): Promise<number | null> {
  const fs = await import('node:fs');
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}
