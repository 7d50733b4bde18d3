import { Module } from '@nestjs/common';
import { CommitmentStreamModule } from '../commitments/commitment-stream.module.js';
import { ImportJobs } from './import-jobs.js';
import { ImportRunner } from './import-runner.js';
import { ImportsController } from './imports.controller.js';

/** Bulk import of developments: `POST /imports`, its jobs, and the runner the CLI shares. */
@Module({
  imports: [CommitmentStreamModule],
  controllers: [ImportsController],
  providers: [ImportJobs, ImportRunner],
  exports: [ImportJobs, ImportRunner],
})
export class ImportsModule {}
