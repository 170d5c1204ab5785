// police.uk archive file names: YYYY-MM-<force-slug>-<kind>.csv (police-data.md §1).

export type PoliceUkFileKind = 'street' | 'outcomes' | 'stop-and-search';

export interface PoliceUkFileName {
  month: string;
  force: string;
  kind: PoliceUkFileKind;
}

const FILE_NAME = /^(\d{4}-\d{2})-([a-z0-9]+(?:-[a-z0-9]+)*?)-(street|outcomes|stop-and-search)\.csv$/;
export const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/**
 * Parses a base name. Returns null for names that are not police.uk files at all, and
 * { month: invalid } is impossible: a name whose month is not a real month comes back
 * with badMonth set so the caller can refuse it rather than skip it.
 */
export function parsePoliceUkFileName(base: string): (PoliceUkFileName & { badMonth: boolean }) | null {
  const m = FILE_NAME.exec(base);
  if (!m) return null;
  const [, month, force, kind] = m as unknown as [string, string, string, PoliceUkFileKind];
  return { month, force, kind, badMonth: !MONTH.test(month) };
}
