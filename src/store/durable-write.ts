// Writes that survive a crash at any instant: a reader (or the next process after a
// SIGKILL or power cut) sees the old document or the new one, never a torn one.
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { NotDurableError } from './errors.ts';

/** Temp files are named after the target so a later writer can sweep orphans left by a killed one. */
export function tempNameFor(file: string, purpose: 'write' | 'seed'): string {
  return path.join(
    path.dirname(file),
    `.${path.basename(file)}.${purpose}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`,
  );
}

export function backupPathFor(file: string): string {
  return `${file}.bak`;
}

/** An open temp file on the async path; node's FileHandle is one. */
export interface WritableFile {
  write(data: Uint8Array, offset: number, length: number): Promise<{ bytesWritten: number }>;
  sync(): Promise<void>;
  stat(): Promise<{ size: number }>;
  close(): Promise<void>;
}

/**
 * The file-data operations of a durable write. write(2) may take fewer bytes than asked (a
 * nearly full disk does exactly that before failing with ENOSPC) and a disk may fail with EIO
 * part-way, so the writers below never trust a single call; tests substitute layers that
 * misbehave in those ways.
 */
export interface FileLayer {
  openSync(file: string, flags: string, mode: number): number;
  writeSync(fd: number, data: Uint8Array, offset: number, length: number): number;
  fsyncSync(fd: number): void;
  fstatSync(fd: number): { size: number };
  closeSync(fd: number): void;
  open(file: string, flags: string, mode: number): Promise<WritableFile>;
}

/** node:fs, looked up at each call so the layer always reaches the real module. */
export const nodeFiles: FileLayer = {
  openSync: (file, flags, mode) => fs.openSync(file, flags, mode),
  writeSync: (fd, data, offset, length) => fs.writeSync(fd, data, offset, length),
  fsyncSync: (fd) => fs.fsyncSync(fd),
  fstatSync: (fd) => fs.fstatSync(fd),
  closeSync: (fd) => fs.closeSync(fd),
  open: (file, flags, mode) => fsp.open(file, flags, mode),
};

/** A write that made no progress, or a file shorter than what was written: never let it replace the store. */
export class ShortWriteError extends Error {
  readonly code = 'ESHORTWRITE';
  constructor(written: number, expected: number) {
    super(`the disk wrote only ${written} of ${expected} bytes`);
    this.name = 'ShortWriteError';
  }
}

/** Each call must make progress, so the loop ends within bytes.length iterations. */
function writeAllSync(files: FileLayer, fd: number, bytes: Uint8Array): void {
  let offset = 0;
  while (offset < bytes.length) {
    const n = files.writeSync(fd, bytes, offset, bytes.length - offset);
    if (!(n > 0)) throw new ShortWriteError(offset, bytes.length);
    offset += n;
  }
}

async function writeAll(handle: WritableFile, bytes: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < bytes.length) {
    const { bytesWritten } = await handle.write(bytes, offset, bytes.length - offset);
    if (!(bytesWritten > 0)) throw new ShortWriteError(offset, bytes.length);
    offset += bytesWritten;
  }
}

/** After the fsync, the file must hold every byte: a layer that miscounted is caught here, before the rename. */
function checkSize(size: number, expected: number): void {
  if (size !== expected) throw new ShortWriteError(size, expected);
}

function writeAndSync(file: string, bytes: Uint8Array, files: FileLayer): void {
  const fd = files.openSync(file, 'wx', 0o644);
  try {
    writeAllSync(files, fd, bytes);
    files.fsyncSync(fd);
    checkSize(files.fstatSync(fd).size, bytes.length);
  } finally {
    files.closeSync(fd);
  }
}

/** The error that stopped the write is the one worth reporting; a temp file left behind is swept by the next writer. */
function removeQuietly(tmp: string): void {
  try {
    fs.rmSync(tmp, { force: true });
  } catch {
    // swept later
  }
}

