// The store is one JSON document. Every type the program uses for it comes from
// these schemas, so a field that is not described here does not exist.
import { z } from 'zod';
import { DateTime } from 'luxon';

export const CURRENT_SCHEMA_VERSION = 2;

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD')
  .refine((s) => DateTime.fromISO(s, { zone: 'utc' }).isValid, 'a calendar date that exists');
const isoDateTime = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'an ISO 8601 date and time');
export const periodSchema = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month as YYYY-MM');
const slug = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'a lower-case slug such as "avon-and-somerset"');

export const forceSchema = z.strictObject({
  slug,
  name: z.string().min(1),
  shortName: z.string().min(1),
  /** police.uk "Falls within" value, used to count rows by force rather than by LSOA. */
  fallsWithin: z.string().min(1),
  onsCode: z.string().regex(/^E23\d{6}$/, 'an ONS police force area code (E23…)'),
  population: z.number().int().positive(),
  populationBasis: z.string().min(1),
  populationSource: z.string().min(1),
});

export const glossaryTermSchema = z.strictObject({
  id: slug,
  term: z.string().min(1),
  aliases: z.array(z.string()),
  definition: z.string().min(1),
  related: z.strictObject({ priorities: z.array(slug), measures: z.array(slug) }),
});

/** A note attached to a priority (from the report) or a measure (from analysts). */
export const commentSchema = z.strictObject({
  text: z.string().min(1),
  by: z.string().nullable(),
  at: isoDateTime.nullable(),
});

export const actionSchema = z.strictObject({
  text: z.string().min(1),
  done: z.boolean(),
  owner: z.string().nullable(),
  due: isoDate.nullable(),
  addedBy: z.string().min(1),
  addedAt: isoDateTime,
  doneBy: z.string().nullable().optional(),
  doneAt: isoDateTime.nullable().optional(),
});

export const trendSchema = z.strictObject({
  /** Exactly as published or as an analyst set it, e.g. "Stable (100%)". */
  label: z.string().min(1),
  asOf: isoDate,
});

/**
 * rank is by performance (1 is best), whatever the polarity. relation is the raw value
 * against the mean of all MSG forces, as the report words it.
 */
export const benchmarkSchema = z.discriminatedUnion('status', [
  z
    .strictObject({
      status: z.literal('published'),
      rank: z.number().int().positive(),
      of: z.number().int().positive(),
      relation: z.enum(['above', 'below', 'similar']),
      asOf: isoDate,
      /** The report's own words, e.g. "8th/8 MSG (higher than MSG average rates)". */
      text: z.string().min(1),
    })
    .refine((b) => b.rank <= b.of, {
      message: 'a rank no greater than the number of forces ranked ("of")',
      path: ['rank'],
    }),
  z.strictObject({
    status: z.literal('not-available'),
    asOf: isoDate,
    text: z.string().min(1),
  }),
]);

export const peerValueSchema = z.strictObject({
  value: z.number(),
  count: z.number().optional(),
  /** Set when the value did not come from the series' source (e.g. "analyst update by U123"). */
  source: z.string().optional(),
});

export const seriesPointSchema = z.strictObject({
  period: periodSchema,
  /** The headline value in the measure's unit (a rate per 1,000 for crime counts). */
  value: z.number(),
  count: z.number().optional(),
  /** Values of MSG peers for the same period, keyed by police.uk slug. */
  peers: z.record(z.string(), peerValueSchema).optional(),
  /** Where this point came from when it differs from the series' source (e.g. an analyst update). */
  source: z.string().optional(),
  importedAt: isoDateTime.optional(),
});

export const seriesSchema = z.strictObject({
  source: z.string().min(1),
  sourceUrl: z.string().optional(),
  /** false means illustrative: invented to reproduce the report, never to be read as official. */
  official: z.boolean(),
  caveats: z.array(z.string()),
  /** Unit of `count`, when points carry one (e.g. "offences"). */
  countUnit: z.string().optional(),
  points: z.array(seriesPointSchema).superRefine((points, ctx) => {
    const seen = new Set<string>();
    points.forEach((p, i) => {
      if (seen.has(p.period))
        ctx.addIssue({
          code: 'custom',
          message: `one point per period; ${p.period} appears twice`,
          path: [i, 'period'],
        });
      seen.add(p.period);
    });
  }),
});

