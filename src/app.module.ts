import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AgreementsController } from './agreements/agreements.controller';
import { AgreementsService } from './agreements/agreements.service';
import { AuditController } from './audit/audit.controller';
import { AuditService } from './audit/audit.service';
import { AuthController } from './auth/auth.controller';
import { AuthGuard } from './auth/auth.guard';
import { AuthService } from './auth/auth.service';
import { AccessTokens } from './auth/tokens';
import { UserCache } from './auth/user-cache';
import { CasesController } from './cases/cases.controller';
import { CONSOLE_CONTROLLERS, CONSOLE_PROVIDERS } from './console/console.module';
import { REFERRAL_CONTROLLERS, REFERRAL_PROVIDERS } from './referrals/referrals.module';
import { CasesService } from './cases/cases.service';
import { CaseTransitions } from './cases/case-transitions';
import { DataProtector } from './common/crypto';
import { ProblemFilter } from './common/problem.filter';
import { DATA_PROTECTOR } from './common/tokens';
import { APP_CONFIG, AppConfig } from './config/config';
import { dataSourceOptions, ENTITIES } from './database/database';
import { CalendarService } from './deadlines/calendar.service';
import { DEADLINE_API_PROVIDERS, DEADLINE_CONTROLLERS } from './deadlines/deadlines.module';
import {
  NOTIFICATION_API_PROVIDERS,
  NOTIFICATION_CONTROLLERS,
} from './notifications/notifications.module';
import { HealthController } from './health/health.controller';
import { ApiMetrics, MetricsController } from './health/metrics';
import { IdempotencyInterceptor } from './idempotency/idempotency.interceptor';
import { OrganisationsController } from './organisations/organisations.controller';
import { OrganisationsService } from './organisations/organisations.service';
import { PUBLIC_CONTROLLERS, PUBLIC_PROVIDERS } from './public/public.module';
import {
  AGENCY_OUTCOME_CONTROLLERS,
  AGENCY_OUTCOME_PROVIDERS,
} from './agency-outcomes/agency-outcomes.module';
import { REPORT_API_PROVIDERS, REPORT_CONTROLLERS } from './reports/reports.module';
import { RedisModule } from './redis/redis.module';
import { ExtensionsService } from './sessions/extensions.service';
import { ExtensionsController, SessionsController } from './sessions/sessions.controller';
import { SessionsListener } from './sessions/sessions.listener';
import { SessionsService } from './sessions/sessions.service';
import { UsersController } from './users/users.controller';
import { UsersService } from './users/users.service';

/** Configuration, database and Redis: what both the API and the worker need. */
@Module({})
export class CoreModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: CoreModule,
      global: true,
      imports: [
        TypeOrmModule.forRoot({ ...dataSourceOptions(config), autoLoadEntities: false }),
        TypeOrmModule.forFeature(ENTITIES),
        RedisModule,
      ],
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: DATA_PROTECTOR, useValue: new DataProtector(config.dataEncryptionKey) },
        AuditService,
        CaseTransitions,
        CalendarService,
      ],
      exports: [APP_CONFIG, DATA_PROTECTOR, AuditService, CaseTransitions, CalendarService, TypeOrmModule],
    };
  }
}

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [CoreModule.forRoot(config)],
      controllers: [
        HealthController,
        MetricsController,
        AuthController,
        OrganisationsController,
        UsersController,
        CasesController,
        SessionsController,
        ExtensionsController,
        AgreementsController,
        AuditController,
        ...DEADLINE_CONTROLLERS,
        ...PUBLIC_CONTROLLERS,
        ...AGENCY_OUTCOME_CONTROLLERS,
        ...REPORT_CONTROLLERS,
        ...NOTIFICATION_CONTROLLERS,
        ...REFERRAL_CONTROLLERS,
        ...CONSOLE_CONTROLLERS,
      ],
      providers: [
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_FILTER, useClass: ProblemFilter },
        ApiMetrics,
        AuthService,
        UserCache,
        AccessTokens,
        OrganisationsService,
        UsersService,
        CasesService,
        SessionsService,
        SessionsListener,
        ExtensionsService,
        AgreementsService,
        IdempotencyInterceptor,
        ...DEADLINE_API_PROVIDERS,
        ...PUBLIC_PROVIDERS,
        ...AGENCY_OUTCOME_PROVIDERS,
        ...REPORT_API_PROVIDERS,
        ...NOTIFICATION_API_PROVIDERS,
        ...REFERRAL_PROVIDERS,
        ...CONSOLE_PROVIDERS,
      ],
    };
  }
}
