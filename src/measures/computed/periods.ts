// Period arithmetic and wording for 'YYYY-MM' periods. Pure and tiny, shared by the
// computed methods, the charts and the alt text so they all name periods the same way.

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

/** Months since year 0, so periods can be subtracted. */
export function periodIndex(period: string): number {
  const year = Number(period.slice(0, 4));
  const month = Number(period.slice(5, 7));
  return year * 12 + (month - 1);
}

export function periodFromIndex(index: number): string {
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  return `${year}-${String(month).padStart(2, '0')}`;
}

export function addMonths(period: string, months: number): string {
  return periodFromIndex(periodIndex(period) + months);
}

/** "Nov 21": short enough for an axis tick at 360 px. */
export function shortPeriodLabel(period: string): string {
  return `${monthName(period)} ${period.slice(2, 4)}`;
}

/** "Nov 2021". */
export function longPeriodLabel(period: string): string {
  return `${monthName(period)} ${period.slice(0, 4)}`;
}

/** "Jan–Nov 2021", or "Dec 2020–Nov 2021" across years, or "Nov 2021" for one period. */
export function periodRangeLabel(from: string, to: string): string {
  if (from === to) return longPeriodLabel(to);
  if (from.slice(0, 4) === to.slice(0, 4)) return `${monthName(from)}–${longPeriodLabel(to)}`;
  return `${longPeriodLabel(from)}–${longPeriodLabel(to)}`;
}

function monthName(period: string): string {
  return MONTHS[Number(period.slice(5, 7)) - 1] ?? period;
}

/** Months between one period and the next for a measure's update interval. */
export function intervalMonths(measure: { updateInterval: 'monthly' | 'quarterly' | 'annual' }): number {
  return { monthly: 1, quarterly: 3, annual: 12 }[measure.updateInterval];
}
