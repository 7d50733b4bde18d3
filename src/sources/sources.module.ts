import { Module, type OnModuleInit } from '@nestjs/common';
import { registerProblemTypes } from '../http/problem-details.js';
import { SourcesController } from './sources.controller.js';
import { SOURCE_PROBLEMS } from './sources.errors.js';
import { SourcesService } from './sources.service.js';

/** Registered sources: the documents developments cite, with their texts and digests. */
@Module({
  controllers: [SourcesController],
  providers: [SourcesService],
  exports: [SourcesService],
})
export class SourcesModule implements OnModuleInit {
  onModuleInit(): void {
    registerProblemTypes(SOURCE_PROBLEMS);
  }
}
