// Entry of the import worker process: one dry run per process, then exit. A year of police.uk
// files is seconds of CPU; run here, it never holds up the bot's event loop (acks, answers).
import { runDryRunJob, type DryRunJob } from './job.ts';

process.setSourceMapsEnabled(true);
process.once('message', (job: DryRunJob) => {
  void runDryRunJob(job)
    .catch((err: unknown) => ({ ok: false as const, error: (err as Error).message }))
    .then((result) => process.send!(result, () => process.exit(0)));
});
process.send!({ ready: true });