/**
 * What kind of number a measure's values are, so that checks on them (an analyst's update
 * cannot make a count negative or a percentage 140) follow the measure, not the wording of
 * its unit. count: whole things (offences, charges); rate: per head of population;
 * percentage: 0 to 100; other: anything else (only finite and of sane size).
 */
export const UNIT_KINDS = ['count', 'rate', 'percentage', 'other'] as const;
export const unitKindSchema = z.enum(UNIT_KINDS);

export const measureSchema = z.strictObject({
  id: slug,
  title: z.string().min(1),
  aliases: z.array(z.string()),
  unit: z.string().min(1),
  unitKind: unitKindSchema,
  polarity: z.enum(['higher-is-better', 'higher-is-worse']),
  updateInterval: z.enum(['monthly', 'quarterly', 'annual']),
  trend: trendSchema,
  benchmark: benchmarkSchema,
  series: seriesSchema.nullable(),
  /** Source categories that feed this measure, for importers. */
  sourceMapping: z.strictObject({
    policeUk: z.array(z.string()),
    ons: z.array(z.string()),
  }),
  comments: z.array(commentSchema),
});

export const prioritySchema = z.strictObject({
  id: slug,
  title: z.string().min(1),
  aliases: z.array(z.string()),
  plannedActions: z.array(actionSchema),
  comments: z.array(commentSchema),
  measures: z.array(measureSchema).min(1),
});

export const changeSourceSchema = z.strictObject({
  kind: z.enum(['cli', 'slash', 'thread', 'import', 'form']),
  channel: z.string().optional(),
  ts: z.string().optional(),
});

export const changeEntrySchema = z.strictObject({
  id: z.string().min(1),
  /** All entries applied from one message share it; undo and dedupe key on it. */
  messageId: z.string().min(1),
  author: z.string().min(1),
  at: isoDateTime,
  source: changeSourceSchema,
  target: z.strictObject({ kind: z.enum(['measure', 'priority']), id: slug }),
  /** e.g. "trend", "benchmark", "value:2021-11", "peer:kent:2021-11", "action:add", "action:done", "comment". */
  field: z.string().min(1),
  before: z.unknown(),
  after: z.unknown(),
  /** Set on entries written by an undo: the messageId they revert. */
  undoes: z.string().optional(),
});

/**
 * What an import changed, kept so that it can be undone whole: for each measure it fed, the
 * points it touched as they were before and as it wrote them (the change log holds values only,
 * not counts or the points an import created), and the whole series when it replaced one; for
 * ONS, each edition it replaced. Files carry their sha256, so the same file is known again.
 */
export const importRecordSchema = z.strictObject({
  messageId: z.string().min(1),
  at: isoDateTime,
  author: z.string().min(1),
  kind: z.enum(['police-uk', 'ons', 'series']),
  files: z.array(z.strictObject({ name: z.string(), sha256: z.string().nullable() })),
  measures: z.array(
    z.strictObject({
      id: slug,
      /** Set when the import replaced the series whole (illustrative or none before): the series before. */
      replaced: z.strictObject({ before: seriesSchema.nullable() }).optional(),
      /** The series' source, caveats and other details (all but its points), before and after. */
      detailsBefore: z.unknown(),
      detailsAfter: z.unknown(),
      points: z.array(
        z.strictObject({
          period: periodSchema,
          before: seriesPointSchema.nullable(),
          after: seriesPointSchema.nullable(),
        }),
      ),
    }),
  ),
  ons: z.array(
    z.strictObject({
      yearEnding: periodSchema,
      // Lazy: the ONS edition schema is defined further down.
      before: z.lazy(() => onsEditionSchema.nullable()),
      after: z.lazy(() => onsEditionSchema.nullable()),
    }),
  ),
  /** The messageId of the undo that reverted it. */
  undoneBy: z.string().optional(),
});

