// The quarterly report as data: store + quarter + clock in, everything a renderer prints out.
// Pure: the PDF, HTML and Markdown renderers read this and compute nothing themselves.
import { DateTime } from 'luxon';
import type { Store } from '../store/index.ts';
import { answerFor, type ActionView, type MeasureView } from '../measures/answer.ts';
import { latestShort } from '../measures/glance.ts';
import { trendLabelsAgree } from '../measures/computed/index.ts';
import { dateLabel, periodLabel } from '../measures/wording.ts';
import { quarterChanges, type QuarterChanges } from './changes.ts';
import type { Quarter } from './quarter.ts';

export interface ReportMeasure {
  id: string;
  title: string;
  /** The published (or analyst-set) label, verbatim. */
  trend: string;
  trendAsOf: string;
  /** The MSG position in the report's own words, e.g. "8th/8 MSG (higher than MSG average rates)". */
  msg: string;
  /** "Dec 21: 125 crimes, −1% on Nov 21". */
  latest: string;
  /** Only where the series disagrees with the label: "Large increase (12 periods to December 2021)". */
  computedTrend: string | null;
  /** The computed MSG position where it differs from the published one. */
  computedMsg: string | null;
  illustrative: boolean;
  hasChart: boolean;
  comments: Array<{ text: string; by: string | null; at: string | null }>;
}

export interface ReportPriority {
  id: string;
  title: string;
  measures: ReportMeasure[];
  actions: ActionView[];
  comments: string[];
}

export interface ReportSource {
  measure: string;
  source: string;
  sourceUrl: string | null;
  official: boolean;
  caveats: string[];
}

export interface ReportModel {
  force: string;
  title: string;
  subtitle: string;
  quarter: Quarter;
  /** "29 Nov 2026". */
  generated: string;
  /** Set when any series is illustrative: said on the title page, never in small print. */
  illustrativeNotice: string | null;
  glossary: Array<{ term: string; definition: string }>;
  priorities: ReportPriority[];
  changes: QuarterChanges;
  sources: ReportSource[];
}

export interface ReportOptions {
  quarter: Quarter;
  now: Date;
  zone: string;
}

function reportMeasure(view: MeasureView): ReportMeasure {
  const ct = view.computedTrend;
  const disagrees = ct && !trendLabelsAgree(view.trend, ct.label);
  return {
    id: view.id,
    title: view.title,
    trend: view.trend,
    trendAsOf: dateLabel(view.trendAsOf),
    msg: view.benchmarkText,
    latest: latestShort(view),
    computedTrend: disagrees ? `${ct.label} (${ct.window.points} periods to ${periodLabel(ct.window.to)})` : null,
    computedMsg: view.computedBenchmark?.comparison ?? null,
    illustrative: view.illustrative,
    hasChart: view.hasChart,
    comments: view.commentDetails.map((c) => ({
      text: c.text,
      by: c.by,
      at: c.at ? dateLabel(c.at.slice(0, 10)) : null,
    })),
  };
}

export function buildReportModel(store: Store, options: ReportOptions): ReportModel {
  const now = DateTime.fromJSDate(options.now).setZone(options.zone);
  const priorities: ReportPriority[] = store.priorities.map((p) => {
    const measures = p.measures.map((m) => {
      const answer = answerFor(store, { kind: 'measure', id: m.id }, '', { now });
      if (answer?.kind !== 'measure') throw new Error(`measure ${m.id} has no answer`);
      return answer;
    });
    const priority = measures[0]!.priority;
    return {
      id: p.id,
      title: p.title,
      measures: measures.map((a) => reportMeasure(a.measure)),
      actions: priority.actions,
      comments: priority.comments,
    };
  });
  const measures = store.priorities.flatMap((p) => p.measures);
  const illustrative = measures.filter((m) => m.series && !m.series.official);
  return {
    force: store.force.name,
    title: store.report.title,
    subtitle: store.report.subtitle,
    quarter: options.quarter,
    generated: now.toFormat('d MMM yyyy'),
    illustrativeNotice:
      illustrative.length > 0
        ? `${illustrative.length} of the ${measures.length} measures are drawn from illustrative series: ` +
          'figures invented to reproduce the published trend and MSG position, not official data. ' +
          'Their charts and figures are marked “illustrative”.'
        : null,
    glossary: store.glossary.map((g) => ({ term: g.term, definition: g.definition })),
    priorities,
    changes: quarterChanges(store, options.quarter, options.zone),
    sources: measures.map((m) => ({
      measure: m.title,
      source: m.series?.source ?? 'No series held: the trend and MSG position are as published.',
      sourceUrl: m.series?.sourceUrl ?? null,
      official: m.series?.official ?? true,
      caveats: m.series?.caveats ?? [],
    })),
  };
}

/** The two-line summary for Slack and `--json`: the quarter, and how many measures moved which way. */
export function reportSummary(model: ReportModel): { quarter: string; improved: number; worsened: number } {
  return {
    quarter: `${model.quarter.label} (${model.quarter.months})`,
    improved: model.changes.improvedMeasures.length,
    worsened: model.changes.worsenedMeasures.length,
  };
}
