// `measures digest [--since YYYY-MM-DD] [--json]`: prints what the next digest would say.
// Read-only: it never records a digest as sent, so running it cannot stop a Monday post.
import { DateTime } from 'luxon';
import { parseCommandArgs } from './args.ts';
import { EXIT, UsageError, type CommandIO } from './io.ts';
import { readStore } from './store-access.ts';
import { digestZone } from '../src/digest/settings.ts';
import { buildDigest, digestJson } from '../src/digest/build.ts';
import { defaultSince } from '../src/digest/window.ts';
import { formatDigestText } from '../src/digest/text.ts';

export async function run(argv: string[], io: CommandIO, now: Date = new Date()): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    since: { type: 'string' },
    json: { type: 'boolean', default: false },
    store: { type: 'string' },
  });
  if (positionals.length > 0)
    throw new UsageError(`unexpected "${positionals.join(' ')}"; usage: measures digest [--since YYYY-MM-DD] [--json]`);
  const zone = digestZone(io.env);
  if (!zone.ok) throw new UsageError(zone.error);

  let since: Date | null = null;
  if (values.since !== undefined) {
    // 00:00 in DIGEST_TIMEZONE: "since Monday" means a London Monday, not a UTC one.
    const day = DateTime.fromFormat(values.since.trim(), 'yyyy-MM-dd', { zone: zone.zone });
    if (!day.isValid) throw new UsageError(`--since wants a date as YYYY-MM-DD, got "${values.since}"`);
    since = day.startOf('day').toJSDate();
    if (since > now) throw new UsageError(`--since ${values.since} is in the future`);
  }

  const store = await readStore(io, values.store);
  const digest = buildDigest(store, { since: since ?? defaultSince(store, now), until: now, zone: zone.zone });
  io.out(values.json ? JSON.stringify(digestJson(digest)) : formatDigestText(digest));
  return EXIT.ok;
}
