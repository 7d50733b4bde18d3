import { createHash } from 'node:crypto';
import type { ValidationPipe } from '@nestjs/common';
import {
  DEVELOPMENT_ACTION_NAMES,
  DEVELOPMENT_ACTIONS,
  type DevelopmentAction,
  type DevelopmentPathParams,
  developmentRequest,
  developmentUrl,
} from '../commitments/write/development-actions.js';
import type { SequencedCommand, SequenceRefusal } from '../commitments/write/command-sequence.js';
import { COMMITMENT_ID, EVENT_ID } from '../commitments/dto/patterns.js';
import { canonicalJson, IDEMPOTENCY_KEY, requestHashOf } from '../http/idempotency.js';
import { type FieldError, type ProblemDetails, toProblem } from '../http/problem-details.js';
import { validationProblem } from '../http/validation.js';

/** Stands in for `eventId` while a retraction that names its entry by `retractsKey` is validated. */
const UNRESOLVED_EVENT_ID = '00000000-0000-4000-8000-000000000000';

/** A line that passed the API's validation, ready for the writer. */
export interface ImportedDevelopment extends SequencedCommand {
  readonly action: DevelopmentAction;
  readonly commitmentId: string;
}

/** A line refused before it is decided: its commitment, if it names one, and the API's problem detail. */
export type LineRefusal = SequenceRefusal;

/**
 * Turns a line's fields into a development: `action`, `commitmentId` (for a proposal: its id, or absent
 * to make one from the title), `idempotencyKey` and `retractsKey` are the line's own; every other field
 * is the body of the matching POST and goes through the same validation pipe and the same table of
 * actions. The idempotency key is the line's `idempotencyKey` scoped to the importing key, as the
 * `Idempotency-Key` header is, with the request hash the header would have; without one, a key made
 * from the line's content, so that the same line imported again is recognised whoever imports it.
 */
export async function importedDevelopment(
  line: number,
  fields: Readonly<Record<string, unknown>>,
  recordedBy: string,
  pipe: ValidationPipe,
  now: Date,
): Promise<ImportedDevelopment | LineRefusal> {
  const { action, commitmentId, idempotencyKey, retractsKey, ...lineBody } = fields;
  const named = typeof commitmentId === 'string' && COMMITMENT_ID.test(commitmentId) ? commitmentId : null;
  const refuse = (problem: ProblemDetails): LineRefusal => ({ line, commitmentId: named, problem });
  const { body, params, flaws: pathFlaws } = requestOfLine(action, lineBody);
  const flaws = [...lineFlaws(action, commitmentId, idempotencyKey, retractsKey, body), ...pathFlaws];
  if (flaws.length > 0) return refuse(toProblem(validationProblem(flaws, detailOf(flaws))).problem);
  const act = action as DevelopmentAction;
  const proposalBody = act === 'propose' && named !== null ? { ...body, id: named } : body;
  const lineContent = act === 'propose' && named !== null ? { ...lineBody, id: named } : lineBody;
  let validated: unknown;
  try {
    validated = await pipe.transform(
      retractsKey === undefined ? proposalBody : { ...body, eventId: UNRESOLVED_EVENT_ID },
      { type: 'body', metatype: DEVELOPMENT_ACTIONS[act].dto },
    );
  } catch (error) {
    return refuse(toProblem(error).problem);
  }
  const { command, generatedId } = developmentRequest(
    act,
    named ?? undefined,
    validated as never,
    now,
    params,
  );
  const path = developmentUrl(act, named, params);
  const content = { ...proposalBody, ...(retractsKey === undefined ? {} : { retractsKey }) };
  const derived = createHash('sha256')
    .update(
      canonicalJson({
        action: act,
        commitmentId: named,
        ...lineContent,
        ...(retractsKey === undefined ? {} : { retractsKey }),
      }),
    )
    .digest('hex');
  return {
    line,
    action: act,
    commitmentId: command.data.commitmentId,
    generatedId,
    command,
    idempotency:
      typeof idempotencyKey === 'string'
        ? { key: `${recordedBy}:${idempotencyKey}`, requestHash: requestHashOf('POST', path, content) }
        : { key: `import:${derived}`, requestHash: derived },
    ...(typeof retractsKey === 'string' ? { retractsKey: `${recordedBy}:${retractsKey}` } : {}),
  };
}

/**
 * The body of the POST a line stands for, and its path parameters: an accession's `action` is written
 * `accessionAction` in a line (whose `action` names the endpoint), and a reservation withdrawal names its
 * reservation by `eventId`, which is part of the path.
 */
function requestOfLine(
  action: unknown,
  lineBody: Readonly<Record<string, unknown>>,
): { body: Record<string, unknown>; params: DevelopmentPathParams; flaws: FieldError[] } {
  if (action === 'accessions' && lineBody.accessionAction !== undefined) {
    const { accessionAction, ...body } = lineBody;
    return { body: { ...body, action: accessionAction }, params: {}, flaws: [] };
  }
  if (action !== 'reservation-withdrawals') return { body: { ...lineBody }, params: {}, flaws: [] };
  const { eventId, ...body } = lineBody;
  if (typeof eventId === 'string' && EVENT_ID.test(eventId)) {
    return { body, params: { eventId: eventId.toLowerCase() }, flaws: [] };
  }
  const message = 'eventId must be the event id (UUID) of the reservation withdrawn';
  return { body, params: {}, flaws: [{ field: 'eventId', message }] };
}

function lineFlaws(
  action: unknown,
  commitmentId: unknown,
  idempotencyKey: unknown,
  retractsKey: unknown,
  body: Readonly<Record<string, unknown>>,
): FieldError[] {
  const flaws: FieldError[] = [];
  if (typeof action !== 'string' || !(DEVELOPMENT_ACTION_NAMES as readonly string[]).includes(action)) {
    flaws.push({
      field: 'action',
      message: `action ${action === undefined ? 'is required; it ' : ''}must be one of ${DEVELOPMENT_ACTION_NAMES.join(', ')}`,
    });
  }
  if (commitmentId === undefined) {
    if (action !== 'propose') flaws.push({ field: 'commitmentId', message: 'commitmentId is required' });
  } else if (typeof commitmentId !== 'string' || !COMMITMENT_ID.test(commitmentId)) {
    flaws.push({ field: 'commitmentId', message: 'commitmentId must be a commitment id' });
  } else if (action === 'propose' && body.id !== undefined && body.id !== commitmentId) {
    flaws.push({ field: 'commitmentId', message: 'commitmentId and id name different commitments' });
  }
  for (const [field, key] of [
    ['idempotencyKey', idempotencyKey],
    ['retractsKey', retractsKey],
  ] as const) {
    if (key !== undefined && (typeof key !== 'string' || !IDEMPOTENCY_KEY.test(key))) {
      flaws.push({ field, message: `${field} must be 1–200 visible ASCII characters` });
    }
  }
  if (retractsKey !== undefined && action !== 'retractions') {
    flaws.push({ field: 'retractsKey', message: 'retractsKey is a field of retractions only' });
  } else if (retractsKey !== undefined && body.eventId !== undefined) {
    flaws.push({
      field: 'retractsKey',
      message: 'name the retracted entry by eventId or by retractsKey, not both',
    });
  }
  return flaws;
}

function detailOf(flaws: readonly FieldError[]): string {
  return `${flaws.length} field(s) failed validation: ${flaws.map((flaw) => flaw.field).join(', ')}.`;
}

export function isRefusal(value: ImportedDevelopment | LineRefusal): value is LineRefusal {
  return 'problem' in value;
}
