// Runs an upload's dry run off the main loop and posts its preview in the thread, with Apply
// and Cancel when there is something to apply. The pending upload is saved with what the
// preview showed, so Apply can tell whether the store has changed since.
import path from 'node:path';
import { previewKey, type ImportPreview } from '../../import/preview.ts';
import type { DryRunResult } from '../../import/worker/job.ts';
import { dryRunOffLoop } from '../../import/worker/off-loop.ts';
import type { PendingImport } from '../../store/index.ts';
import type { DeliveryContext } from '../post-answer.ts';
import { escapeMrkdwn } from '../views/block-kit.ts';
import { previewMessage } from '../views/import-preview-blocks.ts';
import { putPending } from './pending.ts';

/** The dry run of a pending upload against the store as it is now. */
export function dryRun(ctx: DeliveryContext, pending: PendingImport): Promise<DryRunResult> {
  return dryRunOffLoop({
    kind: pending.kind,
    paths: [pending.path],
    files: [{ name: pending.fileName, sha256: pending.sha256 }],
    measureId: pending.measureId,
    store: ctx.deps.store.snapshot(),
    now: ctx.deps.now().toISOString(),
    author: pending.user,
  });
}

export async function say(ctx: DeliveryContext, pending: Pick<PendingImport, 'channel' | 'threadTs'>, text: string) {
  return ctx.client.chat.postMessage({
    channel: pending.channel,
    thread_ts: pending.threadTs,
    text,
    unfurl_links: false,
    unfurl_media: false,
  });
}

/**
 * Previews the pending upload in its thread. With a result given (Apply found the preview
 * changed), that dry run is shown rather than run again.
 */
export async function postPreview(
  ctx: DeliveryContext,
  pending: PendingImport,
  options: { note?: string; result?: DryRunResult } = {},
): Promise<ImportPreview | null> {
  const result = options.result ?? (await dryRun(ctx, pending));
  if (!result.ok && 'error' in result) {
    ctx.log.error(`dry run of ${pending.fileName} (${pending.id}) failed: ${result.error}`);
    await say(
      ctx,
      pending,
      `I could not read ${escapeMrkdwn(pending.fileName)}: ${escapeMrkdwn(result.error)}. Nothing was changed.`,
    );
    return null;
  }
  const preview = result.ok ? result.outcome.preview : result.preview;
  const applicable = result.ok && preview.changes > 0;
  // Saved before the preview is posted, so its buttons work as soon as anyone can click them.
  const saved: PendingImport = {
    ...pending,
    status: applicable ? 'previewed' : 'cancelled',
    previewKey: previewKey(preview),
  };
  await ctx.deps.store.mutate((draft) => putPending(draft, saved, ctx.deps.now()));
  const message = previewMessage(preview, pending.id, { note: options.note, expiresAt: pending.expiresAt });
  const posted = await ctx.client.chat.postMessage({
    channel: pending.channel,
    thread_ts: pending.threadTs,
    ...message,
    unfurl_links: false,
    unfurl_media: false,
  });
  ctx.log.info(
    `preview of ${pending.fileName} (${pending.kind}${pending.measureId ? ` for ${pending.measureId}` : ''}) ` +
      `posted in ${pending.channel}:${pending.threadTs}: ` +
      (preview.refusal ? `refused: ${preview.refusal.problem}` : `${preview.changes} changes`),
  );
  if (posted.ts && applicable) {
    // Where the buttons are, so Apply and Cancel can settle the message after a restart too.
    await ctx.deps.store.mutate((draft) => {
      const current = draft.pendingImports.find((p) => p.id === pending.id);
      if (current) current.previewTs = posted.ts;
    });
  }
  return preview;
}

/** A temp directory per upload, named by its pending id. */
export function uploadDir(root: string, id: string): string {
  return path.join(root, id);
}
