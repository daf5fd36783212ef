import { BullModule } from '@nestjs/bullmq';
import { DynamicModule, Module } from '@nestjs/common';
import { CoreModule } from './app.module';
import type { AppConfig } from './config/config';
import { CasesService } from './cases/cases.service';
import { DEADLINE_WORKER_PROVIDERS } from './deadlines/deadlines.module';
import { DEADLINES_QUEUE } from './deadlines/deadline-queue';
import { DELIVERIES_QUEUE } from './notifications/delivery-queue';
import { NOTIFICATION_WORKER_PROVIDERS } from './notifications/notifications.module';
import { REPORT_WORKER_PROVIDERS, REPORTS_QUEUE } from './reports/reports.module';
import {
  MAINTENANCE_QUEUE,
  MaintenanceProcessor,
  MaintenanceScheduler,
} from './maintenance/maintenance.processor';

/** Queue names are constant; the hash-tagged prefix keeps one deployment's keys in one Redis Cluster slot. */
export function bullRoot(config: AppConfig) {
  const url = new URL(config.redisUrl);
  return BullModule.forRoot({
    prefix: config.queuePrefix,
    connection: {
      host: url.hostname,
      port: Number(url.port || 6379),
      username: url.username || undefined,
      password: url.password ? decodeURIComponent(url.password) : undefined,
      db: url.pathname.length > 1 ? Number(url.pathname.slice(1)) : 0,
      tls: url.protocol === 'rediss:' ? {} : undefined,
      maxRetriesPerRequest: null,
    },
  });
}

@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        CoreModule.forRoot(config),
        bullRoot(config),
        BullModule.registerQueue({ name: MAINTENANCE_QUEUE }),
        BullModule.registerQueue({ name: DEADLINES_QUEUE }),
        BullModule.registerQueue({ name: REPORTS_QUEUE }),
        BullModule.registerQueue({ name: DELIVERIES_QUEUE }),
      ],
      // CasesService: the scheduler's own case changes (instalment overdue) take the one path of every change.
      providers: [
        MaintenanceProcessor,
        MaintenanceScheduler,
        CasesService,
        ...DEADLINE_WORKER_PROVIDERS,
        ...NOTIFICATION_WORKER_PROVIDERS,
        ...REPORT_WORKER_PROVIDERS,
      ],
    };
  }
}
