// Slack escapes &, < and > in message text. Updates store what the analyst typed;
// presenters escape again when they show it.

/** &lt; &gt; first and &amp; last, so "&amp;lt;" (a literal "&lt;" typed by the user) survives as "&lt;". */
export function decodeSlackEntities(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}
