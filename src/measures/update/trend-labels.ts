// The closed list of trend labels the report uses. Anything else is refused, so the
// bot can never show an invented trend.

import { TREND_LABELS, type TrendLabel } from '../computed/trend.ts';

export { TREND_LABELS, type TrendLabel };

export type TrendLabelParse = { ok: true; label: string } | { ok: false; reason: string };

const byKey = new Map<string, TrendLabel>(TREND_LABELS.map((label) => [label.toLowerCase(), label]));

/**
 * "moderate REDUCTION" → "Moderate reduction"; "stable (100%)" → "Stable (100%)".
 * The bracketed qualifier is kept as typed.
 */
export function parseTrendLabel(text: string): TrendLabelParse {
  const match = /^(.*?)\s*(\(([^()]*)\))?$/.exec(text.trim());
  const name = (match?.[1] ?? '').replace(/\s+/g, ' ').toLowerCase();
  const qualifier = match?.[3]?.trim();
  const label = byKey.get(name);
  if (!label) {
    const shown = text.trim() === '' ? 'no label' : `"${text.trim()}"`;
    return {
      ok: false,
      reason:
        `${shown} is not a trend label; use one of: ${TREND_LABELS.join(', ')} ` +
        '(optionally with a qualifier in brackets, e.g. "Stable (100%)")',
    };
  }
  if (match?.[2] !== undefined && !qualifier) return { ok: false, reason: 'the qualifier in brackets is empty' };
  return { ok: true, label: qualifier ? `${label} (${qualifier})` : label };
}
