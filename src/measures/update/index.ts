// The update language and the one code path that applies it.
export {
  applyUpdate,
  applyUpdateOps,
  formatRefusal,
  summarize,
  type UpdateRequest,
  type UpdateResult,
} from './apply-update.ts';
export { parseUpdate, londonDate } from './parse.ts';
export { isUpdateMessage, UPDATE_SYNTAX } from './syntax.ts';
export { decodeSlackEntities } from './entities.ts';
export { TREND_LABELS, parseTrendLabel, type TrendLabel } from './trend-labels.ts';
export { describeChange, describeBenchmark } from './describe.ts';
export type { UpdateTarget, UpdateOp, ParsedUpdate, Refusal } from './types.ts';
