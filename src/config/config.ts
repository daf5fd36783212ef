import type { CaseSource } from '../common/domain';
import { randomBytes } from 'node:crypto';

/**
 * Configuration from the environment (SPEC §14), validated once at start. A bad value stops the process
 * with one clear line. Development defaults are generated; production refuses to start without real secrets.
 */
export interface AppConfig {
  nodeEnv: string;
  databaseUrl: string;
  redisUrl: string;
  /** Hash-tagged so that every key of one deployment lands in one Redis Cluster slot. */
  queuePrefix: string;
  port: number;
  host: string;
  jwtSecret: string;
  jwtTtlSeconds: number;
  dataEncryptionKey: Buffer;
  adminUsername: string | null;
  adminPassword: string | null;
  smtpUrl: string | null;
  /** Sender of the service's e-mail (SMTP_FROM). */
  smtpFrom: string;
  smsProvider: string;
  /** The HTTP SMS provider's endpoint and key (SMS_HTTP_URL, SMS_HTTP_KEY), required with SMS_PROVIDER=http. */
  smsHttpUrl: string | null;
  smsHttpKey: string | null;
  webhookAllowPrivate: boolean;
  /** How long one webhook or HTTP SMS attempt may take (WEBHOOK_TIMEOUT_MS, default 10 s). */
  webhookTimeoutMs: number;
  /**
   * Waits between delivery attempts (DELIVERY_BACKOFF_MS, comma-separated milliseconds): one attempt more than
   * there are waits. The default gives 8 attempts over about 22 hours (SPEC §7).
   */
  deliveryBackoffMs: number[];
  /** Which proxies may say who the client is (X-Forwarded-For): none by default, else addresses or CIDRs. */
  trustProxy: string[] | false;
  logLevel: string;
  corsOrigins: string[];
  /** Reminders due within this many minutes are held in Redis as delayed jobs (SPEC §6); the rest wait in PostgreSQL. */
  deadlineHorizonMinutes: number;
  /** Days after an instalment's dueOn before it is overdue (SPEC §5 'instalment overdue'; default 0). */
  instalmentGraceDays: number;
  mediationDays: MediationDays;
}

export class ConfigError extends Error {}

type Env = Record<string, string | undefined>;

function str(env: Env, name: string, fallback: string): string {
  const v = env[name];
  return v === undefined || v === '' ? fallback : v;
}

function url(env: Env, name: string, fallback: string, protocols: string[]): string {
  const v = str(env, name, fallback);
  let parsed: URL;
  try {
    parsed = new URL(v);
  } catch {
    throw new ConfigError(`${name} is not a valid URL.`);
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(`${name} must use ${protocols.join(' or ')} (got ${parsed.protocol}).`);
  }
  return v;
}

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(`${name} must be a whole number (got "${raw}").`);
  const n = Number(raw);
  if (n < min || n > max) throw new ConfigError(`${name} must be between ${min} and ${max} (got ${n}).`);
  return n;
}

function bool(env: Env, name: string): boolean {
  const raw = (env[name] ?? '').toLowerCase();
  if (raw === '' || raw === 'false' || raw === '0' || raw === 'no') return false;
  if (raw === 'true' || raw === '1' || raw === 'yes') return true;
  throw new ConfigError(`${name} must be true or false (got "${env[name]}").`);
}

