import { dot, link, plot, ruleX, text } from '@observablehq/plot';
import { eventLabel, formatInstant } from '../lib/format.js';
import type { TimelineEntry } from '../lib/time-travel.js';

/** Lanes of the timeline: developments of a kind share a row. */
export const LANES = [
  {
    name: 'Course',
    color: '#1d4e89',
    types: ['CommitmentProposed', 'CommitmentAdopted', 'CommitmentCompleted', 'CommitmentSuperseded'],
  },
  { name: 'Statements', color: '#6a3d9a', types: ['StatementRecorded'] },
  { name: 'Progress', color: '#1b7837', types: ['ProgressReported', 'ComplianceAssessed'] },
  {
    name: 'Parties',
    color: '#b35806',
    types: ['PartyJoined', 'PartyWithdrew', 'CommitmentSuspended', 'CommitmentResumed'],
  },
  { name: 'Deadlines & reviews', color: '#8c510a', types: ['DeadlineSet', 'FollowUpScheduled'] },
  { name: 'Corrections', color: '#4d4d4d', types: ['EntryRetracted'] },
] as const;

const laneOf = (type: string) =>
  LANES.find((lane) => (lane.types as readonly string[]).includes(type)) ?? LANES[0];

/** Past this many entries the labels would overlap: the dots keep their tooltips, the table has the rest. */
const MAX_LABELS = 30;
const DAY_MS = 86_400_000;

export interface TimelineInput {
  readonly entries: readonly TimelineEntry[];
  readonly dueDates: readonly string[];
  readonly reviews: readonly { readonly date: string; readonly note: string }[];
  readonly today: string;
  readonly asOf?: string;
  readonly width: number;
}

interface Point {
  readonly entry: TimelineEntry;
  readonly lane: string;
  readonly occurred: Date;
  readonly recorded: Date;
  readonly label: string;
}

const day = (date: string) => new Date(`${date.slice(0, 10)}T00:00:00Z`);

function labelOf(entry: TimelineEntry): string {
  const data = entry.data as { speaker?: { party?: string }; party?: string; adoptedBy?: string[] };
  const who = data.speaker?.party ?? data.party ?? data.adoptedBy?.join(', ');
  return `${eventLabel(entry.type)}${who ? ` · ${who}` : ''}`;
}

/**
 * The developments on the world-time axis (occurredAt), each linked to when it was recorded when that was
 * another day; retracted ones hollow and struck through; deadlines, reviews and today as rules.
 */
