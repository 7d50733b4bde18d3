import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { importFile } from '../imports/import-fixtures.js';
import { TEST_ENGINES, type EngineName } from '../support/test-database.js';
import { commitmentsApi, expectProblem, fact, proposal } from './e2e-fixtures.js';

/** What the API says when it refuses: the words name the actual cause. */
describe.each(TEST_ENGINES)('refusals in words that say what happened on %s', (engineName: EngineName) => {
  const api = commitmentsApi(engineName);
  const errorsOf = (body: Record<string, unknown>) => body.errors as { field: string; message: string }[];
  const rawPost = (body: string) =>
    api.app.http
      .post('/commitments')
      .set(api.auth('analyst'))
      .set('Content-Type', 'application/json')
      .send(body);

  it('says a __proto__ key is not allowed, not that the JSON is invalid', async () => {
    const text = JSON.stringify(proposal()).replace(/^\{/, '{"__proto__":{"admin":true},');
    const body = expectProblem(await rawPost(text), 400);
    expect(body.detail).not.toMatch(/not valid JSON/);
    expect(body.detail).toMatch(/valid JSON/);
    expect(errorsOf(body)).toEqual([
      {
        field: '__proto__',
        message: "__proto__ is not allowed as a key: it would reach an object's prototype",
      },
    ]);
    const nested = JSON.stringify(proposal()).replace(
      '"source":{',
      '"source":{"constructor":{"prototype":{"x":1}},',
    );
    expect(errorsOf(expectProblem(await rawPost(nested), 400))[0].field).toBe('source.constructor.prototype');
  });

  it('says which limit a too-large header broke', async () => {
    const { port } = api.app.app.getHttpServer().address() as AddressInfo;
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.write(`GET /commitments HTTP/1.1\r\nHost: localhost\r\nX-Big: ${'x'.repeat(20_000)}\r\n\r\n`);
      });
      let text = '';
      socket.on('data', (chunk) => (text += chunk.toString('utf8')));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    expect(answer).toMatch(/^HTTP\/1.1 431 /);
    const detail = (JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)) as { detail: string }).detail;
    expect(detail).toBe(
      "The request's headers are larger than the limit of 16,384 bytes (the request line and every header together).",
    );
  });

  it('says an import line is too long, not a request body', async () => {
    const long = JSON.stringify(proposal({ summary: 'x'.repeat(1024 * 1024 + 10) }));
    const job = await importFile(
      api.app,
      `${JSON.stringify({ ...proposal(), action: 'propose' })}\n${long}\n`,
    );
    const refusal = job.refusals.find((entry) => entry.line === 2);
    expect(refusal?.problem.status).toBe(413);
    expect(refusal?.problem.detail).toBe(
      'The line is longer than the limit of 1 MiB (1,048,576 bytes): one development per line, each at most ' +
        'as large as the body of its POST.',
    );
  });

  it('shows the Idempotency-Key as the client sent it when it is reused for another request', async () => {
    const id = await api.propose();
    const said = (summary: string) =>
      fact('2025-03-01', { speaker: { name: 'A Spokesperson', party: 'NP' }, stance: 'supports', summary });
    const key = 'retry-7c1f';
    expect((await api.attempt(id, 'statements', said('First'), { 'Idempotency-Key': key })).status).toBe(201);
    const body = expectProblem(
      await api.attempt(id, 'statements', said('Second'), { 'Idempotency-Key': key }),
      422,
    );
    expect(body.detail).toBe(`the Idempotency-Key "${key}" was already used for a different request`);
    expect(JSON.stringify(body)).not.toContain('analyst:');
  });

  it('gives a malformed rebuild job id the usual errors[]', async () => {
    const res = await api.get('/admin/projections/jobs/not-a-uuid', {}, 'admin');
    expect(errorsOf(expectProblem(res, 400))).toEqual([{ field: 'jobId', message: 'jobId must be a UUID' }]);
  });
});
