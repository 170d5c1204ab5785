// A line logger for the bot, implementing Bolt's Logger interface: timestamp, level, message.
import { LogLevel, type Logger } from '@slack/bolt';

const ORDER: Record<LogLevel, number> = {
  [LogLevel.DEBUG]: 0,
  [LogLevel.INFO]: 1,
  [LogLevel.WARN]: 2,
  [LogLevel.ERROR]: 3,
};

export function createLogger(options: { level?: LogLevel; write?: (line: string) => void } = {}): Logger {
  let level = options.level ?? LogLevel.INFO;
  let name = 'measures-bot';
  const write = options.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const at =
    (l: LogLevel) =>
    (...msg: unknown[]) => {
      if (ORDER[l] < ORDER[level]) return;
      const text = msg
        .map((m) => (m instanceof Error ? (m.stack ?? m.message) : typeof m === 'string' ? m : JSON.stringify(m)))
        .join(' ');
      write(`${new Date().toISOString()} ${l.toUpperCase()} ${name} ${text}`);
    };
  return {
    debug: at(LogLevel.DEBUG),
    info: at(LogLevel.INFO),
    warn: at(LogLevel.WARN),
    error: at(LogLevel.ERROR),
    setLevel: (l) => {
      level = l;
    },
    getLevel: () => level,
    setName: (n) => {
      name = n;
    },
  };
}
