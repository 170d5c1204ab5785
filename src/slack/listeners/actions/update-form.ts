// The update form: opened by the Update button under an answer or the "Update this measure"
// message shortcut, submitted as a view_submission. Slack gives 3 s for both, so opening acks
// first and calls views.open straight away (no store write, no chart); a submission is checked
// against the snapshot and answered at once (field errors, or the modal closes), and only then
// applied under the store's lock through the same path as a thread update.
import { createHash } from 'node:crypto';
import type {
  AllMiddlewareArgs,
  App,
  BlockAction,
  ButtonAction,
  MessageShortcut,
  SlackShortcutMiddlewareArgs,
  SlackViewMiddlewareArgs,
  StaticSelectAction,
  ViewSubmitAction,
  webApi,
} from '@slack/bolt';
import { applyUpdateOps, londonDate } from '../../../measures/update/index.ts';
import { formDefaults, type FormTarget } from '../../../measures/update/form-defaults.ts';
import { readUpdateForm } from '../../../measures/update/form-read.ts';
import { afterAck, newRequestId, requestLog, type RequestLog } from '../../after-ack.ts';
import type { AnalystCheck } from '../../analysts.ts';
import type { SlackDeps } from '../../app.ts';
import { slackErrorReason } from '../../slack-errors.ts';
import { UPDATE_ACTION } from '../../views/answer-blocks.ts';
import {
  FORM_MEASURE_ACTION,
  type FormMetadata,
  formErrors,
  formInput,
  formProblemView,
  notAnalystView,
  parseFormMetadata,
  UPDATE_FORM_CALLBACK,
  updateFormView,
} from '../../views/update-form.ts';
import { STORE_UNAVAILABLE_TEXT, confirmationText, refusalText } from '../../views/update-messages.ts';
import { refreshAfterUpdate } from '../messages/refresh-after-update.ts';

export const UPDATE_SHORTCUT = 'update_measure';

/**
 * The analyst check may have to ask Slack for the group's members; a trigger_id lasts 3 s, so
 * it gets this long and then counts as "could not check".
 */
const CHECK_WITHIN_MS = 1500;

const NOT_AN_ANSWER_TEXT =
  '“Update this measure” works on the bot’s answers to `/measures`: use it on one of those, ' +
  'or press *Update* under the answer.';

const NOTHING_CHANGED_TEXT = 'Nothing changed: the form was sent back with the figures as they are.';

type WebClient = webApi.WebClient;

export function register(app: App, deps: SlackDeps): void {
  app.action<BlockAction<ButtonAction>>({ type: 'block_actions', action_id: UPDATE_ACTION }, async (args) => {
    await args.ack();
    const { body, action, client } = args;
    const target = parseTarget(action.value);
    const container = body.container as { message_ts?: string; channel_id?: string; is_ephemeral?: boolean };
    // A private copy of an answer has no thread: the confirmation then comes by DM.
    const shared = !container.is_ephemeral && container.channel_id && container.message_ts;
    if (!target) return;
    await deps.work.track(
      openForm(deps, client, body.trigger_id, body.user.id, {
        target,
        measureId: null,
        channel: shared ? container.channel_id! : null,
        ts: shared ? container.message_ts! : null,
      }),
    );
  });

  app.shortcut<MessageShortcut>({ type: 'message_action', callback_id: UPDATE_SHORTCUT }, async (args) => {
    await args.ack();
    const { shortcut, client } = args as SlackShortcutMiddlewareArgs<MessageShortcut> & AllMiddlewareArgs;
    const channel = shortcut.channel.id;
    const binding = deps.bindings.lookup(channel, shortcut.message.ts);
    if (!binding || binding.kind === 'digest') {
      await deps.work.track(notAnAnswer(deps, args.respond, client, channel, shortcut.user.id));
      return;
    }
    await deps.work.track(
      openForm(deps, client, shortcut.trigger_id, shortcut.user.id, {
        target: { kind: binding.kind, id: binding.id },
        measureId: null,
        channel,
        ts: shortcut.message.ts,
      }),
    );
  });

  // A priority's form: the measure chosen redraws the form with that measure's fields.
  app.action<BlockAction<StaticSelectAction>>(
    { type: 'block_actions', action_id: FORM_MEASURE_ACTION },
    async ({ ack, body, action, client }) => {
      await ack();
      const view = body.view;
      const meta = parseFormMetadata(view?.private_metadata);
      if (!view || !meta) return;
      const defaults = formDefaults(
        deps.store.snapshot(),
        meta.target,
        londonDate(deps.now()),
        action.selected_option.value,
      );
      if (!defaults) return;
      try {
        // The hash makes Slack refuse this if the form changed meanwhile (a quicker second choice).
        await client.views.update({ view_id: view.id, hash: view.hash, view: updateFormView(defaults, meta) });
      } catch (err) {
        deps.logger.warn(`could not redraw the update form for ${meta.target.id}: ${slackErrorReason(err)}`);
      }
    },
  );

  app.view<ViewSubmitAction>({ type: 'view_submission', callback_id: UPDATE_FORM_CALLBACK }, (args) =>
    submitForm(deps, args),
  );
}

