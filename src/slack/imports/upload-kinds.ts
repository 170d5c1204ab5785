// A file shared by a person (a message with subtype file_share), and which import a file is
// for, from its name: police.uk street files and archives, ONS workbooks, series files.
import type { ImportKind } from '../../import/preview.ts';

export interface Upload {
  channel: string;
  ts: string;
  /** The thread it was posted in, or null for a top-level message. */
  threadTs: string | null;
  user: string;
  text: string;
  /** A direct message with the bot. */
  isDm: boolean;
  files: { id: string; name: string }[];
}

interface RawUpload {
  subtype?: string;
  channel?: string;
  channel_type?: string;
  ts?: string;
  thread_ts?: string;
  user?: string;
  bot_id?: string;
  text?: string;
  files?: { id?: string; name?: string; title?: string }[];
}

export function classifyUpload(event: unknown): Upload | null {
  const e = event as RawUpload;
  if (e?.subtype !== 'file_share' || typeof e.channel !== 'string' || typeof e.ts !== 'string') return null;
  if (typeof e.user !== 'string' || e.bot_id) return null;
  const files = (e.files ?? []).flatMap((f) =>
    typeof f.id === 'string' ? [{ id: f.id, name: f.name ?? f.title ?? f.id }] : [],
  );
  if (files.length === 0) return null;
  return {
    channel: e.channel,
    ts: e.ts,
    threadTs: e.thread_ts && e.thread_ts !== e.ts ? e.thread_ts : null,
    user: e.user,
    text: e.text ?? '',
    isDm: e.channel_type === 'im' || e.channel.startsWith('D'),
    files,
  };
}

/**
 * Which import reads a file, by its name: a police.uk street file (YYYY-MM-<force>-street.csv)
 * or a .zip of them; an ONS force-area workbook (named as ONS publishes them, e.g.
 * "pfatablesdec19.xlsx" or "policeforceareatables…"); any other .csv or .xlsx is a series file.
 * null: not a data file the bot reads.
 */
export function importKindOf(fileName: string): ImportKind | null {
  const name = fileName.toLowerCase();
  if (name.endsWith('.zip')) return 'police-uk';
  if (/^\d{4}-\d{2}-[a-z0-9-]+-street\.csv$/.test(name)) return 'police-uk';
  if (name.endsWith('.xlsx') && /pfa|police ?force ?area/.test(name)) return 'ons';
  if (name.endsWith('.csv') || name.endsWith('.xlsx')) return 'series';
  return null;
}
