// Apply, Cancel and the measure select under an upload's preview. Only analysts may use them;
// anyone else is told privately. Apply dry-runs the file again against the store as it is now:
// if the preview would differ, a new preview is posted instead; otherwise the dry run's exact
// figures are written in one locked write (refused as stale if the store moved meanwhile).
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { App, BlockAction, ButtonAction, StaticSelectAction } from '@slack/bolt';
import { applyImportOutcome, PreviewStale } from '../../../import/apply-outcome.ts';
import { previewKey } from '../../../import/preview.ts';
import { findThreadBinding, type PendingImport } from '../../../store/index.ts';
import type { SlackDeps } from '../../app.ts';
import { refreshAfterUpdate } from '../messages/refresh-after-update.ts';
import { type DeliveryContext, replyPrivately } from '../../post-answer.ts';
import { slackErrorReason } from '../../slack-errors.ts';
import { type Block, escapeMrkdwn, mention, section } from '../../views/block-kit.ts';
import { plainMessage } from '../../views/ephemeral-blocks.ts';
import {
  appliedText,
  IMPORT_APPLY_ACTION,
  IMPORT_CANCEL_ACTION,
  IMPORT_MEASURE_ACTION,
  settledPreview,
} from '../../views/import-preview-blocks.ts';
import { fetchSlackFile } from '../../imports/fetch-file.ts';
import { findPending, isExpired, putPending, sweepUploads } from '../../imports/pending.ts';
import { dryRun, postPreview, say } from '../../imports/preview-post.ts';
import { afterClickAck, BESIDE, type ClickArgs, clickedValue } from './click.ts';

class PreviewSettled extends Error {
  override name = 'PreviewSettled';
}

export function register(app: App, deps: SlackDeps): void {
  app.action<BlockAction<ButtonAction>>({ type: 'block_actions', action_id: IMPORT_APPLY_ACTION }, (args) =>
    clicked(deps, args, 'apply', apply),
  );
  app.action<BlockAction<ButtonAction>>({ type: 'block_actions', action_id: IMPORT_CANCEL_ACTION }, (args) =>
    clicked(deps, args, 'cancel', cancel),
  );
  app.action<BlockAction<StaticSelectAction>>({ type: 'block_actions', action_id: IMPORT_MEASURE_ACTION }, (args) =>
    clicked(deps, args, 'choose a measure', chooseMeasure),
  );
}

interface Click {
  ctx: DeliveryContext;
  user: string;
  pending: PendingImport;
  /** The value after the pending id (the select's measure). */
  rest: string;
  args: ClickArgs;
  private(text: string): Promise<unknown>;
}

async function clicked(
  deps: SlackDeps,
  args: ClickArgs,
  what: string,
  handle: (click: Click) => Promise<void>,
): Promise<void> {
  const { body, action, respond, client } = args;
  await afterClickAck(deps, args, `import ${what} click`, async (log) => {
    const ctx = { client, deps, log };
    const privately = (text: string) => replyPrivately({ log }, respond, plainMessage(text), BESIDE);
    const [id = '', ...rest] = (clickedValue(action) ?? '').split(' ');
    const user = body.user.id;
    const check = await deps.analysts.check(user, client);
    if (!check.analyst) {
      log.info(`${user} may not ${what} an import: not an analyst`);
      await privately('Only analysts can apply or cancel an import. Nothing was changed.');
      return;
    }
    const pending = findPending(deps.store.snapshot(), id);
    if (!pending) {
      await privately('That preview is no longer available. Upload the file again to import it.');
      return;
    }
    log.info(`${user} clicked ${what} on the upload ${pending.fileName} (${pending.id}, ${pending.status})`);
    await handle({ ctx, user, pending, rest: rest.join(' '), args, private: privately });
    sweepUploads(deps.store.snapshot(), deps.now());
  });
}

/** Why a preview can no longer be applied or cancelled, or null when it can. */
function settledReason(pending: PendingImport): string | null {
  switch (pending.status) {
    case 'applied':
      return `That import was already applied (change ${escapeMrkdwn(pending.messageId ?? '')}#1).`;
    case 'cancelled':
      return 'That preview was cancelled. Upload the file again to import it.';
    case 'superseded':
      return 'That preview was replaced by a newer one in this thread: use its buttons.';
    default:
      return null;
  }
}

async function settle(click: Click, outcome: string): Promise<void> {
  const { ctx, pending, args } = click;
  const body = args.body as { message?: { ts?: string; blocks?: Block[] }; container?: { message_ts?: string } };
  const message = body.message;
  const ts = pending.previewTs ?? message?.ts ?? body.container?.message_ts;
  if (!ts) return;
  await ctx.client.chat
    .update({
      channel: pending.channel,
      ts,
      text: outcome,
      blocks: settledPreview(message?.blocks ?? [section('Import preview')], outcome),
    })
    .catch((err: unknown) => ctx.log.warn(`could not settle the preview message: ${slackErrorReason(err)}`));
}

async function mark(click: Click, status: PendingImport['status'], extra: Partial<PendingImport> = {}): Promise<void> {
  const now = click.ctx.deps.now();
  await click.ctx.deps.store.mutate((draft) => {
    const current = findPending(draft, click.pending.id);
    if (current) putPending(draft, { ...current, status, ...extra }, now);
  });
}

