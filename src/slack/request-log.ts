// Log lines that carry the request id, so one slash command can be followed through the log.
import { randomBytes } from 'node:crypto';
import type { Logger } from '@slack/bolt';

export interface RequestLog {
  readonly id: string;
  info(message: string): void;
  warn(message: string): void;
  error(message: string, err?: unknown): void;
}

export function newRequestId(): string {
  return randomBytes(4).toString('hex');
}

export function requestLog(logger: Logger, id: string = newRequestId()): RequestLog {
  const tag = `[req ${id}]`;
  return {
    id,
    info: (m) => logger.info(`${tag} ${m}`),
    warn: (m) => logger.warn(`${tag} ${m}`),
    error: (m, err) => logger.error(`${tag} ${m}${err ? `: ${(err as Error)?.stack ?? String(err)}` : ''}`),
  };
}
