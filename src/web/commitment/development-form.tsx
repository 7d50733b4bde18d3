import { useRef, useState } from 'preact/hooks';
import { ProblemMessage } from '../components/problem.js';
import { type Api, ApiError } from '../lib/api.js';
import { eventLabel, formatInstant, humanize, todayUtc } from '../lib/format.js';
import type { DevelopmentRecorded, HistoryEntry } from '../lib/types.js';
import {
  type FieldSpec,
  METRIC_PARTS,
  worldFactFields,
} from '../../commitments/write/development-description.js';
import {
  type DevelopmentAction,
  developmentDescription,
  developmentUrl,
} from '../../commitments/write/developments.js';
import { bodyOf, type FormValues, newIdempotencyKey, placeErrors } from './form-body.js';

interface Props {
  readonly api: Api;
  readonly action: DevelopmentAction;
  /** Absent for a proposal, which creates the commitment. */
  readonly commitmentId?: string;
  /** The version on screen, sent as If-Match: a write against a commitment that changed is refused (412). */
  readonly version?: number;
  /** The commitment's history, for choosing the entry a retraction retracts. */
  readonly entries?: readonly HistoryEntry[];
  readonly onRecorded: (recorded: DevelopmentRecorded) => void;
  /** A 412: the page shows what changed and offers to reload; the form keeps what was typed. */
  readonly onConflict?: (error: ApiError) => void;
}

/**
 * One development action's form. Each submission carries an Idempotency-Key: sending the same body
 * again (a double click, a retry after a lost answer) reuses it, so the server appends once.
 */
export function DevelopmentForm({
  api,
  action,
  commitmentId,
  version,
  entries,
  onRecorded,
  onConflict,
}: Props) {
  const spec = developmentDescription(action);
  const fields = [...spec.fields, ...worldFactFields(spec.worldFact)];
  const initial = (): FormValues => (spec.worldFact === 'required' ? { occurredAt: todayUtc() } : {});
  const [values, setValues] = useState<FormValues>(initial);
  const [metricRows, setMetricRows] = useState(spec.metrics ? 1 : 0);
  const [failure, setFailure] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  // Refs, not state: a double click's second event arrives before the page re-renders.
  const inFlight = useRef(false);
  const attempt = useRef<{ body: string; key: string } | null>(null);
  const [recorded, setRecorded] = useState<DevelopmentRecorded | null>(null);

  const metricNames = Array.from({ length: metricRows }, (_, row) =>
    METRIC_PARTS.map((part) => `metrics[${row}].${part}`),
  ).flat();
  const placed = placeErrors(failure?.problem.errors ?? [], [...fields.map((f) => f.name), ...metricNames]);
  const formId = `form-${action}`;

  const submit = async (event: Event) => {
    event.preventDefault();
    if (inFlight.current) return;
    inFlight.current = true;
    const formBody = bodyOf(fields, values, metricRows);
    // A field the endpoint takes in its path (the reservation withdrawn) is not part of the body.
    const { eventId: inPath, ...withoutPath } = formBody;
    const body = spec.path.includes('{eventId}') ? withoutPath : formBody;
    const json = JSON.stringify(body);
    const key = attempt.current?.body === json ? attempt.current.key : newIdempotencyKey();
    attempt.current = { body: json, key };
    setBusy(true);
    setFailure(null);
    setRecorded(null);
    try {
      const path = developmentUrl(action, encodeURIComponent(commitmentId ?? ''), {
        eventId: encodeURIComponent(String(inPath ?? '')),
      });
      const result = await api.post<DevelopmentRecorded>(path, body, {
        ifMatch: version,
        idempotencyKey: key,
      });
      setValues(initial());
      setMetricRows(spec.metrics ? 1 : 0);
      attempt.current = null;
      setRecorded(result);
      onRecorded(result);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      setFailure(error);
      if (error.status === 412) onConflict?.(error);
    } finally {
      inFlight.current = false;
      setBusy(false);
    }
  };

  const set = (name: string) => (event: Event) =>
    setValues({ ...values, [name]: (event.currentTarget as HTMLInputElement).value });

  return (
    <form
      class="development-form"
      aria-labelledby={`${formId}-title`}
      onSubmit={submit}
      noValidate
      data-action={action}
    >
      <h3 id={`${formId}-title`}>{spec.label}</h3>
      {version !== undefined ? (
        <p class="hint">
          Recorded against version {version}, the one on screen: if the commitment has changed since, nothing
          is recorded and you are told.
        </p>
      ) : null}
      {failure && (failure.problem.errors ?? []).length === 0 && !(failure.status === 412 && onConflict) ? (
        <ProblemMessage error={failure} />
      ) : null}
      {placed.unplaced.length > 0 ? (
        <ul class="problem" role="alert">
          {placed.unplaced.map((error) => (
            <li>
              {error.field}: {error.message}
            </li>
          ))}
        </ul>
      ) : null}
      <div class="form-grid">
        {fields.map((field) => (
          <Field
            formId={formId}
            field={field}
            value={values[field.name] ?? ''}
            onInput={set(field.name)}
            errors={placed.byField.get(field.name)}
            entries={entries}
          />
        ))}
      </div>
      {spec.metrics ? (
        <fieldset class="metrics">
          <legend>Metrics</legend>
          {Array.from({ length: metricRows }, (_, row) => (
            <div class="form-grid metric-row">
              {METRIC_PARTS.map((part) => {
                const name = `metrics[${row}].${part}`;
                return (
                  <Field
                    formId={formId}
                    field={{ name, label: `Metric ${row + 1} ${part}`, kind: 'text' }}
                    value={values[name] ?? ''}
                    onInput={set(name)}
                    errors={placed.byField.get(name)}
                  />
                );
              })}
            </div>
          ))}
          <button type="button" class="secondary" onClick={() => setMetricRows(metricRows + 1)}>
            Add a metric
          </button>
        </fieldset>
      ) : null}
      <div class="form-actions">
        <button type="submit" disabled={busy}>
          {busy ? 'Recording…' : spec.label}
        </button>
        {recorded ? (
          <span role="status" class="recorded">
            Recorded as version {recorded.version}.
          </span>
        ) : null}
      </div>
    </form>
  );
}

