// Text safety for Slack. Slack treats only &, < and > as control characters: escaping them
// turns a typed or stored `<!channel>` into literal text, so nothing from a user or the
// store can become a mention, a link or a broadcast.

export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Cuts already-escaped text to at most `max` characters, ending with "…". Never cuts an
 * entity such as `&amp;` in half (a half entity would show as raw text).
 */
export function truncateEscaped(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, Math.max(0, max - 1));
  const amp = cut.lastIndexOf('&');
  if (amp !== -1 && amp >= cut.length - 5 && !cut.slice(amp).includes(';')) cut = cut.slice(0, amp);
  return `${cut}…`;
}

/** `<@U…>` for a Slack user ID; anything else (e.g. "import") is shown as escaped text, never as markup. */
export function mention(userId: string): string {
  return /^[UW][A-Z0-9]{2,}$/.test(userId) ? `<@${userId}>` : escapeMrkdwn(userId);
}

/** Escape, then fit. */
export function safeText(text: string, max: number): string {
  return truncateEscaped(escapeMrkdwn(text), max);
}

/**
 * Lines that fit in `maxChars` (joined by newlines) and at most `maxItems`; when some are
 * left out the last line says "…and N more". Lines must already be escaped.
 */
export function fitLines(lines: string[], maxChars: number, maxItems = Number.POSITIVE_INFINITY): string[] {
  const kept: string[] = [];
  let used = 0;
  const moreLine = (n: number) => `…and ${n} more`;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const remaining = lines.length - i - 1;
    const reserve = remaining > 0 ? moreLine(remaining).length + 1 : 0;
    if (kept.length >= maxItems || used + line.length + 1 + reserve > maxChars) {
      // A single overlong first line is shortened rather than dropped.
      if (kept.length === 0) {
        const room = maxChars - (lines.length > 1 ? moreLine(lines.length - 1).length + 1 : 0);
        kept.push(truncateEscaped(line, Math.max(20, room)));
        if (lines.length > 1) kept.push(moreLine(lines.length - 1));
        return kept;
      }
      kept.push(moreLine(lines.length - i));
      return kept;
    }
    kept.push(line);
    used += line.length + 1;
  }
  return kept;
}