/**
 * A data file uploaded in Slack, between its preview and Apply or Cancel. Kept in the store so a
 * restart keeps the buttons working; the file's bytes are kept in a temp directory meanwhile.
 */
export const pendingImportSchema = z.strictObject({
  id: z.string().min(1),
  /** Where the preview is posted: the bound answer's thread, or the upload's own thread in a DM. */
  channel: z.string().min(1),
  threadTs: z.string().min(1),
  user: z.string().min(1),
  fileId: z.string().min(1),
  fileName: z.string().min(1),
  sha256: z.string().min(1),
  kind: z.enum(['police-uk', 'ons', 'series']),
  measureId: z.string().nullable(),
  /** The temp copy of the file. */
  path: z.string().min(1),
  createdAt: isoDateTime,
  expiresAt: isoDateTime,
  status: z.enum(['awaiting-measure', 'previewed', 'applied', 'cancelled', 'superseded']),
  /** What Apply must find unchanged (previewKey of the preview shown). */
  previewKey: z.string().optional(),
  previewTs: z.string().optional(),
  /** The applied import's change-log messageId. */
  messageId: z.string().optional(),
  appliedAt: isoDateTime.optional(),
});
export type ImportRecord = z.infer<typeof importRecordSchema>;
export type PendingImport = z.infer<typeof pendingImportSchema>;

export const threadBindingSchema = z.strictObject({
  channel: z.string().min(1),
  ts: z.string().min(1),
  kind: z.enum(['measure', 'priority', 'digest']),
  id: z.string().min(1),
  createdAt: isoDateTime,
});

export const digestKeySchema = z.strictObject({
  channel: z.string().min(1),
  /** ISO week of the slot, e.g. "2026-W48". */
  week: z.string().min(1),
  status: z.enum(['pending', 'sent']),
  createdAt: isoDateTime,
  sentAt: isoDateTime.optional(),
  ts: z.string().optional(),
  since: isoDateTime.optional(),
  until: isoDateTime.optional(),
});

export const digestStateSchema = z.strictObject({
  lastSentAt: isoDateTime.nullable(),
  keys: z.array(digestKeySchema),
});

/**
 * Who follows what. Following a priority covers the measures it has when each change happens;
 * an 'except' row opts one of those measures back out.
 */
export const followSchema = z.strictObject({
  user: z.string().min(1),
  target: z.strictObject({ kind: z.enum(['measure', 'priority']), id: slug }),
  mode: z.enum(['follow', 'except']),
  since: isoDateTime,
});

/** Who opened the bot's Home tab, and when last (written at most hourly per user), so a change republishes it. */
export const homeViewerSchema = z.strictObject({
  user: z.string().min(1),
  openedAt: isoDateTime,
});

/** ONS force-area comparator figures (rolling years), filled by `measures import ons`. */
export const onsEditionSchema = z.strictObject({
  yearEnding: periodSchema,
  sourceFile: z.string(),
  /** The tables' own scope note when it narrows England and Wales, e.g. "(excluding Greater Manchester Police)". */
  scope: z.string().optional(),
  importedAt: isoDateTime,
  areas: z.array(
    z.strictObject({
      code: z.string(),
      name: z.string(),
      population: z.number().nullable(),
      populationBasis: z.string().nullable(),
      counts: z.record(z.string(), z.number().nullable()),
      rates: z.record(z.string(), z.number().nullable()),
    }),
  ),
});

/**
 * A follower DM the bot sent for one or more change sets (their messageIds). A later change
 * set on one of its measures within ten minutes edits it instead of sending another.
 */
export const followerDmSchema = z.strictObject({
  user: z.string().min(1),
  channel: z.string().min(1),
  ts: z.string().min(1),
  messageIds: z.array(z.string().min(1)).min(1),
  measures: z.array(slug),
  sentAt: isoDateTime,
});
export type FollowerDm = z.infer<typeof followerDmSchema>;

/**
 * How far the follower DMs have read the change log: seenThrough is the id of the newest entry
 * whose change set was claimed (null: from the log's start). Absent until the bot first starts
 * with follower DMs, so older changes are never replayed to followers.
 */
