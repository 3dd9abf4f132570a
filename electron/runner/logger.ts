import { pino, type DestinationStream } from 'pino';
import { redactedPaths } from '../common/redaction';

export interface RunnerLogger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** JSON lines to stderr (or `destination`); secret-named fields become "[redacted]". */
export function createRunnerLogger(destination?: DestinationStream): RunnerLogger {
  const base = pino(
    { name: 'paddock-runner', redact: { paths: redactedPaths, censor: '[redacted]' }, serializers: { error: pino.stdSerializers.err } },
    destination ?? pino.destination(2),
  );
  return {
    info: (message, fields) => base.info(fields ?? {}, message),
    warn: (message, fields) => base.warn(fields ?? {}, message),
    error: (message, fields) => base.error(fields ?? {}, message),
  };
}
