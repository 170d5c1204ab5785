// Temp store files and an in-process CLI runner for the store, update and history tests.
import fs from 'node:fs';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { runCli } from '../../commands/cli.ts';
import { serializeStore } from '../../src/store/file-store.ts';
import { PACKAGE_ROOT } from '../../src/paths.ts';
import type { Store } from '../../src/store/schema.ts';
import { seedStore, tempDir } from './seed.ts';

/** A fresh copy of the bundled report in its own temp directory; returns the store file's path. */
export function tempStoreFile(mutate?: (store: Store) => void): string {
  const store = seedStore();
  mutate?.(store);
  const file = path.join(tempDir('measures-store-'), 'store.json');
  fs.writeFileSync(file, serializeStore(store));
  return file;
}

/** Makes `user` follow measure `measureId` in a store being prepared (tempStoreFile's mutate). */
export function addFollow(store: Store, user: string, measureId: string): void {
  store.follows.push({
    user,
    target: { kind: 'measure', id: measureId },
    mode: 'follow',
    since: '2026-11-01T00:00:00.000Z',
  });
}

export function readStoreJson(file: string): Store {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Store;
}

export interface InProcessResult {
  code: number;
  out: string;
  err: string;
}

/** Runs `measures …` in this process (fast), against the given store file. */
export async function measuresInProcess(argv: string[], storeFile: string): Promise<InProcessResult> {
  let out = '';
  let err = '';
  const code = await runCli(argv, {
    out: (t) => (out += t.endsWith('\n') ? t : `${t}\n`),
    err: (t) => (err += t.endsWith('\n') ? t : `${t}\n`),
    env: { ...process.env, MEASURES_STORE: storeFile },
  });
  return { code, out, err };
}

/** Starts the real bin as a child process, as a user or the bot's host would. */
export function spawnMeasures(args: string[], storeFile: string, env: NodeJS.ProcessEnv = {}): ChildProcess {
  return spawn(process.execPath, [path.join(PACKAGE_ROOT, 'bin', 'measures.js'), ...args], {
    env: { ...process.env, MEASURES_STORE: storeFile, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export function exitOf(child: ChildProcess): Promise<Exit> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
}
