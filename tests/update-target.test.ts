// One resolver names the target of an update for the CLI (update, history) and for Slack's
// /measures update; each edge words the refusals its own way, and that wording is pinned here.
import { describe, expect, it } from 'vitest';
import { targetOrUsageError } from '../commands/update.ts';
import { splitUpdateArgs } from '../src/slack/listeners/commands/update.ts';
import type { Store } from '../src/store/index.ts';
import { seedStore } from './helpers/seed.ts';

/** The seed with two measures no query can tell apart by a shared word alone. */
function withTwins(): Store {
  const store = seedStore();
  const [first, second] = store.priorities.flatMap((p) => p.measures);
  Object.assign(first!, { id: 'twin-alpha', title: 'Twin alpha' });
  Object.assign(second!, { id: 'twin-beta', title: 'Twin beta' });
  return store;
}

const cliRefusal = (store: Store, query: string) => {
  try {
    targetOrUsageError(store, query);
  } catch (err) {
    return (err as Error).message.split('\n')[0];
  }
  throw new Error(`"${query}" resolved`);
};
const slackRefusal = (store: Store, query: string) => {
  const split = splitUpdateArgs(store, `"${query}" trend: Stable`);
  if (split.ok) throw new Error(`"${query}" resolved`);
  return split.why;
};

describe('the update target', () => {
  it('is never a weak match, though a question with one would be answered ("homes" → burglary)', () => {
    const store = seedStore();
    expect(cliRefusal(store, 'homes')).toMatch(/^"homes" could be: .*burglary/i);
    expect(slackRefusal(store, 'homes')).toMatch(/could be: .*burglary.*Use a fuller name\.$/i);
  });

  it('is found by id or exact title first, then as officers would name it, the same at both edges', () => {
    const store = seedStore();
    for (const [query, target] of [
      ['robbery', { kind: 'measure', id: 'robbery' }],
      ['REDUCE NEIGHBOURHOOD CRIME', { kind: 'priority', id: 'reduce-neighbourhood-crime' }],
      ['robbery offences', { kind: 'measure', id: 'robbery' }],
    ] as const) {
      expect(targetOrUsageError(store, query)).toEqual(target);
      expect(splitUpdateArgs(store, `"${query}" trend: Stable`)).toMatchObject({
        ok: true,
        target,
        text: 'trend: Stable',
      });
    }
  });

  it('refuses an ambiguous name, listing the candidates (with ids on the command line)', () => {
    const store = withTwins();
    expect(cliRefusal(store, 'twin')).toMatch(
      /^"twin" could be: Twin (alpha|beta) \(twin-\1\); Twin (alpha|beta) \(twin-\2\)$/,
    );
    expect(slackRefusal(store, 'twin')).toMatch(
      /^“twin” could be: Twin (alpha|beta); Twin (alpha|beta)\. Use a fuller name\.$/,
    );
  });

  it('refuses a name that matches nothing, offering the closest', () => {
    const store = seedStore();
    expect(cliRefusal(store, 'xyzzy')).toMatch(
      /^no measure or priority matches "xyzzy"(; closest: [^;]+ \([a-z0-9-]+\)(; [^;]+ \([a-z0-9-]+\))*)?$/,
    );
    expect(slackRefusal(store, 'xyzzy')).toMatch(/^No measure or priority matches “xyzzy”\.( Did you mean: .+\?)?$/);
  });

  it('refuses a glossary term, and a query that names nothing', () => {
    const store = seedStore();
    expect(cliRefusal(store, 'MSG')).toBe('"MSG" is a glossary term, not a measure or priority');
    expect(slackRefusal(store, 'MSG')).toBe('“MSG” is not a measure or priority.');
    expect(cliRefusal(store, 'help')).toBe('name a measure or priority to update');
    expect(slackRefusal(store, 'help')).toBe('“help” is not a measure or priority.');
  });

  it('escapes the name for Slack, and leaves it as typed on the command line', () => {
    const store = seedStore();
    expect(slackRefusal(store, 'a <b>')).toMatch(/^No measure or priority matches “a &lt;b&gt;”\./);
    expect(cliRefusal(store, 'a <b>')).toMatch(/^no measure or priority matches "a <b>"/);
  });
});
