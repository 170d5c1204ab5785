// The force's reporting quarters end in February, May, August and November (the seed report is
// "Quarter ending November 2021"), so a quarter never matches a calendar quarter.
import { DateTime } from 'luxon';

export interface Quarter {
  /** First month, YYYY-MM. */
  from: string;
  /** Last month, YYYY-MM: the report is named for it. */
  to: string;
  /** "Quarter ending November 2026", as the seed's title page words it. */
  label: string;
  /** "September–November 2026" (or "December 2026–February 2027"). */
  months: string;
  /** "report-2026-11". */
  fileStem: string;
  /** The quarter's first instant and the next quarter's first, in the given zone. */
  start: Date;
  end: Date;
}

const QUARTER_END_MONTHS = [2, 5, 8, 11];

/** The quarter containing `asOf` (YYYY-MM-DD), its boundaries taken at midnight in `zone`. */
export function quarterOf(asOf: string, zone: string): Quarter {
  const day = DateTime.fromISO(asOf, { zone });
  if (!day.isValid) throw new Error(`not a date: ${asOf}`);
  const endMonth = QUARTER_END_MONTHS.find((m) => m >= day.month);
  // December belongs to the quarter ending next February.
  const last = endMonth ? day.set({ month: endMonth }) : day.plus({ years: 1 }).set({ month: 2 });
  const lastMonth = last.startOf('month');
  const firstMonth = lastMonth.minus({ months: 2 });
  const sameYear = firstMonth.year === lastMonth.year;
  return {
    from: firstMonth.toFormat('yyyy-MM'),
    to: lastMonth.toFormat('yyyy-MM'),
    label: `Quarter ending ${lastMonth.toFormat('MMMM yyyy')}`,
    months: `${firstMonth.toFormat(sameYear ? 'MMMM' : 'MMMM yyyy')}–${lastMonth.toFormat('MMMM yyyy')}`,
    fileStem: `report-${lastMonth.toFormat('yyyy-MM')}`,
    start: firstMonth.toJSDate(),
    end: lastMonth.plus({ months: 1 }).toJSDate(),
  };
}
