// Signed interaction payloads for modals and shortcuts, as Slack sends them (form-encoded
// `payload=` JSON): a message shortcut, a choice made inside a modal, and a view_submission
// whose state is what the modal showed (its initial values) with the fields a test changes.
import type { FakeSlack, FakeView, RecordedCall, SlackBlock } from './fake-slack.ts';
import type { RunningBot } from './slack-app.ts';
import { blockActionBody, FORM, sendToBot } from './slack-requests.ts';

const TEAM = { id: 'T0FAKE', domain: 'fake' };
const form = (payload: unknown) => new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
const user = (id: string) => ({ id, username: id.toLowerCase(), team_id: 'T0FAKE' });

export function messageShortcutBody(fields: {
  callback_id: string;
  channel_id: string;
  message_ts: string;
  user_id: string;
  response_url: string;
  message_user?: string;
}): string {
  return form({
    type: 'message_action',
    token: 'legacy-unused',
    action_ts: `${Date.now() / 1000}`,
    team: TEAM,
    user: user(fields.user_id),
    channel: { id: fields.channel_id, name: 'general' },
    callback_id: fields.callback_id,
    trigger_id: `${Date.now()}.3.ghi`,
    message_ts: fields.message_ts,
    message: { type: 'message', user: fields.message_user ?? 'U0SOMEONE', text: 'hello', ts: fields.message_ts },
    response_url: fields.response_url,
  });
}

type StateValue = {
  type: string;
  value?: string | null;
  selected_option?: { text: { type: string; text: string }; value: string } | null;
  selected_options?: Array<{ text: { type: string; text: string }; value: string }>;
  selected_user?: string | null;
  selected_date?: string | null;
};
export type ViewState = Record<string, Record<string, StateValue>>;

type Element = {
  type: string;
  action_id: string;
  initial_value?: string;
  initial_option?: { text: { type: string; text: string }; value: string };
  options?: Array<{ text: { type: string; text: string }; value: string }>;
};

/** The input blocks of a view by block id. */
export function inputs(view: FakeView): Record<string, SlackBlock & { element: Element }> {
  return Object.fromEntries(
    view.blocks
      .filter((b) => b.type === 'input')
      .map((b) => [b.block_id as string, b as SlackBlock & { element: Element }]),
  );
}

/**
 * What Slack sends for the view untouched, then with `changes` applied: a string is typed text,
 * or the value of the option chosen in a select; an array ticks those checkbox values; null clears.
 */
export function stateOf(view: FakeView, changes: Record<string, string | string[] | null> = {}): ViewState {
  const state: ViewState = {};
  for (const [blockId, block] of Object.entries(inputs(view))) {
    const e = block.element;
    const change = changes[blockId];
    const changed = blockId in changes;
    let value: StateValue;
    switch (e.type) {
      case 'plain_text_input':
        value = { type: e.type, value: changed ? (change as string | null) : (e.initial_value ?? null) };
        break;
      case 'static_select': {
        const chosen = changed ? e.options!.find((o) => o.value === change) : e.initial_option;
        if (changed && change !== null && !chosen) throw new Error(`${blockId} has no option ${String(change)}`);
        value = { type: e.type, selected_option: chosen ?? null };
        break;
      }
      case 'checkboxes':
        value = {
          type: e.type,
          selected_options: changed ? e.options!.filter((o) => (change as string[]).includes(o.value)) : [],
        };
        break;
      case 'users_select':
        value = { type: e.type, selected_user: changed ? (change as string | null) : null };
        break;
      case 'datepicker':
        value = { type: e.type, selected_date: changed ? (change as string | null) : null };
        break;
      default:
        throw new Error(`no state for a ${e.type}`);
    }
    state[blockId] = { [e.action_id]: value };
  }
  return state;
}

/** The open modal as Slack sends it back with a submission or an action in it: its id, hash and state. */
function openModalAsSent(view: FakeView & { id: string; hash: string }, state: ViewState) {
  return {
    id: view.id,
    team_id: 'T0FAKE',
    type: 'modal',
    callback_id: view.callback_id,
    private_metadata: view.private_metadata ?? '',
    hash: view.hash,
    blocks: view.blocks,
    state: { values: state },
  };
}

export function viewSubmissionBody(view: FakeView & { id: string; hash: string }, userId: string, state: ViewState) {
  return form({
    type: 'view_submission',
    token: 'legacy-unused',
    team: TEAM,
    user: user(userId),
    api_app_id: 'A0MEASURES',
    trigger_id: `${Date.now()}.4.jkl`,
    view: { ...openModalAsSent(view, state), title: view.title },
    response_urls: [],
  });
}

/** A choice in a static select inside a modal (dispatch_action). */
export function viewSelectBody(
  view: FakeView & { id: string; hash: string },
  userId: string,
  fields: { block_id: string; action_id: string; value: string },
) {
  const block = inputs(view)[fields.block_id]!;
  const chosen = block.element.options!.find((o) => o.value === fields.value)!;
  return form({
    type: 'block_actions',
    token: 'legacy-unused',
    team: TEAM,
    user: user(userId),
    api_app_id: 'A0MEASURES',
    trigger_id: `${Date.now()}.5.mno`,
    container: { type: 'view', view_id: view.id },
    view: openModalAsSent(view, stateOf(view, { [fields.block_id]: fields.value })),
    actions: [
      {
        type: 'static_select',
        action_id: fields.action_id,
        block_id: fields.block_id,
        selected_option: chosen,
        action_ts: `${Date.now() / 1000}`,
      },
    ],
  });
}

/** Presses Update under the bot's answer at (channel, ts); resolves with the modal views.open showed. */
export async function pressUpdateIn(
  fake: FakeSlack,
  bot: RunningBot,
  channel: string,
  ts: string,
  user = 'U0ANALYST',
): Promise<FakeView & { id: string; hash: string }> {
  const post = fake
    .callsTo('chat.postMessage')
    .find((c: RecordedCall) => c.params.channel === channel && (c.reply as { ts?: string }).ts === ts)!;
  const actions = post.params.blocks!.find((b) => b.type === 'actions')!;
  const button = actions.elements!.find((e) => e.action_id === 'answer_update')!;
  const before = fake.callsTo('views.open').length;
  const res = await sendToBot(
    bot.url,
    blockActionBody({
      action_id: button.action_id!,
      value: button.value!,
      channel_id: channel,
      user_id: user,
      response_url: fake.responseUrl(),
      message_ts: ts,
      is_ephemeral: false,
    }),
    FORM,
  );
  if (res.status !== 200) throw new Error(`the click got HTTP ${res.status}`);
  const opened = await fake.waitFor(
    (c) => c.method === 'views.open' && fake.callsTo('views.open').indexOf(c) >= before,
  );
  if (!(opened.reply as { ok: boolean }).ok) throw new Error(`views.open failed: ${JSON.stringify(opened.reply)}`);
  return (opened.reply as { view: FakeView & { id: string; hash: string } }).view;
}
