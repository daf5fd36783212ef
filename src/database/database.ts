import { types } from 'pg';
import { DataSource, DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '../../migrations';
import { AuditEntry } from '../audit/audit.entity';
import type { AppConfig } from '../config/config';
import { Organisation } from '../organisations/organisation.entity';
import { MediatorConflict, User } from '../users/user.entity';

// Legal dates are local calendar dates (SPEC §6): keep `date` columns as 'YYYY-MM-DD', never as a shifted Date.
types.setTypeParser(1082, (v) => v);

export const ENTITIES = [Organisation, User, MediatorConflict, AuditEntry];

export function dataSourceOptions(config: Pick<AppConfig, 'databaseUrl'>, poolSize = 20): DataSourceOptions {
  return {
    type: 'postgres',
    url: config.databaseUrl,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    synchronize: false,
    logging: false,
    extra: {
      max: poolSize,
      // Fail fast when PostgreSQL is away, so requests answer 503 instead of hanging (SPEC §12).
      connectionTimeoutMillis: 3000,
      idleTimeoutMillis: 30000,
      statement_timeout: 30000,
      application_name: 'mediation',
    },
  };
}

export function createDataSource(config: Pick<AppConfig, 'databaseUrl'>, poolSize?: number): DataSource {
  return new DataSource(dataSourceOptions(config, poolSize));
}
