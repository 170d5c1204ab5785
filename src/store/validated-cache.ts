// A read-only command (`measures ask`, `list`, `history`) validates the whole store with zod
// before it answers: loading zod and checking 200 KB is about 80 ms of a 230 ms command, for
// a file that rarely changes between commands. So once a file's exact bytes have passed
// validation, their hash is noted in a private cache; the next read of the same bytes with the
// same schema parses the JSON and skips zod. Any other bytes (a write, a hand edit, a restored
// backup), any change to the schema's source, or any doubt about the cache (missing, someone
// else's, unreadable) means a full validation, as before. Writers and `measures validate` always
// validate in full; this only spares the readers a second check of bytes already checked.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PACKAGE_ROOT } from '../paths.ts';
import type { Store } from './schema.ts';

/** The sources whose rules decide what a valid store is: a change to either is a new schema. */
const SCHEMA_SOURCES = ['src/store/schema.ts', 'src/store/validate.ts'];

const sha256 = (data: string | Uint8Array) => crypto.createHash('sha256').update(data).digest('hex');

let fingerprint: string | null | undefined;
/** A name for the schema this code validates with; null when its sources cannot be read. */
function schemaFingerprint(): string | null {
  if (fingerprint !== undefined) return fingerprint;
  try {
    fingerprint = sha256(SCHEMA_SOURCES.map((f) => fs.readFileSync(path.join(PACKAGE_ROOT, f), 'utf8')).join('\0'));
  } catch {
    fingerprint = null;
  }
  return fingerprint;
}

/**
 * This user's cache folder, created private; null when it is not safe to trust: a folder in
 * the shared temp directory that another user made, or that others can write to.
 */
function cacheDir(): string | null {
  const dir = path.join(os.tmpdir(), `measures-bot-validated-${process.getuid?.() ?? 'user'}`);
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const st = fs.lstatSync(dir);
    const mine = process.getuid === undefined || st.uid === process.getuid();
    return st.isDirectory() && mine && (st.mode & 0o077) === 0 ? dir : null;
  } catch {
    return null;
  }
}

function stampFile(storeFile: string): string | null {
  const dir = cacheDir();
  return dir ? path.join(dir, sha256(storeFile).slice(0, 32)) : null;
}

function stampFor(bytes: Uint8Array): string | null {
  const schema = schemaFingerprint();
  return schema ? `${schema} ${sha256(bytes)}\n` : null;
}

/**
 * The store at `storeFile` (a resolved target, not a link) when these exact bytes were
 * validated before under this schema; null otherwise, and then the caller validates.
 */
export function readValidatedBefore(storeFile: string): Store | null {
  try {
    const stamp = stampFile(storeFile);
    if (!stamp) return null;
    const bytes = fs.readFileSync(storeFile);
    const expected = stampFor(bytes);
    if (!expected || fs.readFileSync(stamp, 'utf8') !== expected) return null;
    // The same decoding the validating read uses (a BOM is dropped); the bytes are known to be UTF-8.
    return JSON.parse(new TextDecoder('utf-8').decode(bytes)) as Store;
  } catch {
    return null;
  }
}

/**
 * Notes that `bytes`, the content of `storeFile`, passed validation as `store`. Only bytes that
 * are exactly what the store serializes to are noted: their plain JSON parse then equals the
 * validated store (defaults filled in, nothing to add). Never throws: a cache that cannot be
 * written only means the next read validates again.
 */
export function rememberValidated(storeFile: string, bytes: Uint8Array, canonical: boolean): void {
  if (!canonical) return;
  try {
    const stamp = stampFile(storeFile);
    const content = stampFor(bytes);
    if (!stamp || !content) return;
    const temp = `${stamp}.${process.pid}.tmp`;
    fs.writeFileSync(temp, content, { mode: 0o600 });
    fs.renameSync(temp, stamp);
  } catch {
    // Best effort, as above.
  }
}
