import { randomBytes } from 'node:crypto';

/** One HTTP attempt of a writer, as the client saw it. */
export interface Attempt {
  readonly writer: number;
  readonly key: string;
  readonly startedAt: number;
  readonly endedAt: number;
  /** The HTTP status, or 0 when no response came (reset, refused, client timeout). */
  readonly status: number;
  readonly retryAfter: string | null;
  readonly contentType: string | null;
  readonly body: Record<string, unknown> | null;
  readonly transportError: string | null;
}

export interface Acknowledged {
  readonly writer: number;
  readonly commitmentId: string;
  readonly eventId: string;
  readonly version: number;
  readonly at: number;
}

/** A client gives up on a request after this long; the service must answer well before. */
const CLIENT_TIMEOUT_MS = 30_000;
/** How soon a writer tries again after a 503 or a failed request (sooner than Retry-After: a busy client). */
const RETRY_PAUSE_MS = 100;

/**
 * Writers posting developments as a careful client would: each write carries an Idempotency-Key and is
 * sent again with the same key until it is acknowledged (201), so every write is applied exactly once if
 * the service keeps its promises. Each writer has its own commitment: no write ever meets a concurrent
 * writer, so anything but 201 and 503 is a defect. Every attempt and every acknowledgement is recorded.
 */
export class WriteLoad {
  readonly attempts: Attempt[] = [];
  /** Idempotency-Key → what the 201 said. */
  readonly acknowledged = new Map<string, Acknowledged>();
  readonly commitmentIds: string[];
  private readonly run = randomBytes(3).toString('hex');
  private stopping = false;
  private loops: Promise<void>[] = [];

  constructor(
    private readonly baseUrl: string,
    private readonly bearer: string,
    readonly writers: number,
    readonly party: string,
    /** False once the server has gone: writers then stop at once and waits fail instead of running on. */
    private readonly serverAlive: () => boolean,
  ) {
    this.commitmentIds = Array.from({ length: writers }, (_, i) => `fault-${this.run}-${i}`);
  }

  /** Proposes each writer's commitment, then starts the writers. */
  async start(): Promise<void> {
    await Promise.all(
      this.commitmentIds.map((id, writer) =>
        this.untilAcknowledged(writer, `${id}-proposal`, '/commitments', {
          id,
          title: `Fault drill commitment ${writer}`,
          kind: 'pledge',
          parties: [this.party, 'NP'],
          proposedBy: this.party,
          topics: ['resilience'],
          occurredAt: '2024-03-01',
          source: { title: 'Fault drill communiqué', publisher: 'Drill Secretariat' },
        }),
      ),
    );
    this.loops = this.commitmentIds.map((id, writer) => this.writeUntilStopped(writer, id));
  }

  /** Lets each writer finish the write it is on (until acknowledged), then resolves. */
  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all(this.loops);
  }

  /** Acknowledgements received after `since` (a `Date.now()` value). */
  acknowledgedSince(since: number): Acknowledged[] {
    return [...this.acknowledged.values()].filter((ack) => ack.at > since);
  }

  /** Attempts that ended after `since`. */
  attemptsSince(since: number): Attempt[] {
    return this.attempts.filter((attempt) => attempt.endedAt > since);
  }

  /** Resolves once every writer has had a write acknowledged after `since`. */
  async everyWriterAcknowledgedSince(since: number, timeoutMs: number): Promise<void> {
    await this.waitFor(
      () => new Set(this.acknowledgedSince(since).map((a) => a.writer)).size === this.writers,
      timeoutMs,
    );
  }

  /** Resolves once every writer has seen a failed attempt (503 or otherwise) that started after `since`. */
  async everyWriterFailedSince(since: number, timeoutMs: number): Promise<void> {
    await this.waitFor(
      () =>
        new Set(this.attempts.filter((a) => a.startedAt >= since && a.status !== 201).map((a) => a.writer))
          .size === this.writers,
      timeoutMs,
    );
  }

  private async waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      if (!this.serverAlive()) throw new Error('write load: the server has exited');
      if (Date.now() > deadline) throw new Error(`write load: condition not met within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  private async writeUntilStopped(writer: number, commitmentId: string): Promise<void> {
    for (let n = 1; !this.stopping && this.serverAlive(); n++) {
      await this.untilAcknowledged(
        writer,
        `${commitmentId}-${n}`,
        `/commitments/${commitmentId}/statements`,
        {
          occurredAt: '2024-06-01',
          source: { title: `Drill statement ${n}` },
          speaker: { name: `Delegate ${writer}`, party: this.party },
          stance: 'reaffirms',
          summary: `Statement ${n} of writer ${writer}`,
        },
      );
    }
  }

  private async untilAcknowledged(writer: number, key: string, path: string, body: object): Promise<void> {
    while (this.serverAlive()) {
      const attempt = await this.send(writer, key, path, body);
      this.attempts.push(attempt);
      if (attempt.status === 201 && attempt.body) {
        this.acknowledged.set(key, {
          writer,
          commitmentId: String(attempt.body.commitmentId),
          eventId: String(attempt.body.eventId),
          version: Number(attempt.body.version),
          at: attempt.endedAt,
        });
        return;
      }
      // A 4xx would repeat forever: it is recorded (and fails the suite), and the writer moves on.
      if (attempt.status >= 400 && attempt.status < 500) return;
      await new Promise((resolve) => setTimeout(resolve, RETRY_PAUSE_MS));
    }
  }

  private async send(writer: number, key: string, path: string, body: object): Promise<Attempt> {
    const startedAt = Date.now();
    try {
      const response = await fetch(`${this.baseUrl}${path}`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${this.bearer}`,
          'content-type': 'application/json',
          'idempotency-key': key,
        },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS),
      });
      const text = await response.text();
      let parsed: Record<string, unknown> | null = null;
      try {
        parsed = JSON.parse(text) as Record<string, unknown>;
      } catch {
        parsed = null;
      }
      return {
        writer,
        key,
        startedAt,
        endedAt: Date.now(),
        status: response.status,
        retryAfter: response.headers.get('retry-after'),
        contentType: response.headers.get('content-type'),
        body: parsed,
        transportError: null,
      };
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      return {
        writer,
        key,
        startedAt,
        endedAt: Date.now(),
        status: 0,
        retryAfter: null,
        contentType: null,
        body: null,
        transportError: `${(error as Error).message}${cause ? ` (${cause.code ?? cause.message})` : ''}`,
      };
    }
  }
}
