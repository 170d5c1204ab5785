// The digest as plain text, for `measures digest`.
import type { Digest } from './build.ts';
import { ALL_STALE_LINE, byPriority, changeSentence, quietLine, staleSentence, windowLabel } from './lines.ts';

export function formatDigestText(d: Digest): string {
  const out: string[] = [`Measures digest: ${windowLabel(d)} (${d.zone})`, ''];
  if (d.quiet) out.push(quietLine(d), '');
  if (d.headline.length > 0) out.push('Headline', ...d.headline.map((h) => `  • ${h}`), '');
  for (const group of byPriority(d.changes)) {
    out.push(group.priority);
    for (const c of group.changes) {
      out.push(`  • ${changeSentence(c)}`, `      by ${c.by} at ${c.at}${c.link ? ` ${c.link}` : ''}`);
    }
    out.push('');
  }
  if (d.allStale) out.push(ALL_STALE_LINE);
  else if (d.stale.length > 0) out.push('Out of date', ...d.stale.map((s) => `  • ${staleSentence(s)}`));
  return out.join('\n').trimEnd();
}
