import { pino, type DestinationStream } from 'pino';
import { redactedPaths } from '../common/redaction';

/** Structured logging; secret-looking fields are redacted before anything is written. */
export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/**
 * A JSON-lines logger (pino) that writes to `destination` (stderr when none
 * is given) and replaces every field named like a secret with "[redacted]".
 */
export function createLogger(options: { name: string; destination?: DestinationStream; level?: string }): Logger {
  const base = pino(
    {
      name: options.name,
      level: options.level ?? 'info',
      redact: { paths: redactedPaths, censor: '[redacted]' },
      serializers: { error: pino.stdSerializers.err },
    },
    options.destination ?? pino.destination(2),
  );
  return {
    info: (message, fields) => base.info(fields ?? {}, message),
    warn: (message, fields) => base.warn(fields ?? {}, message),
    error: (message, fields) => base.error(fields ?? {}, message),
  };
}

/** A logger that drops everything, for tests that do not look at logs. */
export const silentLogger: Logger = { info() {}, warn() {}, error() {} };

/**
 * A log file for `createLogger`, appended to synchronously and readable by
 * this user only: each line is in the file once the call returns (the web
 * host's logs, which "Collect diagnostics" reads back at once in its tests).
 */
export function logFileDestination(file: string): ReturnType<typeof pino.destination> {
  return pino.destination({ dest: file, sync: true, append: true, mkdir: true, mode: 0o600 });
}