export function fsyncDir(dir: string): void {
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

export interface DurableWriteOptions {
  /** Keep the replaced version as `<file>.bak`. */
  backup?: boolean;
  /** Called after the temp file is durable and before it replaces the file; throwing aborts the write. */
  beforeRename?: () => void;
  /** Where the file data goes; node:fs unless a test injects a failing disk. */
  files?: FileLayer;
}

/**
 * temp file (every byte, size checked) → fsync → (hard-link the old version to .bak) → rename
 * over the file → fsync the directory. Only the rename makes the new version visible, and it
 * is atomic. The file data and the fsyncs run on libuv's thread pool, so a long-running
 * process (the bot) keeps serving while the disk catches up; the cheap metadata steps (backup
 * link, rename) stay synchronous, which keeps beforeRename's checks next to the rename.
 * Any failure up to the rename leaves the old file in place and no temp file; a failure to
 * flush the directory after it is a NotDurableError.
 */
export async function writeFileDurably(file: string, text: string, options: DurableWriteOptions = {}): Promise<void> {
  const dir = path.dirname(file);
  await fsp.mkdir(dir, { recursive: true });
  const tmp = tempNameFor(file, 'write');
  const bytes = Buffer.from(text, 'utf8');
  try {
    const handle = await (options.files ?? nodeFiles).open(tmp, 'wx', 0o644);
    try {
      await writeAll(handle, bytes);
      await handle.sync();
      checkSize((await handle.stat()).size, bytes.length);
    } finally {
      await handle.close();
    }
    if (options.backup) keepBackup(file);
    options.beforeRename?.();
    fs.renameSync(tmp, file);
  } catch (err) {
    removeQuietly(tmp);
    throw err;
  }
  try {
    const dirHandle = await fsp.open(dir, 'r');
    try {
      await dirHandle.sync();
    } finally {
      await dirHandle.close();
    }
  } catch (err) {
    throw new NotDurableError(err);
  }
}

/**
 * The backup is a second name for the old file's inode, swapped in atomically; the old data is
 * never copied or rewritten.
 */
function keepBackup(file: string): void {
  const backup = backupPathFor(file);
  const staging = `${backup}.${process.pid}.tmp`;
  fs.rmSync(staging, { force: true });
  try {
    fs.linkSync(file, staging);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return; // first write: nothing to keep
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EXDEV') throw err;
    fs.copyFileSync(file, staging); // file systems without hard links
  }
  fs.renameSync(staging, backup);
  // rename() does nothing when both names already share one inode (a writer killed after
  // its backup step and before its rename leaves exactly that), so drop the staging name.
  fs.rmSync(staging, { force: true });
}

/**
 * Creates `file` with `text` only if it does not exist yet, atomically: the content is made
 * durable under a temp name and then hard-linked into place, which fails if another process
 * got there first. Returns false in that case (their file is as good as ours). A short or
 * failed write throws before the link, leaving no file.
 */
export function createFileDurably(file: string, text: string, files: FileLayer = nodeFiles): boolean {
  const dir = path.dirname(file);
  fs.mkdirSync(dir, { recursive: true });
  const tmp = tempNameFor(file, 'seed');
  try {
    writeAndSync(tmp, Buffer.from(text, 'utf8'), files);
    try {
      fs.linkSync(tmp, file);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') return false;
      if (code !== 'EPERM' && code !== 'ENOTSUP') throw err;
      // No hard links here: an exclusive copy still never overwrites another process's file.
      try {
        fs.copyFileSync(tmp, file, fs.constants.COPYFILE_EXCL);
      } catch (copyErr) {
        if ((copyErr as NodeJS.ErrnoException).code === 'EEXIST') return false;
        throw copyErr;
      }
    }
  } finally {
    removeQuietly(tmp);
  }
  try {
    fsyncDir(dir);
  } catch (err) {
    throw new NotDurableError(err);
  }
  return true;
}

/** Removes temp files of writers that were killed mid-write. Call only while holding the store lock. */
export function sweepOrphanedTempFiles(file: string): void {
  const dir = path.dirname(file);
  const writePrefix = `.${path.basename(file)}.write.`;
  const seedPrefix = `.${path.basename(file)}.seed.`;
  // Seed files are written without the lock, so only old ones are certainly orphans.
  const seedCutoff = Date.now() - 60_000;
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.endsWith('.tmp')) continue;
    const full = path.join(dir, name);
    if (name.startsWith(writePrefix)) fs.rmSync(full, { force: true });
    else if (
      name.startsWith(seedPrefix) &&
      (fs.statSync(full, { throwIfNoEntry: false })?.mtimeMs ?? Infinity) < seedCutoff
    ) {
      fs.rmSync(full, { force: true });
    }
  }
}
