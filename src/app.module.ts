import { type DynamicModule, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import type { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { EventStoreModule } from './event-store/event-store.module';
import { AuthModule } from './auth/auth.module';
import { HealthModule } from './health/health.module';
import { CommitmentsModule } from './commitments/commitments.module';
import { SeedModule } from './seed/seed.module';
import { ProjectionsModule } from './projections/projections.module';

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
