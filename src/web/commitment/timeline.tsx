import { useEffect, useRef, useState } from 'preact/hooks';
import { todayUtc } from '../lib/format.js';
import type { TimelineEntry } from '../lib/time-travel.js';
import type { CommitmentView } from '../lib/types.js';

type ChartModule = typeof import('./timeline-chart.js');
/** The chart library comes with the first commitment page, not with the board. */
let chartModule: Promise<ChartModule> | null = null;
/** Starts loading the chart library; the commitment page calls it before its data arrives. */
export const loadChart = () => (chartModule ??= import('./timeline-chart.js'));

export function Timeline({
  entries,
  view,
  asOf,
}: {
  readonly entries: readonly TimelineEntry[];
  readonly view: CommitmentView;
  readonly asOf?: string;
}) {
  const container = useRef<HTMLDivElement>(null);
  const [chart, setChart] = useState<ChartModule | null>(null);
  const [width, setWidth] = useState(0);

  useEffect(() => {
    void loadChart().then(setChart);
  }, []);

  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const observer = new ResizeObserver(() => setWidth(Math.round(element.clientWidth)));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  const dueDates = [
    ...entries.flatMap((entry) =>
      !entry.retractedHere && typeof entry.data.dueDate === 'string' ? [entry.data.dueDate] : [],
    ),
    ...(view.dueDate ? [view.dueDate] : []),
  ];
  const reviews = entries.flatMap((entry) =>
    entry.type === 'FollowUpScheduled' && !entry.retractedHere
      ? [{ date: String(entry.data.reviewOn), note: String(entry.data.note ?? '') }]
      : [],
  );

  useEffect(() => {
    const element = container.current;
    if (!element || !chart || width === 0) return;
    const svg = chart.timelineChart({ entries, dueDates, reviews, today: todayUtc(), asOf, width });
    element.replaceChildren(svg);
    chart.fitLabels(svg);
  }, [chart, width, entries, asOf, view.dueDate]);

  return (
    <figure class="timeline">
      <div
        ref={container}
        class="timeline-canvas"
        data-testid="timeline"
        aria-busy={chart ? undefined : true}
      />
      <figcaption>
        <p class="hint">Across: when each development occurred in the world. Down: its kind.</p>
        <ul class="legend">
          {(chart?.LANES ?? []).map((lane) => (
            <li>
              <span class="swatch" style={{ background: lane.color }} aria-hidden="true" /> {lane.name}
            </li>
          ))}
          <li>◇ recorded later</li>
          <li>
            <span class="legend-retracted">struck through</span>: retracted
          </li>
          <li>dashed: deadline, review; solid: {asOf ? `as of ${asOf}` : 'today'}</li>
        </ul>
      </figcaption>
    </figure>
  );
}
