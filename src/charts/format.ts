// Number wording for ticks, labels and alt text, by the measure's unit.

export function isPercentUnit(unit: string): boolean {
  return unit.trim().startsWith('%');
}

/** Enough digits to tell months apart, no more: 0.0786, 0.41, 12.5, 1,410, 82.5%. */
export function formatValue(value: number, unit: string): string {
  if (isPercentUnit(unit)) return `${trim(value.toFixed(value >= 99.95 ? 0 : 1))}%`;
  const abs = Math.abs(value);
  if (abs >= 100) return Math.round(value).toLocaleString('en-GB');
  if (abs >= 10) return trim(value.toFixed(1));
  if (abs >= 1) return trim(value.toFixed(2));
  if (abs === 0) return '0';
  return Number(value.toPrecision(3)).toString();
}

/**
 * Change on the previous period in the unit's own terms: "down 0.000582 (0.8%)",
 * "up 7 (15.6%)", "down 2.1 percentage points", or "unchanged" when it rounds away.
 */
export function formatChange(change: number, unit: string, previous: number): string {
  const direction = change > 0 ? 'up' : 'down';
  if (isPercentUnit(unit)) {
    const points = trim(Math.abs(change).toFixed(1));
    return points === '0' ? 'unchanged' : `${direction} ${points} percentage points`;
  }
  const size = formatValue(Math.abs(change), unit);
  if (size === '0' || Math.abs(change) < 1e-12) return 'unchanged';
  const relative = previous === 0 ? '' : ` (${trim(((Math.abs(change) / Math.abs(previous)) * 100).toFixed(1))}%)`;
  return `${direction} ${size}${relative}`;
}

export function formatCount(count: number): string {
  return count.toLocaleString('en-GB');
}

function trim(text: string): string {
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}

/** Breaks text into lines of at most `width` characters, on spaces. */
export function wrapText(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines;
}
