import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expectProblem } from '../e2e/e2e-fixtures.js';
import { bearer, createTestApp, pause, type TestApp } from '../support/test-app.js';
import {
  createTestDatabase,
  TEST_ENGINES,
  type EngineName,
  type TestDatabase,
} from '../support/test-database.js';
import { eventually, projectionsLive, verifyOverHttp } from './projection-fixtures.js';

const CLI = path.resolve(import.meta.dirname, '../../dist/src/cli/verify-projections.cli.js');
const DAY_MS = 86_400_000;
const day = (offset: number) => new Date(Date.now() + offset * DAY_MS).toISOString().slice(0, 10);
const source = { title: 'Joint statement' };
const READ_MODELS = ['commitment_status', 'follow-ups', 'party-commitments'];

/** A database the CLI can open from another process: PostgreSQL, or PGlite in a directory on disk. */
async function sharedDatabase(engineName: EngineName): Promise<TestDatabase> {
  if (engineName === 'postgres') return createTestDatabase('postgres');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'verify-test-'));
  return {
    engineName,
    env: { DATA_DIR: dir },
    drop: async () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

interface CliRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

async function runVerifyCli(database: TestDatabase, args: string[] = []): Promise<CliRun> {
  // `npm test` builds first; a build running at the same moment (nest build empties dist/) is waited for.
  for (let waited = 0; !fs.existsSync(CLI) && waited < 30_000; waited += 500) await pause(500);
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      { env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'silent', ...database.env }, timeout: 120_000 },
      (error, stdout, stderr) => {
        const status = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({ status, stdout, stderr });
      },
    );
  });
}

