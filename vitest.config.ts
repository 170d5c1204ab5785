// Two test files at a time, slowest first, so the files that mostly wait (stale locks, child
// processes, Retry-After) run beside the CPU-bound ones instead of one after another.
import path from 'node:path';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Files known to take seconds, in the order they should start. CI runs on a fresh clone with no
 * duration cache, where vitest would start the largest files first; a small file that waits on
 * stale locks for half a minute would then start last and hold the whole run up.
 */
const SLOW_FIRST: RegExp[] = [
  /^store-concurrency\.test\.ts$/,
  /^slack-home\.test\.ts$/,
  /^replicas-pg\.test\.ts$/,
  /^slack-imports\.test\.ts$/,
  /^cli-ask\.test\.ts$/,
  /^store-open\.test\.ts$/,
  /^import-ons\.test\.ts$/,
  /^digest-delivery\.test\.ts$/,
  /^store-disk-full\.test\.ts$/,
  /^import-limits\.test\.ts$/,
  /^slack-socket-start\.test\.ts$/,
  /^slack-socket-mode\.test\.ts$/,
  /^import-.*hostile.*\.test\.ts$/,
  /^slack-report\.test\.ts$/,
  /^slack-socket-pg\.test\.ts$/,
  /^report-pdf\.test\.ts$/,
];

function slowRank(spec: TestSpecification): number {
  const name = path.basename(spec.moduleId);
  const rank = SLOW_FIRST.findIndex((pattern) => pattern.test(name));
  return rank === -1 ? SLOW_FIRST.length : rank;
}

class SlowFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    // Array.prototype.sort is stable: the rest keep vitest's own order (cached durations, or size).
    return (await super.sort(files)).sort((a, b) => slowRank(a) - slowRank(b));
  }
}

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // The real-bin tests run the compiled build (dist/): rebuild it first when a source is newer.
    globalSetup: ['tests/helpers/fresh-build.ts'],
    // Processes, not threads: node-canvas is not thread-safe, and the chart tests and
    // `ask --chart` in-process draw inside the test worker.
    pool: 'forks',
    // The machines this runs on have 2 cores; more workers only add contention.
    maxWorkers: 2,
    fileParallelism: true,
    // Two files share two cores, so a test that waits on a file watcher or a child process can
    // take several times what it takes alone; a hang still fails, after 15 s instead of 5.
    testTimeout: 15_000,
    sequence: { sequencer: SlowFirst },
  },
});
