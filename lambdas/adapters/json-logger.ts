import type { Logger } from '../ports.ts';

/** One JSON object per line, which CloudWatch Logs Insights can query field by field. */
export function jsonLogger(base: Record<string, unknown> = {}, write: (line: string) => void = console.log): Logger {
  const emit = (level: string, message: string, fields?: Record<string, unknown>) =>
    write(JSON.stringify({ level, message, ...base, ...fields, time: new Date().toISOString() }));
  return {
    info: (message, fields) => emit('info', message, fields),
    warn: (message, fields) => emit('warn', message, fields),
    error: (message, fields) => emit('error', message, fields),
  };
}
