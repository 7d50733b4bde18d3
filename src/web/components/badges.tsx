import { humanize, STATUS_CLASS } from '../lib/format.js';
import type { CommitmentStatus } from '../lib/types.js';

export function StatusBadge({ status }: { readonly status: CommitmentStatus }) {
  return <span class={`badge ${STATUS_CLASS[status]}`}>{humanize(status)}</span>;
}

export function OverdueBadge() {
  return <span class="badge badge-overdue">Overdue</span>;
}
