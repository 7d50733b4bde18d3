import { Module } from '@nestjs/common';
import { CommitmentStreamModule } from '../commitments/commitment-stream.module.js';
import { ProjectionsModule } from '../projections/projections.module.js';
import { ExportController } from './export.controller.js';
import { LogRestorer } from './log-restorer.js';

/** Export of the log (HTTP and CLI) and its restore into an empty database (CLI). */
@Module({
  imports: [CommitmentStreamModule, ProjectionsModule],
  controllers: [ExportController],
  providers: [LogRestorer],
  exports: [LogRestorer],
})
export class LogTransferModule {}
