import { applyDecorators, HttpCode } from '@nestjs/common';
import type { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiHeader, ApiOperation, ApiParam } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { RequireRole } from '../../auth/access.decorators.js';
import type { ApiPrincipal } from '../../auth/api-keys.service.js';
import { ApiProblems } from '../../http/api-problems.decorator.js';
import { parseIfMatch } from '../../http/conditional-requests.js';
import { headerOf, idempotencyOf } from '../../http/idempotency.js';
import { commitmentIdParam, reservationIdParam } from '../dto/path-params.js';
import { DevelopmentRecordedDto } from './development-recorded.dto.js';
import { type DevelopmentCommand, requestFrom } from './development-command.js';
import { developmentDescription, type DevelopmentAction } from './developments.js';
import { RecordDevelopment } from './record-development.command.js';

/**
 * What a write route says beside its `@Post`: it records a development (201), needs an analyst, and is
 * documented from the development's description — its operation id, summary, path parameters, headers
 * and problems.
 */
export const RecordsDevelopment = (action: DevelopmentAction) => {
  const { operationId, summary, path } = developmentDescription(action);
  return applyDecorators(
    HttpCode(201),
    RequireRole('analyst'),
    ApiOperation({ operationId, summary }),
    ...(path.includes('{id}')
      ? [
          ApiParam({
            name: 'id',
            description: 'The commitment',
            example: 'asean-us-plan-of-action-2021-2025',
          }),
        ]
      : []),
    ...(path.includes('{eventId}')
      ? [ApiParam({ name: 'eventId', format: 'uuid', description: 'The event id of the reservation' })]
      : []),
    ApiCreatedResponse({ type: DevelopmentRecordedDto, description: 'Recorded (or replayed: same answer)' }),
    ApiHeader({
      name: 'If-Match',
      required: false,
      description: 'The version you saw, e.g. "3"; a different current version → 412',
    }),
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description: '≤ 200 chars; a retry with the same body returns the first answer',
    }),
    ApiProblems(400, 401, 403, 404, 409, 412, 413, 415, 422, 503),
  );
};

/** The request of a write route, as its decorated method received it. */
export interface DevelopmentCall<Body> {
  /** Absent for a proposal, which names its commitment in its body (or not at all). */
  readonly id?: string;
  /** The reservation a withdrawal names in its path. */
  readonly eventId?: string;
  readonly body: Body;
  readonly req: FastifyRequest;
  readonly who: ApiPrincipal;
}

/**
 * What every write route does with its validated body: one `RecordDevelopment` through the bus, the
 * command made by the rule `rules` (its family's table) holds for `action`.
 */
export async function recordDevelopment<
  Rules extends Partial<Record<DevelopmentAction, unknown>>,
  A extends keyof Rules & DevelopmentAction,
>(
  commands: CommandBus,
  rules: Rules,
  action: A,
  {
    id,
    eventId,
    body,
    req,
    who,
  }: DevelopmentCall<Rules[A] extends DevelopmentCommand<infer Body> ? Body : never>,
): Promise<DevelopmentRecordedDto> {
  const commitment = id === undefined ? undefined : commitmentIdParam(id);
  const params = eventId === undefined ? {} : { eventId: reservationIdParam(commitment as string, eventId) };
  const rule = rules[action] as DevelopmentCommand<typeof body>;
  const { command, generatedId } = requestFrom(rule, action, commitment, body, new Date(), params);
  const { replayed: _replayed, ...recorded } = await commands.execute(
    new RecordDevelopment(command, {
      expectedVersion: parseIfMatch(headerOf(req, 'if-match')),
      idempotency: idempotencyOf(req, who.name),
      metadata: { recordedBy: who.name, correlationId: req.id },
      generatedId,
    }),
  );
  return recorded;
}
