// Reads every street file of the MSG forces from the given paths, all or nothing: the first
// malformed file throws ImportRefusal and nothing is returned to apply.
import { ImportRefusal } from '../refusal.ts';
import { expandInputs, type SkippedInput } from './inputs.ts';
import { countStreetRows, type StreetFileCounts } from './street-csv.ts';
import { monthWindow } from './months.ts';

export interface ForceRef {
  slug: string;
  fallsWithin: string;
}

export interface Progress {
  files: number;
  rows: number;
  currentFile: string;
}

export interface PoliceUkRead {
  files: StreetFileCounts[];
  skipped: SkippedInput[];
  rows: number;
}

export async function readPoliceUk(
  paths: string[],
  forces: readonly ForceRef[],
  onProgress: (p: Progress) => void = () => {},
  /** The clock that says which months are in the future (tests set it). */
  now: Date = new Date(),
): Promise<PoliceUkRead> {
  const bySlug = new Map(forces.map((f) => [f.slug, f]));
  const files: StreetFileCounts[] = [];
  const skipped: SkippedInput[] = [];
  // Two files for one force and month would double-count it; refuse rather than guess.
  const seen = new Map<string, string>();
  let rows = 0;
  for await (const item of expandInputs(paths, monthWindow(now))) {
    if ('skipped' in item) {
      skipped.push(item.skipped);
      continue;
    }
    const { file } = item;
    if (file.kind !== 'street') {
      skipped.push({ label: file.label, reason: `${file.kind} file (only street files are counted)` });
      continue;
    }
    const force = bySlug.get(file.force);
    if (!force) {
      skipped.push({ label: file.label, reason: `force "${file.force}" is not in the most similar group` });
      continue;
    }
    const key = `${file.force} ${file.month}`;
    const earlier = seen.get(key);
    if (earlier)
      throw new ImportRefusal(
        file.label,
        null,
        `${file.force} ${file.month} is also given by ${earlier}; give each month once`,
      );
    seen.set(key, file.label);
    const stream = await file.open();
    const counts = await countStreetRows(
      stream,
      { label: file.label, month: file.month, force: file.force, fallsWithin: force.fallsWithin },
      (n) => {
        rows += n;
        onProgress({ files: files.length, rows, currentFile: file.label });
      },
    );
    files.push(counts);
  }
  return { files, skipped, rows };
}
