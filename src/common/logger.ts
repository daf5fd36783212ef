import { LoggerService } from '@nestjs/common';
import pino, { Logger } from 'pino';

/**
 * Structured JSON logs (SPEC §14). Request bodies are never logged and credentials are redacted, so personal
 * data (names, ID numbers, phones) does not reach the logs.
 */
export function createPino(level: string, name: string, destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    name,
    base: { pid: process.pid, proc: name },
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["idempotency-key"]'],
      remove: true,
    },
    timestamp: pino.stdTimeFunctions.isoTime,
    serializers: {
      // The query string can carry an ID number (GET /cases?idNumber=…): log the path only.
      req: (req: { id?: string; method?: string; url?: string }) => ({
        id: req.id,
        method: req.method,
        // A calendar feed's token is its credential (SPEC §8): never logged.
        path: (req.url ?? '').split('?')[0].replace(/^\/calendar-feeds\/[^/]+/, '/calendar-feeds/…'),
      }),
      err: pino.stdSerializers.err,
    },
  };
  return destination ? pino(options, destination) : pino(options);
}

export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}
  /** A plain object is logged as fields (`msg` its message), so a line can be structured beyond its text. */
  log(message: unknown, context?: string) {
    if (
      message !== null &&
      typeof message === 'object' &&
      !Array.isArray(message) &&
      !(message instanceof Error)
    ) {
      const { msg, ...fields } = message as Record<string, unknown>;
      this.logger.info({ context, ...fields }, String(msg ?? context ?? ''));
      return;
    }
    this.logger.info({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string) {
    this.logger.error({ context, trace }, String(message));
  }
  warn(message: unknown, context?: string) {
    this.logger.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string) {
    this.logger.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string) {
    this.logger.trace({ context }, String(message));
  }
}
