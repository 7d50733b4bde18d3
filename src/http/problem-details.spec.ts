import { markNotSent } from '../database/database-errors.js';
import { toProblem } from './problem-details.js';

const dropped = () => new Error('Connection terminated unexpectedly');
const refused = () =>
  markNotSent(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }));

describe('the 503 of a database failure', () => {
  it('tells a reader to try again, and nothing about writes', () => {
    const { problem, unavailable, unexpected } = toProblem(dropped(), {
      method: 'GET',
      idempotencyKey: false,
    });
    expect(problem).toEqual({
      type: '/problems/database-unavailable',
      title: 'Database unavailable',
      status: 503,
      detail: 'The database cannot be reached right now. Try again in 2 seconds or so.',
    });
    expect(unavailable).toBeInstanceOf(Error);
    expect(unexpected).toBeUndefined();
  });

  it('says nothing was changed only when no statement reached the server', () => {
    const { problem } = toProblem(refused(), { method: 'POST', idempotencyKey: true });
    expect(problem.outcome).toBe('not_applied');
    expect(problem.detail).toMatch(/Nothing was changed/);
  });

  it('says the outcome is unknown when the connection failed mid-statement, and that a keyed retry is safe', () => {
    const { problem } = toProblem(dropped(), { method: 'POST', idempotencyKey: true });
    expect(problem.outcome).toBe('unknown');
    expect(problem.detail).toMatch(/whether it was recorded is unknown/);
    expect(problem.detail).toMatch(/same Idempotency-Key is safe/);
    expect(problem.detail).not.toMatch(/Nothing was changed/);
  });

  it('warns a writer without an Idempotency-Key that a retry may record the write twice', () => {
    const { problem } = toProblem(dropped(), { method: 'POST', idempotencyKey: false });
    expect(problem.outcome).toBe('unknown');
    expect(problem.detail).toMatch(/Check before sending it again/);
  });

  it('is not a 503 for an error that is not the database being unavailable', () => {
    expect(toProblem(new TypeError('bug'), { method: 'POST', idempotencyKey: true }).problem.status).toBe(
      500,
    );
  });
});