function parseTarget(value: string | undefined): FormTarget | null {
  try {
    const v = JSON.parse(value ?? '') as { kind?: unknown; id?: unknown };
    if ((v.kind === 'measure' || v.kind === 'priority') && typeof v.id === 'string') return { kind: v.kind, id: v.id };
  } catch {
    // a value we did not write
  }
  return null;
}

async function checkQuickly(deps: SlackDeps, user: string, client: WebClient): Promise<AnalystCheck> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<AnalystCheck>((resolve) => {
    timer = setTimeout(
      () => resolve({ analyst: false, reason: 'unknown', detail: 'Slack did not say in time' }),
      CHECK_WITHIN_MS,
    );
  });
  try {
    return await Promise.race([deps.analysts.check(user, client), late]);
  } finally {
    clearTimeout(timer);
  }
}

async function openForm(
  deps: SlackDeps,
  client: WebClient,
  triggerId: string,
  user: string,
  meta: FormMetadata,
): Promise<void> {
  const log = requestLog(deps.logger);
  try {
    const check = await checkQuickly(deps, user, client);
    if (!check.analyst) {
      log.info(`update form for ${user} refused: ${check.reason}`);
      await client.views.open({ trigger_id: triggerId, view: notAnalystView(check, deps.analysts.usergroup) });
      return;
    }
    const defaults = formDefaults(deps.store.snapshot(), meta.target, londonDate(deps.now()));
    if (!defaults) {
      log.warn(`update form for ${meta.target.kind} ${meta.target.id}, which is no longer in the store`);
      return;
    }
    await client.views.open({ trigger_id: triggerId, view: updateFormView(defaults, meta) });
    log.info(`update form for ${meta.target.kind} ${meta.target.id} opened for ${user}`);
  } catch (err) {
    log.error(`could not open the update form for ${user}`, err);
  }
}

async function notAnAnswer(
  deps: SlackDeps,
  respond: SlackShortcutMiddlewareArgs<MessageShortcut>['respond'] | undefined,
  client: WebClient,
  channel: string,
  user: string,
): Promise<void> {
  try {
    if (respond) await respond({ response_type: 'ephemeral', text: NOT_AN_ANSWER_TEXT });
    else await client.chat.postEphemeral({ channel, user, text: NOT_AN_ANSWER_TEXT });
  } catch (err) {
    deps.logger.warn(`could not tell ${user} the shortcut works on answers: ${slackErrorReason(err)}`);
  }
}

type SubmitArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

