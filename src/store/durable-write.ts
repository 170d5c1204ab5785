// Writes that survive a crash at any instant: a reader (or the next process after a
// SIGKILL or power cut) sees the old document or the new one, never a torn one.
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

/** Temp files are named after the target so a later writer can sweep orphans left by a killed one. */
export function tempNameFor(file: string, purpose: 'write' | 'seed'): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${purpose}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

export function backupPathFor(file: string): string {
  return `${file}.bak`;
}

function writeAndSync(file: string, text: string): void {
  const fd = fs.openSync(file, 'wx', 0o644);
  try {
    fs.writeSync(fd, text);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
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
}

/**
 * temp file → fsync → (hard-link the old version to .bak) → rename over the file → fsync the
 * directory. Only the rename makes the new version visible, and it is atomic. The file data and
 * the fsyncs run on libuv's thread pool, so a long-running process (the bot) keeps serving
 * while the disk catches up; the cheap metadata steps (backup link, rename) stay synchronous,
 * which keeps beforeRename's checks next to the rename.
 */
export async function writeFileDurably(file: string, text: string, options: DurableWriteOptions = {}): Promise<void> {
  const dir = path.dirname(file);
  await fsp.mkdir(dir, { recursive: true });
  const tmp = tempNameFor(file, 'write');
  try {
    const handle = await fsp.open(tmp, 'wx', 0o644);
    try {
      await handle.writeFile(text);
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (options.backup) keepBackup(file);
    options.beforeRename?.();
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
  const dirHandle = await fsp.open(dir, 'r');
  try {
    await dirHandle.sync();
  } finally {
    await dirHandle.close();
  }
}

/** The backup is a second name for the old file's inode, swapped in atomically; the old data is never copied or rewritten. */
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
 * got there first. Returns false in that case (their file is as good as ours).
 */
export function createFileDurably(file: string, text: string): boolean {
  const dir = path.dirname(file);
  fs.mkdirSync(dir, { recursive: true });
  const tmp = tempNameFor(file, 'seed');
  try {
    writeAndSync(tmp, text);
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
    fs.rmSync(tmp, { force: true });
  }
  fsyncDir(dir);
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
    else if (name.startsWith(seedPrefix) && (fs.statSync(full, { throwIfNoEntry: false })?.mtimeMs ?? Infinity) < seedCutoff) {
      fs.rmSync(full, { force: true });
    }
  }
}