export function timelineChart(input: TimelineInput): SVGSVGElement | HTMLElement {
  const points: Point[] = input.entries.map((entry) => ({
    entry,
    lane: laneOf(entry.type).name,
    occurred: new Date(entry.occurredAt),
    recorded: new Date(entry.recordedAt),
    label: labelOf(entry),
  }));
  const live = points.filter((p) => !p.entry.retractedHere);
  const retracted = points.filter((p) => p.entry.retractedHere);
  const late = points.filter((p) => p.recorded.getTime() - p.occurred.getTime() > DAY_MS);
  const dues = [...new Set(input.dueDates)].map((date) => ({ date, at: day(date) }));
  const reviews = input.reviews.map((review) => ({ ...review, at: day(review.date) }));
  const today = day(input.today);
  const times = [
    ...points.flatMap((p) => [p.occurred.getTime(), p.recorded.getTime()]),
    ...dues.map((d) => d.at.getTime()),
    ...reviews.map((r) => r.at.getTime()),
    today.getTime(),
  ];
  const span = Math.max(Math.max(...times) - Math.min(...times), 30 * DAY_MS);
  const domain = [new Date(Math.min(...times) - span * 0.03), new Date(Math.max(...times) + span * 0.12)];
  const strike = span * 0.008;
  const lanes = LANES.filter((lane) => points.some((p) => p.lane === lane.name));
  const title = (p: Point) =>
    `${p.label}\noccurred ${formatInstant(p.entry.occurredAt)}\nrecorded ${formatInstant(p.entry.recordedAt)} by ${
      p.entry.recordedBy ?? 'unknown'
    }${p.entry.retractedHere ? '\nretracted' : ''}`;
  const labelled = points.length <= MAX_LABELS;
  const reference = input.asOf ? day(input.asOf) : today;

  const svg = plot({
    width: input.width,
    height: 70 + Math.max(lanes.length, 1) * 46,
    marginLeft: 140,
    marginRight: 20,
    marginTop: 28,
    className: 'timeline-plot',
    ariaLabel: `Timeline of ${points.length} entries`,
    ariaDescription:
      'Each dot is a development at the time it occurred; a diamond linked to it marks when it was recorded. ' +
      'Hollow, struck-through dots are retracted. Dashed rules mark deadlines and reviews, the solid rule today.',
    x: { type: 'utc', domain, label: 'Occurred (world time) →', grid: true },
    y: { type: 'band', domain: lanes.map((lane) => lane.name), label: null },
    color: { domain: LANES.map((lane) => lane.name), range: LANES.map((lane) => lane.color) },
    marks: [
      ruleX(dues, {
        x: 'at',
        stroke: '#b3261e',
        strokeDasharray: '6,3',
        className: 'timeline-due',
        ariaHidden: true,
      }),
      text(dues, {
        x: 'at',
        text: (d) => `due ${d.date}`,
        frameAnchor: 'top',
        dy: -14,
        dx: 3,
        textAnchor: 'start',
        fill: '#8f1d16',
      }),
      ruleX(reviews, {
        x: 'at',
        stroke: '#7a4f00',
        strokeDasharray: '2,3',
        className: 'timeline-review',
        ariaHidden: true,
      }),
      text(reviews, {
        x: 'at',
        text: (r) => `review ${r.date}`,
        frameAnchor: 'bottom',
        dy: 14,
        dx: 3,
        textAnchor: 'start',
        fill: '#5c3b00',
      }),
      ruleX([reference], { stroke: '#111', strokeWidth: 1.5, className: 'timeline-today', ariaHidden: true }),
      text([reference], {
        x: (d: Date) => d,
        text: () => (input.asOf ? `as of ${input.asOf}` : 'today'),
        frameAnchor: 'top',
        dy: -14,
        dx: -3,
        textAnchor: 'end',
        fill: '#111',
      }),
      link(late, {
        x1: 'occurred',
        x2: 'recorded',
        y1: 'lane',
        y2: 'lane',
        stroke: '#767676',
        strokeDasharray: '3,2',
        ariaHidden: true,
      }),
      dot(late, {
        x: 'recorded',
        y: 'lane',
        symbol: 'diamond',
        r: 3.5,
        stroke: '#555',
        fill: 'white',
        title,
        className: 'timeline-recorded',
      }),
      dot(live, {
        x: 'occurred',
        y: 'lane',
        fill: 'lane',
        r: 6,
        stroke: 'white',
        title,
        className: 'timeline-live',
      }),
      dot(retracted, {
        x: 'occurred',
        y: 'lane',
        r: 6,
        fill: 'white',
        stroke: '#555',
        title,
        className: 'timeline-retracted-dot',
      }),
      link(retracted, {
        x1: (p: Point) => new Date(p.occurred.getTime() - strike),
        x2: (p: Point) => new Date(p.occurred.getTime() + strike),
        y1: 'lane',
        y2: 'lane',
        stroke: '#111',
        strokeWidth: 2,
        className: 'timeline-strike',
        ariaHidden: true,
      }),
      ...(labelled
        ? [
            text(live, {
              x: 'occurred',
              y: 'lane',
              text: 'label',
              dx: 9,
              dy: -11,
              textAnchor: 'start',
              fill: '#222',
              className: 'timeline-label',
            }),
            text(retracted, {
              x: 'occurred',
              y: 'lane',
              text: 'label',
              dx: 9,
              dy: -11,
              textAnchor: 'start',
              fill: '#444',
              className: 'timeline-label timeline-retracted',
            }),
          ]
        : []),
    ],
  });
  // Plot adds a <style> element; the app's CSP allows stylesheets from its own files only, and
  // styles.css carries the same rules for `.timeline-plot`. Removed before the chart joins the page.
  svg.querySelectorAll('style').forEach((style) => style.remove());
  return svg;
}
