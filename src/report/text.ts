// Wording shared by the three renderers, so the PDF, HTML and Markdown say the same things.
import type { ActionView } from '../measures/answer.ts';
import { dateLabel } from '../measures/wording.ts';
import type { ReportChange } from './changes.ts';
import type { ReportMeasure, ReportModel } from './model.ts';

export const SECTION = {
  contents: 'Contents',
  glossary: 'Glossary',
  changes: 'What changed this quarter',
  sources: 'Sources and caveats',
  actions: 'Planned action to drive performance',
  comments: 'Comments',
} as const;

/** "Owner: DCI Smith · due 1 Dec 2026 · done", or "No owner or due date set · open". */
export function actionMeta(a: ActionView): string {
  const parts = [
    a.owner ? `Owner: ${a.owner}` : 'No owner set',
    a.due ? `due ${dateLabel(a.due)}` : 'no due date',
    a.done ? 'done' : 'open',
  ];
  return parts.join(' · ');
}

/** The facts under a measure's title: what the analyst set, then what the series computes. */
export function measureFacts(m: ReportMeasure): string[] {
  return [
    `Trend / outlook: ${m.trend} (set ${m.trendAsOf})`,
    `MSG position: ${m.msg}`,
    `Latest figure: ${m.latest}${m.illustrative ? ' (illustrative)' : ''}`,
    ...(m.computedTrend ? [`Computed from the series: ${m.computedTrend}`] : []),
    ...(m.computedMsg ? [`Computed MSG position: ${m.computedMsg}`] : []),
  ];
}

/** "trend: Stable → Small increase". */
export function changeText(c: ReportChange): string {
  return `${c.kind === 'value' || c.kind === 'peer' ? 'figure' : c.kind.replace('-', ' ')}: ${c.from} → ${c.to}`;
}

/** "by U123 on 12 Oct 2026". */
export function changeWho(c: ReportChange): string {
  return `by ${c.by} on ${dateLabel(c.at.slice(0, 10))}`;
}

export function changesSummary(model: ReportModel): string {
  const { improvedMeasures, worsenedMeasures } = model.changes;
  const n = (k: number) => `${k} measure${k === 1 ? '' : 's'}`;
  return `${n(improvedMeasures.length)} improved and ${n(worsenedMeasures.length)} worsened in the quarter.`;
}

export function generatedLine(model: ReportModel): string {
  return `Generated ${model.generated} from the measures store, as it stood then.`;
}
