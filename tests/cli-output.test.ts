// What the CLI writes to a terminal or a pipe: other people's text never drives the terminal,
// stray arguments are usage errors, and a reader that stops early is not an error.
import { describe, expect, it } from 'vitest';
import { findMeasure } from '../src/store/lookup.ts';
import type { Store } from '../src/store/schema.ts';
import { escapeControls } from '../commands/terminal-text.ts';
import { measuresInProcess, spawnMeasures, tempStoreFile } from './helpers/store-temp.ts';

/**
 * Clears the screen, returns to the start of the line to overwrite it, and a C1 CSI (U+009B)
 * that some terminals obey.
 */
const HOSTILE = 'checked\u001b[2J\rAll fine here \u009b31m red \u0007';
// eslint-disable-next-line no-control-regex -- finding raw control characters in the output is the test
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

function storeWithHostileComment(): string {
  return tempStoreFile((store: Store) => {
    const at = '2026-11-20T10:00:00.000Z';
    const comment = { text: HOSTILE, by: 'U0EVIL\u001b]0;pwned\u0007', at };
    findMeasure(store, 'robbery')!.measure.comments.push(comment);
    store.changeLog.push({
      id: 'cli:evil#1',
      messageId: 'cli:evil',
      author: comment.by,
      at,
      source: { kind: 'cli' },
      target: { kind: 'measure', id: 'robbery' },
      field: 'comment',
      before: null,
      after: comment,
    });
  });
}

describe('control characters in stored text', () => {
  it('are shown as visible escapes by ask and history, never sent raw to the terminal', async () => {
    const file = storeWithHostileComment();
    // Comments are printed by --full; the glanceable answer leaves them to it.
    for (const argv of [['ask', '--full', 'robbery'], ['history'], ['history', 'robbery']]) {
      const r = await measuresInProcess(argv, file);
      expect(r.code, argv.join(' ')).toBe(0);
      expect(r.out, argv.join(' ')).not.toMatch(RAW_CONTROL);
      expect(r.out, argv.join(' ')).toContain('checked\\u001b[2J\\u000dAll fine here \\u009b31m red \\u0007');
    }
    const history = await measuresInProcess(['history'], file);
    expect(history.out).toContain('U0EVIL\\u001b]0;pwned\\u0007');
  });

  it('keep --json valid: the stored text parses back exactly', async () => {
    const file = storeWithHostileComment();
    for (const argv of [
      ['ask', '--json', 'robbery'],
      ['history', '--json'],
    ]) {
      const r = await measuresInProcess(argv, file);
      expect(r.out).not.toMatch(RAW_CONTROL);
      expect(r.out.trim().split('\n')).toHaveLength(1);
    }
    const ask = JSON.parse((await measuresInProcess(['ask', '--json', 'robbery'], file)).out);
    expect(ask.measure.comments.at(-1)).toBe(HOSTILE);
    const history = JSON.parse((await measuresInProcess(['history', '--json'], file)).out);
    expect(history.entries[0].after.text).toBe(HOSTILE);
  });

  it('escapeControls keeps newlines, tabs and ordinary text, including non-Latin letters', () => {
    expect(escapeControls('a\tb\nc — Zürich 東京 ✓')).toBe('a\tb\nc — Zürich 東京 ✓');
    expect(escapeControls('\u0000\u001b\u007f\u0085\u009f')).toBe('\\u0000\\u001b\\u007f\\u0085\\u009f');
  });
});

describe('words a command does not take', () => {
  it('are a usage error (exit 2, one line) for list, validate and digest, before anything is read', async () => {
    const file = tempStoreFile();
    for (const [argv, usage] of [
      [['validate', 'foo'], 'measures validate: unexpected "foo"; usage: measures validate [--store FILE]'],
      [['list', 'extra', 'args'], 'measures list: unexpected "extra args"; usage: measures list [--json]'],
      [['digest', 'now'], 'measures digest: unexpected "now"; usage: measures digest [--since YYYY-MM-DD] [--json]'],
    ] as const) {
      const r = await measuresInProcess([...argv], file);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.err).toBe(`${usage}\n`);
      expect(r.out).toBe('');
    }
  });

  it(
    'naming a measure for history or update in more than 500 characters ' + 'is a usage error that does not echo them',
    async () => {
      const file = tempStoreFile();
      const name = 'robbery '.repeat(100);
      for (const argv of [
        ['history', name],
        ['update', name, 'trend: Stable', '--as', 'U0ANALYST'],
      ]) {
        const r = await measuresInProcess(argv, file);
        expect(r.code, argv[0]).toBe(2);
        expect(r.err).toBe(
          `measures ${argv[0]}: that name is too long (799 characters; ` +
            'at most 500 are read): name the measure or priority in a few words, e.g. "robbery"\n',
        );
      }
    },
  );

  it('are the question for ask and the measure for history; list and validate without them still work', async () => {
    const file = tempStoreFile();
    expect((await measuresInProcess(['ask', 'street', 'robbery'], file)).code).toBe(0);
    expect((await measuresInProcess(['history', 'street', 'robbery'], file)).code).toBe(0);
    expect((await measuresInProcess(['list'], file)).code).toBe(0);
    expect((await measuresInProcess(['validate'], file)).code).toBe(0);
  });
});

describe('a reader that stops early (measures history | head)', () => {
  /** A change log long enough that its history is several times a pipe's 64 KB buffer. */
  const longHistory = () =>
    tempStoreFile((store: Store) => {
      for (let i = 0; i < 3000; i++) {
        const at = new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString();
        store.changeLog.push({
          id: `cli:n${i}#1`,
          messageId: `cli:n${i}`,
          author: 'U0ANALYST',
          at,
          source: { kind: 'cli' },
          target: { kind: 'measure', id: 'robbery' },
          field: 'comment',
          before: null,
          after: { text: `note ${i}`, by: 'U0ANALYST', at },
        });
      }
    });

  it('ends the command quietly: no EPIPE, no stack trace, exit 0', async () => {
    const child = spawnMeasures(['history'], longHistory());
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    // Read the first chunk, then close our end, as `head` does once it has its lines.
    const first = await new Promise<string>((resolve) =>
      child.stdout!.once('data', (d: Buffer) => resolve(d.toString())),
    );
    child.stdout!.destroy();
    const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.on('close', (code, signal) => resolve({ code, signal })),
    );
    expect(first).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC {2}U0ANALYST/);
    expect(stderr).toBe('');
    expect(exit).toEqual({ code: 0, signal: null });
  }, 30_000);
});
