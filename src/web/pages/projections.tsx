import { useEffect, useState } from 'preact/hooks';
import { Loading, ProblemMessage } from '../components/problem.js';
import { type Api, ApiError } from '../lib/api.js';
import { formatInstant, humanize } from '../lib/format.js';
import type { ProjectionsOverview, RebuildProgress } from '../lib/types.js';
import { useResource } from '../lib/use-resource.js';

const OVERVIEW_EVERY_MS = 2000;
const PROGRESS_EVERY_MS = 500;

/** Admins: each projection's state and lag, and a rebuild of every read model with its progress. */
export function ProjectionsPage({ api }: { readonly api: Api }) {
  const overview = useResource('/admin/projections', (signal) =>
    api.get<ProjectionsOverview>('/admin/projections', signal),
  );
  const [job, setJob] = useState<RebuildProgress | null>(null);
  const [jobError, setJobError] = useState<ApiError | null>(null);
  const [confirming, setConfirming] = useState(false);

  useEffect(() => {
    const timer = setInterval(() => void overview.reload(), OVERVIEW_EVERY_MS);
    return () => clearInterval(timer);
  }, [overview.reload]);

  const running = job !== null && job.state === 'running';
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(async () => {
      try {
        setJob(await api.get<RebuildProgress>(`/admin/projections/jobs/${job.jobId}`));
      } catch (error) {
        if (error instanceof ApiError) setJobError(error);
      }
    }, PROGRESS_EVERY_MS);
    return () => clearInterval(timer);
  }, [running, job?.jobId]);

  const rebuild = async () => {
    setConfirming(false);
    setJobError(null);
    try {
      const { jobId } = await api.post<{ jobId: string }>('/admin/projections/rebuild', {});
      setJob(await api.get<RebuildProgress>(`/admin/projections/jobs/${jobId}`));
    } catch (error) {
      if (error instanceof ApiError) setJobError(error);
    }
  };

  return (
    <section>
      <h1>Projections</h1>
      <p>
        The read models built from the event log: the follow-up queue and the party view. Lag is how far each
        is behind the log.
      </p>
      {overview.error ? <ProblemMessage error={overview.error} /> : null}
      {overview.data ? (
        <table class="projections">
          <thead>
            <tr>
              <th scope="col">Projection</th>
              <th scope="col">State</th>
              <th scope="col">Lag (events)</th>
              <th scope="col">Lag (seconds)</th>
              <th scope="col">Events applied</th>
              <th scope="col">Checkpoint moved</th>
              <th scope="col">Runner</th>
              <th scope="col">Last error</th>
            </tr>
          </thead>
          <tbody>
            {overview.data.projections.map((projection) => (
              <tr data-projection={projection.name}>
                <th scope="row">{projection.name}</th>
                <td data-testid="projection-state">{humanize(projection.state)}</td>
                <td>{projection.lag.events}</td>
                <td>{projection.lag.seconds}</td>
                <td>{projection.checkpoint?.eventsApplied ?? '—'}</td>
                <td>{formatInstant(projection.checkpoint?.updatedAt)}</td>
                <td>
                  {projection.runner.instance
                    ? `${projection.runner.instance}${projection.runner.here ? ' (this one)' : ''}`
                    : '—'}
                </td>
                <td>{projection.lastError ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : overview.error ? null : (
        <Loading what="projections" />
      )}
      <section aria-labelledby="rebuild-title">
        <h2 id="rebuild-title">Rebuild</h2>
        <p>
          Empties every read model and replays the whole log. Follow-ups and party pages are incomplete until
          it finishes.
        </p>
        {confirming ? (
          <p>
            <button type="button" onClick={rebuild}>
              Yes, rebuild every read model
            </button>{' '}
            <button type="button" class="secondary" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </p>
        ) : (
          <button type="button" onClick={() => setConfirming(true)} disabled={running}>
            Rebuild read models
          </button>
        )}
        {jobError ? <ProblemMessage error={jobError} /> : null}
        {job ? <RebuildJob job={job} /> : null}
      </section>
    </section>
  );
}

function RebuildJob({ job }: { readonly job: RebuildProgress }) {
  return (
    <div class="rebuild" role="status" aria-live="polite">
      <p>
        Rebuild {job.state === 'running' ? 'running' : job.state} — {job.appliedEvents} of {job.totalEvents}{' '}
        events
        {job.finishedAt ? `, finished ${formatInstant(job.finishedAt)}` : ''}.
      </p>
      {job.projections.map((projection) => (
        <div class="field">
          <label for={`progress-${projection.name}`}>
            {projection.name}: {humanize(projection.state)}
          </label>
          <progress
            id={`progress-${projection.name}`}
            max={Math.max(job.totalEvents, 1)}
            value={projection.appliedEvents}
          >
            {projection.appliedEvents} of {job.totalEvents}
          </progress>
        </div>
      ))}
    </div>
  );
}