export const followerNoticesSchema = z.strictObject({
  seenThrough: z.string().nullable(),
  dms: z.array(followerDmSchema),
});
export type FollowerNotices = z.infer<typeof followerNoticesSchema>;

/** One follower's weekly digest DM: pending before posting, sent after (exactly once per week). */
export const personalDigestKeySchema = z.strictObject({
  user: z.string().min(1),
  week: z.string().min(1),
  status: z.enum(['pending', 'sent']),
  createdAt: isoDateTime,
  channel: z.string().optional(),
  ts: z.string().optional(),
  sentAt: isoDateTime.optional(),
});
export type PersonalDigestKey = z.infer<typeof personalDigestKeySchema>;

export const personalDigestsSchema = z.strictObject({
  /** Users who turned their weekly DM off (`/measures digest off`). */
  off: z.array(z.string().min(1)),
  keys: z.array(personalDigestKeySchema),
});

export const storeSchema = z.strictObject({
  schemaVersion: z.literal(CURRENT_SCHEMA_VERSION),
  report: z.strictObject({
    title: z.string(),
    subtitle: z.string(),
    period: z.string(),
    asOf: isoDate,
    source: z.string(),
  }),
  force: z.strictObject({ slug, name: z.string(), shortName: z.string() }),
  msg: z.strictObject({
    designatedBy: z.string(),
    forces: z.array(forceSchema).min(2),
  }),
  glossary: z.array(glossaryTermSchema),
  priorities: z.array(prioritySchema).min(1),
  changeLog: z.array(changeEntrySchema),
  // What imports changed (for undo) and uploads awaiting Apply: defaulted, as `follows` below.
  imports: z.array(importRecordSchema).default([]),
  pendingImports: z.array(pendingImportSchema).default([]),
  threads: z.array(threadBindingSchema),
  digest: digestStateSchema,
  ons: z.array(onsEditionSchema),
  // Optional, and defaulted, for the same reason as the fields below.
  followerNotices: followerNoticesSchema.optional(),
  personalDigests: personalDigestsSchema.default({ off: [], keys: [] }),
  // Defaults keep stores written before these fields valid without a schema version bump.
  follows: z.array(followSchema).default([]),
  homeViewers: z.array(homeViewerSchema).default([]),
  /**
   * The last version of what Home tabs show (a digest of the priorities and follows) that some
   * process has taken on republishing: with several replicas, one republishes, not each.
   */
  homeRepublished: z.strictObject({ key: z.string().min(1), at: isoDateTime }).optional(),
  /** Channels that asked for the quarterly report in the last few minutes (one per channel per 5 minutes). */
  reportAsks: z.array(z.strictObject({ channel: z.string().min(1), at: isoDateTime })).default([]),
});

export type Store = z.infer<typeof storeSchema>;
export type Force = z.infer<typeof forceSchema>;
export type GlossaryTerm = z.infer<typeof glossaryTermSchema>;
export type Comment = z.infer<typeof commentSchema>;
export type Action = z.infer<typeof actionSchema>;
export type Trend = z.infer<typeof trendSchema>;
export type Benchmark = z.infer<typeof benchmarkSchema>;
export type Series = z.infer<typeof seriesSchema>;
export type SeriesPoint = z.infer<typeof seriesPointSchema>;
export type PeerValue = z.infer<typeof peerValueSchema>;
export type Measure = z.infer<typeof measureSchema>;
export type UnitKind = z.infer<typeof unitKindSchema>;
export type Priority = z.infer<typeof prioritySchema>;
export type ChangeEntry = z.infer<typeof changeEntrySchema>;
export type ChangeSource = z.infer<typeof changeSourceSchema>;
export type ThreadBinding = z.infer<typeof threadBindingSchema>;
export type DigestKey = z.infer<typeof digestKeySchema>;
export type OnsEdition = z.infer<typeof onsEditionSchema>;
export type Follow = z.infer<typeof followSchema>;
export type HomeViewer = z.infer<typeof homeViewerSchema>;
