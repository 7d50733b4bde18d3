import type { DevelopmentDescription } from './development-description.js';

/** A commitment's dates to watch: its deadline, and the reviews an analyst schedules of it. */
export const SCHEDULE_DEVELOPMENTS = [
  {
    action: 'deadlines',
    path: '/commitments/{id}/deadlines',
    operationId: 'setDeadline',
    label: 'Set a deadline',
    summary: 'Set or replace the due date (DeadlineSet); replacing a passed one counts a missed deadline',
    worldFact: 'optional',
    fields: [
      { name: 'dueDate', label: 'Due date', kind: 'date', required: true },
      { name: 'reason', label: 'Reason', kind: 'textarea' },
    ],
  },
  {
    action: 'follow-ups',
    path: '/commitments/{id}/follow-ups',
    operationId: 'scheduleFollowUp',
    label: 'Schedule a follow-up',
    summary: 'Schedule an internal review (FollowUpScheduled)',
    worldFact: 'none',
    fields: [
      { name: 'reviewOn', label: 'Review on', kind: 'date', required: true },
      { name: 'note', label: 'Note', kind: 'textarea', required: true },
      { name: 'assignee', label: 'Assignee', kind: 'text' },
    ],
  },
] as const satisfies readonly DevelopmentDescription[];

export type ScheduleAction = (typeof SCHEDULE_DEVELOPMENTS)[number]['action'];
