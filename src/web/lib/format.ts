import type { CommitmentStatus } from './types.js';

/** `under_negotiation` → `Under negotiation`. */
export function humanize(value: string): string {
  const words = value.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** `StatementRecorded` → `Statement recorded`. */
export function eventLabel(type: string): string {
  const words = type.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** An instant as UTC, to the minute: `2025-10-26 09:30 UTC`; a bare date as it is. */
export function formatInstant(value: string | null | undefined): string {
  if (!value) return '—';
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  const iso = new Date(value).toISOString();
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

export function formatDate(value: string | null | undefined): string {
  return value ? value.slice(0, 10) : '—';
}

export function formatCompliance(value: number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  return `${value > 0 ? '+' : ''}${value.toFixed(2)}`;
}

export function formatScore(value: number | undefined): string {
  if (value === undefined) return '—';
  return value === 1 ? '+1 complied' : value === 0 ? '0 partial' : '−1 not complied';
}

export function todayUtc(): string {
  return new Date().toISOString().slice(0, 10);
}

export const STATUS_CLASS: Record<CommitmentStatus, string> = {
  proposed: 'status-proposed',
  under_negotiation: 'status-negotiation',
  adopted: 'status-adopted',
  in_progress: 'status-progress',
  in_force: 'status-in-force',
  completed: 'status-completed',
  suspended: 'status-suspended',
  superseded: 'status-superseded',
  withdrawn: 'status-withdrawn',
};

/** A source's address, only when it is a web address: anything else is shown as text, never linked. */
export function safeHttpUrl(url: unknown): string | null {
  if (typeof url !== 'string') return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : null;
  } catch {
    return null;
  }
}
