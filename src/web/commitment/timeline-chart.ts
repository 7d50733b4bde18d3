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
    types: [
      'PartyJoined',
      'PartyWithdrew',
      'CommitmentSuspended',
      'CommitmentResumed',
      'PartySigned',
      'ReservationMade',
      'ReservationWithdrawn',
    ],
  },
  { name: 'Deadlines & reviews', color: '#8c510a', types: ['DeadlineSet', 'FollowUpScheduled'] },
  { name: 'Corrections', color: '#4d4d4d', types: ['EntryRetracted'] },
] as const;

const laneOf = (type: string) =>
  LANES.find((lane) => (lane.types as readonly string[]).includes(type)) ?? LANES[0];

const DAY_MS = 86_400_000;
const MARGIN_LEFT = 140;
const MARGIN_RIGHT = 20;
/** Label rows above and below the dots of a lane (px from the lane's centre). */
const LABEL_ROWS = [-11, 15] as const;
const LABEL_CHAR_PX = 6.2;

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
  const labels = placeLabels(points, domain, input.width - MARGIN_LEFT - MARGIN_RIGHT);
  const labelMarks = LABEL_ROWS.flatMap((dy) => {
    const row = labels.filter((label) => label.dy === dy).map((label) => label.point);
    const common = { x: 'occurred', y: 'lane', text: 'label', dx: 9, dy, textAnchor: 'start' } as const;
    return [
      text(
        row.filter((p) => !p.entry.retractedHere),
        { ...common, fill: '#222', className: 'timeline-label' },
      ),
      text(
        row.filter((p) => p.entry.retractedHere),
        { ...common, fill: '#444', className: 'timeline-label timeline-retracted' },
      ),
    ];
  });
  const reference = input.asOf ? day(input.asOf) : today;

  const svg = plot({
    width: input.width,
    height: 70 + Math.max(lanes.length, 1) * 46,
    marginLeft: MARGIN_LEFT,
    marginRight: MARGIN_RIGHT,
    marginTop: 28,
    className: 'timeline-plot',
    ariaLabel: `Timeline of ${points.length} entries`,
    ariaDescription:
      'Each dot is a development at the time it occurred; a diamond linked to it marks when it was recorded. ' +
      'Hollow, struck-through dots are retracted. Dashed rules mark deadlines and reviews, the solid rule today.',
    x: { type: 'utc', domain, label: null, grid: true },
    y: { type: 'band', domain: lanes.map((lane) => lane.name), label: null },
    color: { domain: LANES.map((lane) => lane.name), range: LANES.map((lane) => lane.color) },
    marks: [
      ruleX(dues, {
        x: 'at',
        stroke: '#b3261e',
        strokeDasharray: '6,3',
        className: 'timeline-due',
        title: (d: { date: string }) => `due ${d.date}`,
      }),
      text(dues, {
        x: 'at',
        text: (d) => `due ${d.date}`,
        frameAnchor: 'top',
        dy: -14,
        dx: 3,
        textAnchor: 'start',
        fill: '#8f1d16',
        className: 'timeline-rule-label',
      }),
      ruleX(reviews, {
        x: 'at',
        stroke: '#7a4f00',
        strokeDasharray: '2,3',
        className: 'timeline-review',
        title: (r: { date: string; note: string }) => `review ${r.date}${r.note ? `: ${r.note}` : ''}`,
      }),
      text(reviews, {
        x: 'at',
        text: (r) => `review ${r.date}`,
        frameAnchor: 'bottom',
        dy: 14,
        dx: 3,
        textAnchor: 'start',
        fill: '#5c3b00',
        className: 'timeline-rule-label',
      }),
      ruleX([reference], {
        stroke: '#111',
        strokeWidth: 1.5,
        className: 'timeline-today',
        ariaHidden: 'true',
      }),
      text([reference], {
        x: (d: Date) => d,
        text: () => (input.asOf ? `as of ${input.asOf}` : 'today'),
        frameAnchor: 'top',
        dy: -14,
        dx: -3,
        textAnchor: 'end',
        fill: '#111',
        className: 'timeline-rule-label timeline-today-label',
      }),
      link(late, {
        x1: 'occurred',
        x2: 'recorded',
        y1: 'lane',
        y2: 'lane',
        stroke: '#767676',
        strokeDasharray: '3,2',
        ariaHidden: 'true',
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
        ariaHidden: 'true',
      }),
      ...labelMarks,
    ],
  });
  // Plot adds a <style> element; the app's CSP allows stylesheets from its own files only, and
  // styles.css carries the same rules for `.timeline-plot`. Removed before the chart joins the page.
  svg.querySelectorAll('style').forEach((style) => style.remove());
  return svg;
}