function Field({
  formId,
  field,
  value,
  onInput,
  errors,
  entries,
}: {
  readonly formId: string;
  readonly field: FieldSpec;
  readonly value: string;
  readonly onInput: (event: Event) => void;
  readonly errors?: readonly string[];
  readonly entries?: readonly HistoryEntry[];
}) {
  const id = `${formId}-${field.name.replace(/[^a-zA-Z0-9]+/g, '-')}`;
  const describedBy = [field.hint ? `${id}-hint` : '', errors ? `${id}-error` : ''].filter(Boolean).join(' ');
  const common = {
    id,
    name: field.name,
    value,
    'aria-invalid': errors ? true : undefined,
    'aria-required': field.required ? true : undefined,
    'aria-describedby': describedBy || undefined,
  };
  let control;
  if (field.kind === 'textarea') control = <textarea {...common} rows={3} onInput={onInput} />;
  else if (field.kind === 'select' || field.kind === 'event') {
    const choices =
      field.kind === 'event'
        ? (entries ?? [])
            .filter((entry) => !entry.retracted && entry.type !== 'EntryRetracted')
            .filter((entry) => field.eventTypes === undefined || field.eventTypes.includes(entry.type))
            .map((entry) => ({ value: entry.eventId, label: entryLabel(entry) }))
        : (field.options ?? []).map((option) => ({
            value: option.value,
            label: option.label ?? humanize(option.value),
          }));
    control = (
      <select {...common} onChange={onInput}>
        <option value="">Choose…</option>
        {choices.map((choice) => (
          <option value={choice.value}>{choice.label}</option>
        ))}
      </select>
    );
  } else if (field.kind === 'date') control = <input {...common} type="date" onInput={onInput} />;
  else control = <input {...common} type="text" onInput={onInput} />;
  return (
    <div
      class={`field${field.kind === 'textarea' || field.kind === 'event' ? ' wide' : ''}`}
      data-field={field.name}
    >
      <label for={id}>
        {field.label}
        {field.required ? <span class="required"> (required)</span> : null}
      </label>
      {control}
      {field.hint ? (
        <p id={`${id}-hint`} class="hint">
          {field.hint}
        </p>
      ) : null}
      {errors ? (
        <p id={`${id}-error`} class="field-error" role="alert">
          {errors.join(' ')}
        </p>
      ) : null}
    </div>
  );
}

function entryLabel(entry: HistoryEntry): string {
  const summary = typeof entry.data.summary === 'string' ? ` — ${entry.data.summary.slice(0, 60)}` : '';
  return `v${entry.version} · ${eventLabel(entry.type)} · ${formatInstant(entry.occurredAt)}${summary}`;
}