export function loadConfig(env: Env = process.env): AppConfig {
  const nodeEnv = str(env, 'NODE_ENV', 'development');
  const production = nodeEnv === 'production';

  const secret = (name: string, minLength: number): string => {
    const v = env[name];
    if (v && v.length >= minLength) return v;
    if (v) throw new ConfigError(`${name} must be at least ${minLength} characters long.`);
    if (production) throw new ConfigError(`${name} is required when NODE_ENV=production.`);
    return randomBytes(32).toString('base64url');
  };

  let dataEncryptionKey: Buffer;
  const keyRaw = env.DATA_ENCRYPTION_KEY;
  if (keyRaw) {
    dataEncryptionKey = Buffer.from(keyRaw, 'base64');
    if (dataEncryptionKey.length !== 32 || !/^[A-Za-z0-9+/=_-]+$/.test(keyRaw)) {
      throw new ConfigError(
        'DATA_ENCRYPTION_KEY must be 32 bytes encoded in base64 (openssl rand -base64 32).',
      );
    }
  } else if (production) {
    throw new ConfigError(
      'DATA_ENCRYPTION_KEY is required when NODE_ENV=production (openssl rand -base64 32).',
    );
  } else {
    // A fixed development key keeps data readable across restarts of a developer's service.
    dataEncryptionKey = Buffer.alloc(32, 7);
  }

  const adminUsername = env.ADMIN_USERNAME || null;
  const adminPassword = env.ADMIN_PASSWORD || null;
  if ((adminUsername === null) !== (adminPassword === null)) {
    throw new ConfigError('ADMIN_USERNAME and ADMIN_PASSWORD must be given together.');
  }
  if (adminPassword !== null && adminPassword.length < 10) {
    throw new ConfigError('ADMIN_PASSWORD must be at least 10 characters long.');
  }

  const smsProvider = str(env, 'SMS_PROVIDER', 'log');
  if (!/^(log|http)$/.test(smsProvider)) throw new ConfigError('SMS_PROVIDER must be "log" or "http".');

  const smsHttpUrl = env.SMS_HTTP_URL ? url(env, 'SMS_HTTP_URL', '', ['http:', 'https:']) : null;
  const smsHttpKey = env.SMS_HTTP_KEY || null;
  if (smsProvider === 'http' && (!smsHttpUrl || !smsHttpKey)) {
    throw new ConfigError('SMS_PROVIDER=http needs SMS_HTTP_URL and SMS_HTTP_KEY.');
  }

  const logLevel = str(env, 'LOG_LEVEL', production ? 'info' : 'info');
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel)) {
    throw new ConfigError('LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent.');
  }

  const queuePrefix = str(env, 'QUEUE_PREFIX', '{mediation}');
  if (!/^\{[A-Za-z0-9_-]{1,40}\}$/.test(queuePrefix)) {
    throw new ConfigError('QUEUE_PREFIX must be a Redis hash tag such as {mediation}.');
  }

  return {
    nodeEnv,
    databaseUrl: url(env, 'DATABASE_URL', 'postgres://postgres@127.0.0.1:5432/mediation', [
      'postgres:',
      'postgresql:',
    ]),
    redisUrl: url(env, 'REDIS_URL', 'redis://127.0.0.1:6379', ['redis:', 'rediss:']),
    queuePrefix,
    port: int(env, 'PORT', 3000, 0, 65535),
    host: str(env, 'HOST', '0.0.0.0'),
    jwtSecret: secret('JWT_SECRET', 32),
    jwtTtlSeconds: int(env, 'JWT_TTL_SECONDS', 900, 60, 86400),
    dataEncryptionKey,
    adminUsername,
    adminPassword,
    smtpUrl: env.SMTP_URL ? url(env, 'SMTP_URL', '', ['smtp:', 'smtps:']) : null,
    smtpFrom: str(env, 'SMTP_FROM', '劳动争议调解 <noreply@mediation.invalid>'),
    smsProvider,
    smsHttpUrl,
    smsHttpKey,
    webhookAllowPrivate: bool(env, 'WEBHOOK_ALLOW_PRIVATE'),
    webhookTimeoutMs: int(env, 'WEBHOOK_TIMEOUT_MS', 10_000, 100, 120_000),
    deliveryBackoffMs: backoff(env.DELIVERY_BACKOFF_MS),
    trustProxy: trustProxy(env.TRUST_PROXY),
    logLevel,
    corsOrigins: str(env, 'CORS_ORIGINS', '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    deadlineHorizonMinutes: int(env, 'DEADLINE_HORIZON_MINUTES', 60, 1, 24 * 60),
    instalmentGraceDays: int(env, 'INSTALMENT_GRACE_DAYS', 0, 0, 60),
    mediationDays: mediationDays(env.MEDIATION_DAYS),
  };
}

/** 1 min, 5 min, 30 min, 1 h, 2 h, 6 h, 12 h: 8 attempts over about 22 hours. */
const DEFAULT_BACKOFF_MS = [60_000, 300_000, 1_800_000, 3_600_000, 7_200_000, 21_600_000, 43_200_000];

function backoff(raw: string | undefined): number[] {
  if (raw === undefined || raw.trim() === '') return DEFAULT_BACKOFF_MS;
  const parts = raw.split(',').map((p) => p.trim());
  if (parts.length > 30 || !parts.every((p) => /^\d{1,9}$/.test(p))) {
    throw new ConfigError('DELIVERY_BACKOFF_MS must be up to 30 comma-separated whole numbers of milliseconds.');
  }
  return parts.map(Number);
}

/** Mediation period in days by case source, and for simplified court-entrusted cases (SPEC §6). */
export type MediationDays = Record<CaseSource | 'simplified', number>;

const DEFAULT_MEDIATION_DAYS: MediationDays = {
  walk_in: 15,
  hotline: 15,
  online: 15,
  arbitration_transfer: 15,
  court_delegated: 30,
  court_entrusted: 15,
  simplified: 7,
};

/** `MEDIATION_DAYS=court_delegated=30,simplified=7`: overrides of the defaults, each 1–90 days. */
function mediationDays(raw: string | undefined): MediationDays {
  const days = { ...DEFAULT_MEDIATION_DAYS };
  for (const part of (raw ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const m = /^([a-z_]+)=(\d{1,2})$/.exec(part);
    const n = m ? Number(m[2]) : 0;
    if (!m || !(m[1] in days) || n < 1 || n > 90) {
      throw new ConfigError(
        `MEDIATION_DAYS must be source=days pairs (1–90), e.g. court_delegated=30,simplified=7 (got "${part}").`,
      );
    }
    days[m[1] as keyof MediationDays] = n;
  }
  return days;
}

/** Rate limits key on the client address, so only named proxies may set it (never every client). */
function trustProxy(raw: string | undefined): string[] | false {
  if (!raw) return false;
  const list = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const item of list) {
    if (!/^[0-9a-fA-F:.]+(\/\d{1,3})?$/.test(item)) {
      throw new ConfigError(
        `TRUST_PROXY must list proxy addresses or CIDRs, e.g. 127.0.0.1,10.0.0.0/8 (got "${item}").`,
      );
    }
  }
  return list;
}

export const APP_CONFIG = Symbol('APP_CONFIG');