describe.each(TEST_ENGINES)('read-model audit on %s', (engineName) => {
  let database: TestDatabase;
  let app: TestApp;
  const post = async (url: string, body: object) => {
    const res = await app.http.post(url).set('Authorization', bearer(app.keys.analyst)).send(body);
    if (res.status !== 201) throw new Error(`${url}: ${res.status} ${res.text}`);
  };
  const start = async () => {
    app = await createTestApp(engineName, {}, { database });
  };
  /** The CLI on the embedded engine needs the data directory to itself; on PostgreSQL it runs beside the app. */
  const cli = async (args: string[] = []) => {
    if (engineName === 'embedded') await app.close();
    try {
      return await runVerifyCli(database, args);
    } finally {
      if (engineName === 'embedded') await start();
    }
  };

  beforeAll(async () => {
    database = await sharedDatabase(engineName);
    await start();
    const propose = (id: string, parties: string[], extra: object = {}) =>
      post('/commitments', {
        id,
        title: `Title of ${id}`,
        kind: 'pledge',
        parties,
        proposedBy: parties[0],
        occurredAt: '2024-03-01',
        source,
        ...extra,
      });
    await propose('audit-a', ['VN', 'US'], { dueDate: day(20) });
    await post('/commitments/audit-a/follow-ups', { reviewOn: day(5), note: 'Interim report' });
    await post('/commitments/audit-a/statements', {
      speaker: { name: 'Foreign Minister', party: 'VN' },
      stance: 'supports',
      summary: 'Welcomes it',
      occurredAt: '2024-03-05',
      source,
    });
    await propose('audit-b', ['KH', 'TH']);
    await post('/commitments/audit-b/withdrawals', {
      party: 'TH',
      effectiveOn: day(10),
      occurredAt: day(0),
      source,
    });
    await propose('audit-c', ['MY', 'ID']);
    await post('/commitments/audit-c/adoptions', {
      adoptedBy: ['MY', 'ID'],
      occurredAt: '2024-05-01',
      source,
    });
    await post('/commitments/audit-c/assessments', {
      party: 'MY',
      score: 1,
      rationale: 'Done',
      occurredAt: '2024-06-01',
    });
    await projectionsLive(app);
  });
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it('finds no difference when every read model agrees with the events, and answers admins only', async () => {
    const report = await verifyOverHttp(app);
    expect(report).toEqual(
      expect.objectContaining({
        upTo: expect.stringMatching(/^\d+-\d+$/),
        sample: null,
        streamsChecked: 3,
        streamsChanged: 0,
        differenceCount: 0,
        differences: [],
      }),
    );
    expect(report.readModels).toEqual(
      READ_MODELS.map((name) =>
        expect.objectContaining({ name, streamsCompared: 3, streamsBehind: 0, differences: 0 }),
      ),
    );
    expect(report.readModels.map((model) => model.projection)).toEqual([
      null,
      'follow-ups',
      'party-commitments',
    ]);

    const sampled = await verifyOverHttp(app, '?sample=2');
    expect([sampled.sample, sampled.streamsChecked, sampled.differenceCount]).toEqual([2, 2, 0]);

    for (const role of ['reader', 'analyst'] as const) {
      expectProblem(
        await app.http.get('/admin/projections/verify').set('Authorization', bearer(app.keys[role])),
        403,
      );
    }
    for (const query of ['?sample=0', '?sample=abc', '?sample=1.5', '?sample=-3', '?other=1']) {
      const res = await app.http
        .get(`/admin/projections/verify${query}`)
        .set('Authorization', bearer(app.keys.admin));
      expect([query, res.status]).toEqual([query, 400]);
    }
  });

  it('projections:verify exits 0 when all agree, with a progress bar and a sample option', async () => {
    const all = await cli();
    expect(all.status).toBe(0);
    expect(all.stdout).toMatch(/up to \d+-\d+: 3 streams checked/);
    for (const name of READ_MODELS)
      expect(all.stdout).toMatch(new RegExp(`${name} .*3 streams compared, 0 differences`));
    expect(all.stdout).toContain('No differences');
    expect(all.stderr).toMatch(/verify 100% 3\/3 streams/);

    const sampled = await cli(['--sample', '1']);
    expect(sampled.status).toBe(0);
    expect(sampled.stdout).toContain('1 stream checked (a random sample of 1)');

    const misused = await runVerifyCli(database, ['--sample', 'many']);
    expect(misused.status).toBe(2);
    expect(misused.stderr).toContain('usage: npm run projections:verify');
  }, 180_000);

  it('names the stream, read model, table, row and values of every row that differs', async () => {
    await app.query(
      `UPDATE follow_up_items SET statuses = '{completed}' WHERE commitment_id = 'audit-a' AND kind = 'due'`,
    );
    await app.query(`DELETE FROM party_commitments WHERE commitment_id = 'audit-b' AND party = 'TH'`);
    await app.query(
      `INSERT INTO party_commitments (party, commitment_id, title, participation_since, participations, status_since, statuses)
       SELECT 'ZZ', commitment_id, title, participation_since, participations, status_since, statuses
       FROM party_commitments WHERE commitment_id = 'audit-c' AND party = 'MY'`,
    );
    await app.query(
      `UPDATE commitment_status SET snapshot = jsonb_set(snapshot, '{stage}', '"completed"'), title = 'Tampered'
       WHERE id = 'audit-c'`,
    );

    const report = await verifyOverHttp(app);
    expect(report.differenceCount).toBe(4);
    expect(report.readModels.map((model) => [model.name, model.differences])).toEqual([
      ['commitment_status', 1],
      ['follow-ups', 1],
      ['party-commitments', 2],
    ]);
    expect(report.differences).toEqual([
      {
        streamId: 'commitment-audit-a',
        readModel: 'follow-ups',
        table: 'follow_up_items',
        row: `kind=due, date=${day(20)}, note=null`,
        kind: 'different_values',
        fields: [{ field: 'statuses', stored: ['completed'], expected: ['proposed'] }],
        description: `follow_up_items row kind=due, date=${day(20)}, note=null: statuses is ["completed"], the events give ["proposed"]`,
      },
      expect.objectContaining({
        streamId: 'commitment-audit-b',
        readModel: 'party-commitments',
        kind: 'missing_row',
        description: 'party_commitments lacks the row party=TH that the events give',
      }),
      {
        streamId: 'commitment-audit-c',
        readModel: 'commitment_status',
        table: 'commitment_status',
        row: '',
        kind: 'different_values',
        fields: [
          { field: 'snapshot.stage', stored: 'completed', expected: 'adopted' },
          { field: 'title', stored: 'Tampered', expected: 'Title of audit-c' },
        ],
        description: expect.stringContaining('snapshot.stage is "completed", the events give "adopted"'),
      },
      expect.objectContaining({
        streamId: 'commitment-audit-c',
        readModel: 'party-commitments',
        kind: 'unexpected_row',
        row: 'party=ZZ',
      }),
    ]);

    const run = await cli();
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('4 differences:');
    expect(run.stdout).toContain(
      `commitment-audit-a · follow-ups · follow_up_items row kind=due, date=${day(20)}, note=null: statuses is ["completed"], the events give ["proposed"]`,
    );
    expect(run.stdout).toContain(
      'commitment-audit-b · party-commitments · party_commitments lacks the row party=TH',
    );
  }, 180_000);

  it('after a rebuild, finds only what still derives from the tampered commitment_status row', async () => {
    const accepted = await app.http
      .post('/admin/projections/rebuild')
      .set('Authorization', bearer(app.keys.admin))
      .send({});
    expect(accepted.status).toBe(202);
    await eventually(async () => {
      const res = await app.http
        .get(`/admin/projections/jobs/${accepted.body.jobId}`)
        .set('Authorization', bearer(app.keys.admin));
      return res.body.state === 'completed' ? true : undefined;
    });
    const report = await verifyOverHttp(app);
    // Asynchronous read models are built from the stored snapshot: the tampered one carries over.
    expect(new Set(report.differences.map((d) => d.streamId))).toEqual(new Set(['commitment-audit-c']));
    expect(report.differences.map((d) => d.readModel)).toEqual(
      expect.arrayContaining(['commitment_status', 'party-commitments']),
    );
    expect(report.differences.some((d) => d.kind !== 'different_values')).toBe(false);
  });
});
