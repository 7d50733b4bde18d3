import { Module, type OnModuleInit } from '@nestjs/common';
import { registerProblemTypes } from '../http/problem-details.js';
import {
  GetCommitmentHandler,
  GetCommitmentHistoryHandler,
  ListCommitmentsHandler,
} from './read/commitment.queries.js';
import { CitationsController } from './read/citations/citations.controller.js';
import { CommitmentsController } from './read/commitments.controller.js';
import { CorrectionsController } from './read/corrections/corrections.controller.js';
import { CorrectionsQueries } from './read/corrections/corrections.queries.js';
import { CorrectionDevelopmentsController } from './write/corrections.controller.js';
import { LifecycleDevelopmentsController } from './write/lifecycle.controller.js';
import { MembershipDevelopmentsController } from './write/membership.controller.js';
import { RecordDevelopmentHandler } from './write/record-development.handler.js';
import { ScheduleDevelopmentsController } from './write/schedule.controller.js';
import { TreatyDevelopmentsController } from './write/treaty.controller.js';
import { StatisticsController } from './read/statistics/statistics.controller.js';
import { CommitmentStreamModule } from './commitment-stream.module.js';
import { SourcesModule } from '../sources/sources.module.js';
import { COMMITMENT_PROBLEMS } from './commitment.problems.js';

/**
 * The commitments resource: a write controller per family of developments (each route one command),
 * its reads and counts.
 */
@Module({
  imports: [CommitmentStreamModule, SourcesModule],
  controllers: [
    CommitmentsController,
    LifecycleDevelopmentsController,
    ScheduleDevelopmentsController,
    MembershipDevelopmentsController,
    TreatyDevelopmentsController,
    CorrectionDevelopmentsController,
    CitationsController,
    CorrectionsController,
    StatisticsController,
  ],
  providers: [
    RecordDevelopmentHandler,
    GetCommitmentHandler,
    ListCommitmentsHandler,
    GetCommitmentHistoryHandler,
    CorrectionsQueries,
  ],
})
export class CommitmentsModule implements OnModuleInit {
  onModuleInit(): void {
    registerProblemTypes(COMMITMENT_PROBLEMS);
  }
}
