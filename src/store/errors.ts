/** A store that cannot be read or trusted. Commands map it to exit code 1. */
export class StoreError extends Error {
  constructor(
    message: string,
    readonly file: string,
    readonly jsonPath?: string,
  ) {
    super(message);
    this.name = 'StoreError';
  }
}

/** What a user can act on, for the errors a disk gives while the store is written. */
const WRITE_FAILURES: Record<string, string> = {
  ENOSPC: 'no space left on device',
  EDQUOT: 'the disk quota is used up',
  EIO: 'input/output error from the disk',
  EROFS: 'the file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EFBIG: 'the file is too large for the file system',
};

/**
 * The new version is in place but flushing its directory failed, so it may not survive a power
 * cut. Distinct from every earlier failure, after which the old file is still the store.
 */
export class NotDurableError extends Error {
  constructor(override readonly cause: unknown) {
    super(`the new version is in place but may not survive a power cut (${describeFailure(cause)})`);
    this.name = 'NotDurableError';
  }
}

function describeFailure(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return (code && WRITE_FAILURES[code]) ?? firstLine(err instanceof Error ? err.message : String(err));
}

/** A failed durable write as a one-line StoreError that says whether the store changed. */
export function storeWriteError(file: string, err: unknown, doing: 'saving' | 'creating'): StoreError {
  if (err instanceof StoreError) return err;
  if (err instanceof NotDurableError) {
    return new StoreError(
      `${file}: ${describeFailure(err.cause)} after ${doing} the store; the change may not survive a power cut`,
      file,
    );
  }
  return new StoreError(`${file}: ${describeFailure(err)} while ${doing} the store; nothing was changed`, file);
}

function firstLine(text: string): string {
  return text.split('\n')[0]!;
}
