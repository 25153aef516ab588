// Structured logging: a fixed message plus fields. SQL text and player data are logged only at
// debug level; credentials never.
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string, name = 'segstream'): Logger {
  return pino({ name, level, redact: ['password', '*.password', 'token', '*.token'] });
}
