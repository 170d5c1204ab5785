// What listeners need besides Bolt's own arguments. Built once in app.ts.
import type { Logger } from '@slack/bolt';
import type { AnalystDirectory } from './analysts.ts';
import type { MeasuresStore } from '../store/index.ts';
import type { ChartRenderer } from './charts.ts';
import type { DigestRuntime } from './digest/runtime.ts';
import type { MessageRedraws } from './message-redraws.ts';
import type { ThreadBinder } from './thread-bindings.ts';
import type { WorkTracker } from './after-ack.ts';

/** The chart last shown in a bot message, so a refresh with an unchanged chart re-uses the file. */
export interface SharedChart {
  fileId: string;
  /** chartDigest of the PNG in that file. */
  digest: string;
}

export interface SlackDeps {
  store: MeasuresStore;
  charts: ChartRenderer;
  bindings: ThreadBinder;
  logger: Logger;
  /** Keyed by `${channel}:${ts}`; in memory only (after a restart a refresh uploads again). */
  sharedCharts: Map<string, SharedChart>;
  /** One queue of chat.update per bot message (the first chart, refreshes after updates). */
  redraws: MessageRedraws;
  /** Work after an ack; SIGTERM drains it. */
  work: WorkTracker;
  /** The clock for answers (stale-data notes) and updates; tests pin it. */
  now: () => Date;
  /** Who may update measures from Slack. With no ANALYSTS or group, nobody may. */
  analysts: AnalystDirectory;
  /**
   * The weekly digest, for `/measures digest`. main.ts sets it once the app has started (the
   * digest reuses the app's client); null until then, after shutdown began, and in tests without it.
   */
  digest: DigestRuntime | null;
}