async function expired(click: Click): Promise<boolean> {
  if (!isExpired(click.pending, click.ctx.deps.now())) return false;
  await mark(click, 'cancelled');
  await settle(click, 'Expired: previews last 24 hours.');
  await say(
    click.ctx,
    click.pending,
    `The preview of ${escapeMrkdwn(click.pending.fileName)} has expired (previews last 24 hours). ` +
      'Upload the file again to import it. Nothing was changed.',
  );
  return true;
}

async function apply(click: Click): Promise<void> {
  const { ctx, pending, user } = click;
  const settled = settledReason(pending);
  if (settled) return void (await click.private(settled));
  if (pending.status !== 'previewed') return void (await click.private('Choose the measure first.'));
  if (await expired(click)) return;
  if (!fs.existsSync(pending.path) && !(await refetch(ctx, pending))) {
    await mark(click, 'cancelled');
    await say(ctx, pending, `${escapeMrkdwn(pending.fileName)} is no longer available. Upload it again to import it.`);
    return;
  }
  const fresh = async (note: string, result?: Awaited<ReturnType<typeof dryRun>>) => {
    await mark(click, 'superseded');
    await settle(click, 'Replaced by a new preview below.');
    await postPreview(ctx, { ...pending, id: randomUUID(), status: 'previewed' }, { note, result });
  };
  const result = await dryRun(ctx, pending);
  if (!result.ok || previewKey(result.outcome.preview) !== pending.previewKey) {
    ctx.log.info(`the preview of ${pending.fileName} changed since it was shown; posting a new one`);
    await fresh('The store has changed since the preview: here is a new one. Nothing was changed yet.', result);
    return;
  }
  const source = { kind: 'import' as const, channel: pending.channel, ts: pending.threadTs };
  let written: { messageId: string | null; changes: number };
  try {
    written = await ctx.deps.store.mutate((draft) => {
      const current = findPending(draft, pending.id);
      // Another click (a double click, or someone else) settled it meanwhile: nothing more to do.
      if (current?.status !== 'previewed') throw new PreviewSettled();
      const out = applyImportOutcome(draft, result.outcome, {
        kind: pending.kind,
        files: [{ name: pending.fileName, sha256: pending.sha256 }],
        source,
      });
      putPending(
        draft,
        {
          ...current,
          status: 'applied',
          messageId: out.messageId ?? undefined,
          appliedAt: ctx.deps.now().toISOString(),
        },
        ctx.deps.now(),
      );
      return out;
    });
  } catch (err) {
    if (err instanceof PreviewSettled) {
      const now = findPending(ctx.deps.store.snapshot(), pending.id);
      return void (await click.private(now ? (settledReason(now) ?? 'That preview is being applied.') : 'Done.'));
    }
    if (!(err instanceof PreviewStale)) throw err;
    ctx.log.info(`apply of ${pending.fileName} found the store changed under the lock (${err.message})`);
    await fresh('The store changed just now: here is a new preview. Nothing was changed yet.');
    return;
  }
  ctx.log.info(`${user} applied ${pending.fileName}: ${written.changes} changes (${written.messageId})`);
  await settle(click, `Applied by ${mention(user)}.`);
  await say(ctx, pending, appliedText(user, pending.fileName, written.changes, written.messageId ?? ''));
  const binding = findThreadBinding(ctx.deps.store.snapshot(), pending.channel, pending.threadTs);
  const entries = ctx.deps.store.snapshot().changeLog.filter((e) => e.messageId === written.messageId);
  await refreshAfterUpdate(ctx, {
    channel: pending.channel,
    ...(binding ? { parent: binding } : {}),
    entries,
    author: user,
    at: ctx.deps.now(),
  });
  fs.rmSync(pending.path, { force: true });
}

/**
 * The temp copy is gone (a restart on a new machine, another replica): fetch the file from
 * Slack again, and use it only if it is byte for byte the file that was previewed.
 */
async function refetch(ctx: DeliveryContext, pending: PendingImport): Promise<boolean> {
  try {
    const again = await fetchSlackFile(ctx.client, ctx.deps.fetch, pending.fileId, path.dirname(pending.path));
    if (again.ok && again.sha256 === pending.sha256 && again.path === pending.path) return true;
    if (again.ok) fs.rmSync(again.path, { force: true });
    ctx.log.warn(`re-fetching ${pending.fileName} gave ${again.ok ? 'different content' : again.reason}`);
  } catch (err) {
    ctx.log.warn(`could not re-fetch ${pending.fileName}: ${slackErrorReason(err)}`);
  }
  return false;
}

async function cancel(click: Click): Promise<void> {
  const settled = settledReason(click.pending);
  if (settled) return void (await click.private(settled));
  await mark(click, 'cancelled');
  await settle(click, `Cancelled by ${mention(click.user)}. Nothing was changed.`);
}

async function chooseMeasure(click: Click): Promise<void> {
  const { ctx, pending, rest, args } = click;
  if (pending.status !== 'awaiting-measure') return void (await click.private('That file already has its measure.'));
  if (await expired(click)) return;
  const measureId = rest.trim();
  const questionTs = (args.body as { message?: { ts?: string } }).message?.ts;
  if (questionTs)
    await ctx.client.chat
      .update({
        channel: pending.channel,
        ts: questionTs,
        text: `Series file ${pending.fileName}: ${measureId}`,
        blocks: [
          section(
            `*${escapeMrkdwn(pending.fileName)}* is for ${escapeMrkdwn(measureId)} (chosen by ${mention(click.user)}).`,
          ),
        ],
      })
      .catch((err: unknown) => ctx.log.warn(`could not update the measure question: ${slackErrorReason(err)}`));
  await postPreview(ctx, { ...pending, measureId, status: 'previewed' });
}
