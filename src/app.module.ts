import { type DynamicModule, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { AuthModule } from './auth/auth.module.js';
import { CommitmentsModule } from './commitments/commitments.module.js';
import { FollowUpsModule } from './commitments/read-models/follow-ups/follow-ups.module.js';
import { PartiesModule } from './commitments/read-models/parties/parties.module.js';
import type { AppConfig } from './config/app-config.js';
import { ConfigModule } from './config/config.module.js';
import { DatabaseModule } from './database/database.module.js';
import { EventStoreModule } from './event-store/event-store.module.js';
import { EventsFeedModule } from './events-feed/events-feed.module.js';
import { HealthModule } from './health/health.module.js';
import { ImportsModule } from './imports/imports.module.js';
import { LogTransferModule } from './log-transfer/log-transfer.module.js';
import { ProjectionsModule } from './projections/projections.module.js';
import { SeedModule } from './seed/seed.module.js';
import { SourcesModule } from './sources/sources.module.js';

/** The features of the service. The commitments list their read models in commitment-stream.module.ts. */
const FEATURES = [
  SourcesModule,
  CommitmentsModule,
  FollowUpsModule,
  PartiesModule,
  EventsFeedModule,
  SeedModule,
  LogTransferModule,
  ImportsModule,
];

/** The infrastructure every feature stands on. */
const FOUNDATION = (config: AppConfig) => [
  ConfigModule.forRoot(config),
  DatabaseModule,
  EventStoreModule,
  CqrsModule.forRoot(),
  ProjectionsModule,
];

@Module({})
export class AppModule {
  /** The HTTP service. */
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [...FOUNDATION(config), AuthModule, HealthModule, ...FEATURES],
    };
  }

  /**
   * The same features for a command-line tool's application context: no HTTP-only modules (API keys,
   * health), and the seed is not loaded at start (`seed: false`).
   */
  static forCli(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [...FOUNDATION({ ...config, seed: false }), ...FEATURES],
    };
  }
}
