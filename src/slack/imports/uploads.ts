// A data file shared in a bound thread or a DM with the bot: checked (analysts only, a data
// file, at most 50 MB), fetched, and previewed as an import dry run. A series file needs its
// measure: the thread's own, or one named by the file name or the message, or else the bot
// asks with a select.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { resolveUpdateTarget } from '../../measures/update-target.ts';
import {
  allMeasures,
  findMeasure,
  findPriority,
  type PendingImport,
  type Store,
  type ThreadBinding,
} from '../../store/index.ts';
import type { DeliveryContext } from '../post-answer.ts';
import { escapeMrkdwn, mention } from '../views/block-kit.ts';
import { measureQuestion } from '../views/import-preview-blocks.ts';
import { fetchSlackFile } from './fetch-file.ts';
import { appliedWithSameContent, PREVIEW_TTL_MS, putPending, sweepUploads, uploadsDir } from './pending.ts';
import { postPreview, say, uploadDir } from './preview-post.ts';
import { importKindOf, type Upload } from './upload-kinds.ts';

export function notAnalystImportText(): string {
  return 'Only analysts can bring in data files. Nothing was read or changed.';
}

export async function handleUpload(ctx: DeliveryContext, upload: Upload, binding: ThreadBinding | null): Promise<void> {
  const { deps, client, log } = ctx;
  const file = upload.files[0]!;
  const kind = importKindOf(file.name);
  const tell = (text: string) =>
    client.chat.postEphemeral({
      channel: upload.channel,
      user: upload.user,
      text,
      ...(upload.threadTs ? { thread_ts: upload.threadTs } : {}),
    });
  if (!kind) {
    await tell(
      `${escapeMrkdwn(file.name)} is not a data file I read: I take police.uk street files (.csv or a .zip), ` +
        'ONS force-area tables (.xlsx) and series files (.csv or a one-sheet .xlsx). Nothing was changed.',
    );
    return;
  }
  const check = await deps.analysts.check(upload.user, client);
  if (!check.analyst) {
    log.info(`upload of ${file.name} by ${upload.user} refused: not an analyst (${check.reason})`);
    await tell(notAnalystImportText());
    return;
  }
  const now = deps.now();
  sweepUploads(deps.store.snapshot(), now);
  const id = randomUUID();
  const fetched = await fetchSlackFile(client, deps.fetch, file.id, uploadDir(uploadsDir(), id));
  if (!fetched.ok) {
    log.info(`upload of ${file.name} by ${upload.user} refused: ${fetched.reason}`);
    await tell(`${escapeMrkdwn(file.name)} was not imported: ${escapeMrkdwn(fetched.reason)}. Nothing was changed.`);
    return;
  }
  const thread = { channel: upload.channel, threadTs: binding?.ts ?? upload.threadTs ?? upload.ts };
  const store = deps.store.snapshot();
  const already = appliedWithSameContent(store, fetched.sha256);
  if (already) {
    fs.rmSync(uploadDir(uploadsDir(), id), { recursive: true, force: true });
    await say(
      ctx,
      thread,
      `${escapeMrkdwn(fetched.name)} was already applied on ${already.at.slice(0, 16).replace('T', ' ')} UTC ` +
        `by ${mention(already.author)} (change ${escapeMrkdwn(already.messageId)}#1), with the same content. ` +
        'Nothing was changed.',
    );
    return;
  }
  const measureId = kind === 'series' ? seriesMeasure(store, binding, upload.text, fetched.name) : null;
  const pending: PendingImport = {
    id,
    ...thread,
    user: upload.user,
    fileId: file.id,
    fileName: fetched.name,
    sha256: fetched.sha256,
    kind,
    measureId,
    path: fetched.path,
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + PREVIEW_TTL_MS).toISOString(),
    status: kind === 'series' && !measureId ? 'awaiting-measure' : 'previewed',
  };
  log.info(
    `${upload.user} shared ${fetched.name} (${fetched.bytes} bytes, ${kind}) in ${thread.channel}:${thread.threadTs}`,
  );
  if (pending.status === 'awaiting-measure') {
    await deps.store.mutate((draft) => putPending(draft, pending, now));
    const measures = allMeasures(store).map((m) => ({ id: m.id, title: m.title }));
    const scoped = binding?.kind === 'priority' ? (findPriority(store, binding.id)?.measures ?? measures) : measures;
    await client.chat.postMessage({
      channel: thread.channel,
      thread_ts: thread.threadTs,
      ...measureQuestion(fetched.name, id, scoped),
    });
    return;
  }
  await postPreview(ctx, pending);
}

/**
 * The measure a series file is for: the bound answer's measure; else one named by the message
 * or by the file name ("drugs-disruptions.csv"), within the thread's priority when there is one.
 */
export function seriesMeasure(
  store: Store,
  binding: ThreadBinding | null,
  text: string,
  fileName: string,
): string | null {
  if (binding?.kind === 'measure') return binding.id;
  const within =
    binding?.kind === 'priority' ? new Set(findPriority(store, binding.id)?.measures.map((m) => m.id)) : null;
  const named = (words: string): string | null => {
    const cleaned = words.replace(/<@[A-Z0-9]+>/g, ' ').trim();
    if (!cleaned) return null;
    const resolved = resolveUpdateTarget(store, cleaned);
    if (!resolved.ok || resolved.target.kind !== 'measure') return null;
    return !within || within.has(resolved.target.id) ? resolved.target.id : null;
  };
  const stem = fileName.replace(/\.[^.]+$/, '');
  const byFileName = findMeasure(store, stem.toLowerCase())?.measure.id ?? named(stem.replace(/[-_]+/g, ' '));
  return named(text) ?? (byFileName && (!within || within.has(byFileName)) ? byFileName : null);
}