/**
 * Which labels fit: retracted entries first, then the latest, each in the first row of its lane where it
 * overlaps no label already placed. The others keep their dot and its tooltip; the history has them all.
 */
function placeLabels(points: readonly Point[], domain: readonly Date[], plotWidth: number) {
  const [start, end] = domain.map((date) => date.getTime());
  const xOf = (p: Point) => ((p.occurred.getTime() - start) / (end - start)) * plotWidth;
  const taken = new Map<string, [number, number][]>();
  const placed: { point: Point; dy: number }[] = [];
  const byPriority = [...points].sort(
    (a, b) =>
      Number(b.entry.retractedHere) - Number(a.entry.retractedHere) ||
      b.occurred.getTime() - a.occurred.getTime(),
  );
  for (const point of byPriority) {
    const from = xOf(point);
    const to = from + 12 + point.label.length * LABEL_CHAR_PX;
    for (const dy of LABEL_ROWS) {
      const key = `${point.lane}|${dy}`;
      const row = taken.get(key) ?? [];
      if (row.some(([a, b]) => from < b && a < to)) continue;
      taken.set(key, [...row, [from, to]]);
      placed.push({ point, dy });
      break;
    }
  }
  return placed;
}

/** Space kept between a label and its mark, and between two labels (px). */
const LABEL_GAP = 3;

/**
 * Once the chart is in the page, where text has a size (the placement above can only estimate it): each
 * label in turn — today's, the deadlines', the reviews', then the entries' in the order they were placed —
 * stays if it lies inside the chart and clear of every label kept before it; else it moves to the other
 * side of its mark if it fits there, and is hidden if not. A hidden label's mark keeps it as its tooltip.
 */
export function fitLabels(chart: Element): void {
  const frame = chart.getBoundingClientRect();
  const kept: DOMRect[] = [];
  const inOrder = [
    ...chart.querySelectorAll<SVGTextElement>('.timeline-today-label text'),
    ...chart.querySelectorAll<SVGTextElement>('.timeline-rule-label:not(.timeline-today-label) text'),
    ...chart.querySelectorAll<SVGTextElement>('.timeline-label text'),
  ];
  for (const label of inOrder) {
    const box = label.getBoundingClientRect();
    const anchoredAtEnd = label.closest('[text-anchor]')?.getAttribute('text-anchor') === 'end';
    const flip = (anchoredAtEnd ? 1 : -1) * (box.width + 2 * LABEL_GAP + 6);
    const fits = (shift: number) => {
      const left = box.left + shift;
      const right = box.right + shift;
      return (
        left >= frame.left &&
        right <= frame.right &&
        box.top >= frame.top &&
        box.bottom <= frame.bottom &&
        kept.every(
          (other) =>
            right + LABEL_GAP <= other.left ||
            other.right + LABEL_GAP <= left ||
            box.bottom <= other.top ||
            other.bottom <= box.top,
        )
      );
    };
    const shift = [0, flip].find(fits);
    if (shift === undefined) {
      label.setAttribute('display', 'none');
      label.classList.add('timeline-label-hidden');
      continue;
    }
    if (shift !== 0) {
      label.setAttribute(
        'transform',
        `translate(${shift},0) ${label.getAttribute('transform') ?? ''}`.trim(),
      );
    }
    kept.push(new DOMRect(box.left + shift, box.top, box.width, box.height));
  }
}
