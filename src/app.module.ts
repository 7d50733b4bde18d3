import { type DynamicModule, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import type { AppConfig } from './config/app-config.js';
import { ConfigModule } from './config/config.module.js';
import { DatabaseModule } from './database/database.module.js';
import { EventStoreModule } from './event-store/event-store.module.js';
import { AuthModule } from './auth/auth.module.js';
import { HealthModule } from './health/health.module.js';
import { CommitmentsModule } from './commitments/commitments.module.js';
import { SeedModule } from './seed/seed.module.js';
import { ProjectionsModule } from './projections/projections.module.js';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule,
        EventStoreModule,
        CqrsModule.forRoot(),
        AuthModule,
        HealthModule,
        CommitmentsModule,
        SeedModule,
        ProjectionsModule,
      ],
    };
  }
}
