import type { Logger } from '../ports.ts';

type Level = 'info' | 'warn' | 'error';

/**
 * Structured logs that keep their level on Lambda. With Lambda's JSON log format
 * (`AWS_LAMBDA_LOG_FORMAT=JSON`, set by the stack) the runtime turns each `console.info/warn/error`
 * call into one JSON line at that level (`console.log` would be INFO whatever it says), and an object
 * argument stays JSON inside the line's `message` instead of escaped text; the runtime adds the time
 * and request id. Elsewhere (local mode, replay) it writes one JSON line per entry to `write`.
 */
export function jsonLogger(base: Record<string, unknown> = {}, write?: (line: string) => void): Logger {
  const onLambda = write === undefined && process.env.AWS_LAMBDA_LOG_FORMAT === 'JSON';
  const writeLine = write ?? console.log;
  const emit = (level: Level, message: string, fields?: Record<string, unknown>) => {
    if (onLambda) console[level]({ message, ...base, ...fields });
    else writeLine(JSON.stringify({ level, message, ...base, ...fields, time: new Date().toISOString() }));
  };
  return {
    info: (message, fields) => emit('info', message, fields),
    warn: (message, fields) => emit('warn', message, fields),
    error: (message, fields) => emit('error', message, fields),
  };
}
