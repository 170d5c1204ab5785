// Builds the report PDF in a child process running the real CLI against the bot's own store
// file, so the bot's event loop never lays out a page or waits on a chart: answers asked
// meanwhile are served as usual. The child (and its chart workers) run at a lower OS priority.
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { PACKAGE_ROOT } from '../../paths.ts';

export interface BuiltReport {
  file: string;
  quarter: string;
  pages: number;
  improved: number;
  worsened: number;
}

export interface BuildRequest {
  storePath: string;
  asOf: string;
  out: string;
  env?: NodeJS.ProcessEnv;
  /** The whole build may take this long before the child is killed; default two minutes. */
  timeoutMs?: number;
  /** Called as the child's charts are drawn ("charts 12/19" on its stderr). */
  onProgress?: (done: number, total: number) => void;
}

const PROGRESS_LINE = /^charts (\d+)\/(\d+)$/;

/** The child failed: its message (the child's last stderr line) names server paths, so it is for the log only. */
export class ReportBuildError extends Error {
  override name = 'ReportBuildError';
}

const NICENESS = 10;
const BIN = path.join(PACKAGE_ROOT, 'bin', 'measures.js');

export function buildReportInChild(request: BuildRequest): Promise<BuiltReport> {
  const child = spawn(
    process.execPath,
    [BIN, 'report', '--as-of', request.asOf, '--out', request.out, '--format', 'pdf', '--json'],
    {
      env: { ...process.env, ...request.env, MEASURES_STORE: request.storePath, MEASURES_PROGRESS: 'lines' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  if (child.pid !== undefined) {
    try {
      os.setPriority(child.pid, Math.min(19, os.getPriority() + NICENESS));
    } catch {
      // a container may forbid it: the build still runs off the bot's event loop
    }
  }
  let stdout = '';
  let stderr = '';
  let partial = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => {
    const lines = (partial + d.toString()).split('\n');
    partial = lines.pop()!;
    for (const line of lines) {
      const progress = PROGRESS_LINE.exec(line);
      if (progress) request.onProgress?.(Number(progress[1]), Number(progress[2]));
      else stderr += `${line}\n`;
    }
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), request.timeoutMs ?? 120_000);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code !== 0) {
        const why = `${stderr}${partial}`.trim().split('\n').at(-1) ?? '';
        return reject(
          new ReportBuildError(`the report build failed (${signal ?? `exit ${code}`}${why ? `: ${why}` : ''})`),
        );
      }
      try {
        resolve(JSON.parse(stdout.trim().split('\n').at(-1)!) as BuiltReport);
      } catch {
        reject(new ReportBuildError('the report build printed no summary'));
      }
    });
  });
}
