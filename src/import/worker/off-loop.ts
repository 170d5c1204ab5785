// Runs an import's dry run in a child process, so the bot's event loop stays free to ack and
// answer while a file is read and merged. One process per job: uploads are rare, and a fresh
// process gives back all the memory a large file took. From the TypeScript sources (tests) the
// worker runs under tsx's loader; the build in dist/ starts import-worker.js.
import { fork } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { DryRunJob, DryRunResult } from './job.ts';

const FROM_SOURCES = import.meta.url.endsWith('.ts');
const WORKER_ENTRY = fileURLToPath(new URL(FROM_SOURCES ? './worker.ts' : './import-worker.js', import.meta.url));
const EXEC_ARGV = FROM_SOURCES ? ['--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href] : [];

/** A dry run may take this long (a year of street files is a few seconds) before the worker is stopped. */
export const DRY_RUN_TIMEOUT_MS = 120_000;

/** Dry runs at once; more wait their turn, so a burst of uploads cannot fork a process each. */
export const MAX_DRY_RUNS = 2;
let running = 0;
const waiting: (() => void)[] = [];

export async function dryRunOffLoop(job: DryRunJob, timeoutMs = DRY_RUN_TIMEOUT_MS): Promise<DryRunResult> {
  if (running >= MAX_DRY_RUNS) await new Promise<void>((resolve) => waiting.push(resolve));
  running += 1;
  try {
    return await runInChild(job, timeoutMs);
  } finally {
    running -= 1;
    waiting.shift()?.();
  }
}

function runInChild(job: DryRunJob, timeoutMs: number): Promise<DryRunResult> {
  return new Promise((resolve) => {
    const child = fork(WORKER_ENTRY, [], {
      serialization: 'advanced',
      execArgv: EXEC_ARGV,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let done = false;
    const finish = (result: DryRunResult) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (child.exitCode === null) child.kill();
      resolve(result);
    };
    const timer = setTimeout(
      () => finish({ ok: false, error: `the import took longer than ${timeoutMs / 1000} s and was stopped` }),
      timeoutMs,
    );
    child.on('message', (message: DryRunResult | { ready: true }) => {
      if ('ready' in message) child.send(job);
      else finish(message);
    });
    child.on('error', (err) => finish({ ok: false, error: `the import worker failed: ${err.message}` }));
    child.on('exit', (code, signal) =>
      finish({ ok: false, error: `the import worker stopped (${signal ?? `exit ${code}`}) before it answered` }),
    );
  });
}
