import { context, trace } from '@opentelemetry/api';
import { safeErrorText } from './error-text';
import { redactPersonal } from './redaction';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
type Fields = Record<string, unknown>;

export interface Logger {
  debug(message: string, fields?: Fields): void;
  info(message: string, fields?: Fields): void;
  warn(message: string, fields?: Fields): void;
  error(message: string, fields?: Fields): void;
  /** A logger whose lines all carry these fields (service, instance, queue…). */
  child(fields: Fields): Logger;
}

const rank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** One JSON object per line on stdout (stderr for warnings and errors): greppable and machine-readable. */
export function createLogger(options: { level?: LogLevel; fields?: Fields; write?: (level: LogLevel, line: string) => void } = {}): Logger {
  const threshold = rank[options.level ?? 'info'];
  const write = options.write ?? ((level, line) => (rank[level] >= rank.warn ? process.stderr : process.stdout).write(`${line}\n`));
  const make = (base: Fields): Logger => {
    const log = (level: LogLevel) => (message: string, fields?: Fields) => {
      if (rank[level] < threshold) return;
      write(level, JSON.stringify({ time: new Date().toISOString(), level, message, ...base, ...traceOf(), ...serialize(fields) }));
    };
    return {
      debug: log('debug'),
      info: log('info'),
      warn: log('warn'),
      error: log('error'),
      child: (fields) => make({ ...base, ...fields }),
    };
  };
  return make(options.fields ?? {});
}

/** The trace a line was written in (a request, a delivery, an activity), to find its spans; nothing outside one. */
function traceOf(): { traceId?: string } {
  const span = trace.getSpanContext(context.active());
  return span && trace.isSpanContextValid(span) ? { traceId: span.traceId } : {};
}

/** A logger that drops everything; for tests and tools that have nothing to say. */
export const silentLogger: Logger = createLogger({ write: () => {} });

function serialize(fields: Fields | undefined): Fields | undefined {
  if (!fields) return fields;
  const entries = Object.entries(fields);
  // Never error.message as it is: it can carry bound parameters and quoted values (health data). Its class stays readable.
  const errors = entries
    .filter(([, value]) => value instanceof Error)
    .map(([key, value]) => [key, { name: (value as Error).name, message: safeErrorText(value) }]);
  // Nor a person's details or clinical content, however a caller passed them.
  const rest = redactPersonal(Object.fromEntries(entries.filter(([, value]) => !(value instanceof Error))), 7) as Fields;
  return { ...rest, ...Object.fromEntries(errors) };
}
