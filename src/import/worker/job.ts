// One dry run of an import against a store snapshot: what the worker process runs, and what a
// test can run in-process. Nothing is saved: the store here is the snapshot, copied per merge.
import path from 'node:path';
import type { MeasuresStore, Store } from '../../store/index.ts';
import { ImportRefusal } from '../refusal.ts';
import { refusedPreview, type ImportKind, type ImportPreview } from '../preview.ts';
import { trackImport, type ImportOutcome } from '../tracked.ts';

export interface DryRunJob {
  kind: ImportKind;
  /** Files on this machine (the bot's temp copies of uploads). */
  paths: string[];
  /** Their names as the analyst knows them, and sha256. */
  files: { name: string; sha256: string | null }[];
  /** For a series file: the measure it is for. */
  measureId: string | null;
  store: Store;
  /** ISO 8601: the import's clock (which months are in the future; stamped on the entries). */
  now: string;
  author: string;
}

export type DryRunResult =
  | { ok: true; outcome: ImportOutcome }
  /** Refused (file and line in the preview) or nothing to import. */
  | { ok: false; preview: ImportPreview }
  /** A failure that is not the file's fault. */
  | { ok: false; error: string };

export async function runDryRunJob(job: DryRunJob): Promise<DryRunResult> {
  const names = job.files.map((f) => f.name);
  // A store that is only this snapshot: every merge runs on a copy, nothing is kept.
  const snapshotStore = {
    describe: () => 'a snapshot (dry run)',
    snapshot: () => job.store,
    mutate: async <T>(fn: (draft: Store) => T) => fn(structuredClone(job.store)),
    sync: async () => undefined,
    healthy: async () => true,
    problem: () => null,
    close: async () => undefined,
  } as MeasuresStore;
  const tracked = trackImport(snapshotStore, { kind: job.kind, files: job.files, dryRun: true });
  const options = { author: job.author, now: new Date(job.now) };
  try {
    if (job.kind === 'police-uk') {
      const { importPoliceUk } = await import('../run.ts');
      const report = await importPoliceUk(tracked.store, job.paths, options);
      if (!report.applied)
        return {
          ok: false,
          preview: refusedPreview(
            job.kind,
            names,
            new ImportRefusal(names.join(', '), null, report.reason ?? 'nothing to import'),
          ),
        };
    } else if (job.kind === 'ons') {
      const { importOns } = await import('../run.ts');
      await importOns(tracked.store, job.paths, options);
    } else {
      if (!job.measureId) return { ok: false, error: 'a series file needs a measure' };
      const { importSeries } = await import('../run-series.ts');
      await importSeries(tracked.store, job.measureId, job.paths[0]!, options);
    }
  } catch (err) {
    if (err instanceof ImportRefusal) {
      // The files are temp copies under their own names: the refusal names them as the analyst does.
      const local = (text: string) =>
        job.paths.reduce((t, p) => t.split(`${path.dirname(p)}${path.sep}`).join(''), text);
      return {
        ok: false,
        preview: refusedPreview(job.kind, names, new ImportRefusal(local(err.file), err.line, local(err.problem))),
      };
    }
    return { ok: false, error: (err as Error).message };
  }
  const outcome = tracked.outcome();
  return outcome ? { ok: true, outcome } : { ok: false, error: 'the import did not run' };
}
