// What every command needs from the outside world, so tests can run commands in-process.
export interface CommandIO {
  out(text: string): void;
  err(text: string): void;
  env: NodeJS.ProcessEnv;
}

export const EXIT = { ok: 0, storeError: 1, usage: 2, refused: 3 } as const;

export class UsageError extends Error {
  override name = 'UsageError';
}

export const processIO: CommandIO = {
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
  env: process.env,
};
