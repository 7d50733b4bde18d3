import { Controller, Get, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequireRole } from '../../../auth/access.decorators.js';
import { PartyParamsDto, PartyCommitmentsViewDto } from './parties.dto.js';
import { PartyCommitmentsQueries } from './party-commitments.queries.js';

@ApiTags('parties')
@Controller('parties')
export class PartiesController {
  constructor(private readonly queries: PartyCommitmentsQueries) {}

  @Get(':party')
  @RequireRole('reader')
  @ApiOperation({
    summary: "A party's commitments, with its roles, participation, stance and latest score",
    description:
      'Every commitment the party is a party to, proposed, witnessed or spoke on. Participation and status ' +
      'are those of the day of the request (UTC). A party involved in no commitment gets an empty list. ' +
      'Built asynchronously from the event log (see GET /admin/projections).',
  })
  @ApiOkResponse({ type: PartyCommitmentsViewDto })
  async view(@Param() params: PartyParamsDto): Promise<PartyCommitmentsViewDto> {
    const today = new Date().toISOString().slice(0, 10);
    return { party: params.party, commitments: await this.queries.commitmentsOf(params.party, today) };
  }
}