async function submitForm(deps: SlackDeps, { ack, body, view, client }: SubmitArgs): Promise<void> {
  const user = body.user.id;
  const meta = parseFormMetadata(view.private_metadata);
  if (!meta) {
    await ack();
    return;
  }
  const check = await checkQuickly(deps, user, client);
  if (!check.analyst) {
    await ack({ response_action: 'update', view: notAnalystView(check, deps.analysts.usergroup) });
    return;
  }
  const at = deps.now();
  const values = view.state.values as Parameters<typeof formInput>[0];
  const reading = readUpdateForm(deps.store.snapshot(), meta.target, formInput(values, meta), at);
  if (!reading.ok) {
    const errors = formErrors(reading.errors, view);
    await ack(
      errors
        ? { response_action: 'errors', errors }
        : { response_action: 'update', view: formProblemView(reading.errors) },
    );
    return;
  }
  await ack();
  // A double click or a resent submission carries the same view and the same values: one change.
  const digest = createHash('sha256').update(JSON.stringify(values)).digest('hex').slice(0, 16);
  const messageId = `slack:form:${view.id}:${digest}`;
  await afterAck(
    deps,
    newRequestId(),
    async (log) => {
      const tell = (text: string, what: string, privately = false) =>
        tellAnalyst({ client, log, meta, user }, { text, what, privately });
      if (reading.ops.length === 0) {
        await tell(NOTHING_CHANGED_TEXT, 'the nothing-changed note', true);
        return;
      }
      let result;
      try {
        result = await applyUpdateOps(
          deps.store,
          {
            target: meta.target,
            author: user,
            source: { kind: 'form', ...(meta.channel && meta.ts ? { channel: meta.channel, ts: meta.ts } : {}) },
            messageId,
            now: at,
          },
          reading.ops,
        );
      } catch (err) {
        log.error(`update form from ${user} for ${meta.target.id} could not be saved`, err);
        await tell(STORE_UNAVAILABLE_TEXT, 'the store-unavailable note');
        return;
      }
      switch (result.status) {
        case 'duplicate':
          log.info(`update form ${messageId} already applied; not applying or confirming again`);
          return;
        case 'refused':
          log.info(`update form from ${user} refused when applied: ${result.message}`);
          await tell(refusalText(result, 'Open the form again to retry.'), 'the refusal');
          return;
        case 'applied': {
          log.info(`update form for ${meta.target.id} by ${user} applied: ${result.summary.join('; ')}`);
          await tell(confirmationText(result, user), 'the confirmation');
          if (!meta.channel) return;
          const parent = meta.ts ? deps.bindings.lookup(meta.channel, meta.ts) : undefined;
          await refreshAfterUpdate(
            { client, deps, log },
            { channel: meta.channel, parent, entries: result.entries, author: user, at },
          );
        }
      }
    },
    async (err, log) => {
      log.error('the update form failed after the ack', err);
    },
  );
}

/**
 * In the answer's thread, where a thread update is confirmed (`privately`: seen by the analyst
 * alone); by DM when the answer was private or the thread refuses the post. Never throws.
 */
async function tellAnalyst(
  to: { client: WebClient; log: RequestLog; meta: FormMetadata; user: string },
  note: { text: string; what: string; privately: boolean },
): Promise<void> {
  const { client, log, meta, user } = to;
  const { text, what } = note;
  const message = { text, unfurl_links: false, unfurl_media: false };
  if (meta.channel && meta.ts) {
    try {
      if (note.privately) await client.chat.postEphemeral({ channel: meta.channel, user, thread_ts: meta.ts, text });
      else await client.chat.postMessage({ channel: meta.channel, thread_ts: meta.ts, ...message });
      return;
    } catch (err) {
      log.warn(
        `${what} could not be posted in ${meta.channel}:${meta.ts} (${slackErrorReason(err)}); sending it by DM`,
      );
    }
  }
  try {
    // A user id as the channel posts in the bot's DM with them.
    await client.chat.postMessage({ channel: user, ...message });
  } catch (err) {
    log.error(`${what} for ${user} could not be sent by DM either; they got no answer`, err);
  }
}
