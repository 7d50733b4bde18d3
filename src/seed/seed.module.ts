import { Inject, Module, type OnApplicationBootstrap } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { SourcesModule } from '../sources/sources.module.js';
import { SeedLoader } from './seed-loader.js';

/** Loads the seed corpus once the app is up (SEED=false turns it off). */
@Module({ imports: [SourcesModule], providers: [SeedLoader], exports: [SeedLoader] })
export class SeedModule implements OnApplicationBootstrap {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly loader: SeedLoader,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.seed) await this.loader.load();
  }
}
