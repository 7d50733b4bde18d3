import { useState } from 'preact/hooks';
import type { Api, ApiError } from '../lib/api.js';
import { eventLabel, formatInstant } from '../lib/format.js';
import type { CommitmentHistory, CommitmentView, HistoryEntry } from '../lib/types.js';
import { DEVELOPMENTS, type DevelopmentAction } from '../../commitments/write/developments.js';
import { DevelopmentForm } from './development-form.js';

interface Conflict {
  readonly sawVersion: number;
  readonly error: ApiError;
  /** What was recorded after the version on screen, by whom; null while it is being fetched. */
  readonly changes: readonly HistoryEntry[] | null;
}

/** The development forms of a commitment page, and the "changed since you opened it" flow (412). */
export function DevelopmentPanel({
  api,
  view,
  entries,
  onRecorded,
  onReload,
}: {
  readonly api: Api;
  readonly view: CommitmentView;
  readonly entries: readonly HistoryEntry[];
  readonly onRecorded: () => Promise<void>;
  readonly onReload: () => Promise<void>;
}) {
  const [action, setAction] = useState<DevelopmentAction>('statements');
  const [conflict, setConflict] = useState<Conflict | null>(null);

  const onConflict = async (error: ApiError) => {
    const sawVersion = view.version;
    setConflict({ sawVersion, error, changes: null });
    try {
      const latest = await api.get<CommitmentHistory>(`/commitments/${encodeURIComponent(view.id)}/history`);
      setConflict({
        sawVersion,
        error,
        changes: latest.events.filter((entry) => entry.version > sawVersion),
      });
    } catch {
      setConflict({ sawVersion, error, changes: [] });
    }
  };

  const reload = async () => {
    await onReload();
    setConflict(null);
  };

  return (
    <section aria-labelledby="log-title" class="log">
      <h2 id="log-title">Log a development</h2>
      {conflict ? <ConflictNotice conflict={conflict} onReload={reload} /> : null}
      <div class="field action-choice">
        <label for="development-action">Development</label>
        <select
          id="development-action"
          value={action}
          onChange={(event) => setAction(event.currentTarget.value as DevelopmentAction)}
        >
          {DEVELOPMENTS.filter((spec) => spec.action !== 'propose').map((spec) => (
            <option value={spec.action}>{spec.label}</option>
          ))}
        </select>
      </div>
      <DevelopmentForm
        key={action}
        api={api}
        action={action}
        commitmentId={view.id}
        version={view.version}
        entries={entries}
        onRecorded={() => {
          setConflict(null);
          void onRecorded();
        }}
        onConflict={(error) => void onConflict(error)}
      />
    </section>
  );
}

function ConflictNotice({
  conflict,
  onReload,
}: {
  readonly conflict: Conflict;
  readonly onReload: () => void;
}) {
  return (
    <div class="conflict" role="alert" data-testid="conflict">
      <h3>This commitment changed since you opened it</h3>
      <p>
        You saw version {conflict.sawVersion}; nothing was recorded. {conflict.error.problem.detail} Reload to
        see the commitment as it is now; what you typed stays in the form, so you can check it and send it
        again.
      </p>
      {conflict.changes === null ? (
        <p>Looking up what changed…</p>
      ) : conflict.changes.length > 0 ? (
        <>
          <p>Recorded since you opened it:</p>
          <ul class="changes">
            {conflict.changes.map((entry) => (
              <li>
                Version {entry.version}: {eventLabel(entry.type)}
                {typeof entry.data.summary === 'string' ? ` — ${entry.data.summary}` : ''} (by{' '}
                {entry.recordedBy ?? 'unknown'}, {formatInstant(entry.recordedAt)})
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <button type="button" onClick={onReload}>
        Reload the commitment
      </button>
    </div>
  );
}
