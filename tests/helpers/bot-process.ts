// Runs the build's `npm start` (bin/start.js) as an admin would, with only the settings a test
// gives it: spawn, not spawnSync, because the fake Slack answers from this process's event loop.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { expect } from 'vitest';
import { PACKAGE_ROOT } from '../../src/paths.ts';
import { tempDir } from './seed.ts';
import { freePort } from './free-port.ts';

export const START = path.join(PACKAGE_ROOT, 'bin', 'start.js');
/** What a bare shell passes on: nothing of this process's own environment leaks into the bot. */
export const BASE_ENV = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' };

export interface BotProcess {
  /** http://127.0.0.1:PORT */
  base: string;
  /** What it has written to stderr (its log) so far. */
  log(): string;
  /** What it has written to stdout so far. */
  out(): string;
  health(): Promise<number | null>;
  /** SIGTERM, as on a deploy; resolves with its exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL if it is still running (for `finally`, so a failed test leaves no bot behind). */
  kill(): void;
}

function spawnStart(env: Record<string, string>) {
  const bot = spawn(process.execPath, [START], {
    env: { ...BASE_ENV, MEASURES_STORE: path.join(tempDir(), 'store.json'), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let log = '';
  bot.stdout.on('data', (d: Buffer) => (out += d.toString()));
  bot.stderr.on('data', (d: Buffer) => (log += d.toString()));
  const exited = new Promise<number | null>((resolve) => bot.on('exit', (code) => resolve(code)));
  return { bot, exited, out: () => out, log: () => log };
}

/** Runs `npm start` until it exits (killed after 45 s), for settings it should refuse. */
export async function runBotProcess(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  const { bot, exited, log } = spawnStart(env);
  const timer = setTimeout(() => bot.kill('SIGKILL'), 45_000);
  const code = await exited;
  clearTimeout(timer);
  return { code, stderr: log() };
}

/**
 * Starts `npm start` on a free port and, unless `ready` is false, waits (30 s at most) until
 * /healthz answers 200. The caller stops it: `stop()` in the test, `kill()` in `finally`.
 */
export async function startBotProcess(
  env: Record<string, string>,
  { ready = true }: { ready?: boolean } = {},
): Promise<BotProcess> {
  const port = await freePort();
  const { bot, exited, out, log } = spawnStart({ ...env, PORT: String(port) });
  const base = `http://127.0.0.1:${port}`;
  const running: BotProcess = {
    base,
    log,
    out,
    health: () =>
      fetch(`${base}/healthz`).then(
        (res) => res.status,
        () => null,
      ),
    stop() {
      bot.kill('SIGTERM');
      return exited;
    },
    kill() {
      if (bot.exitCode === null) bot.kill('SIGKILL');
    },
  };
  if (ready) {
    try {
      await expect.poll(running.health, { timeout: 30_000, interval: 100 }).toBe(200);
    } catch (error) {
      running.kill();
      throw error;
    }
  }
  return running;
}
