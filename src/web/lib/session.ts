import type { Role } from './types.js';

/** The signed-in key: kept for this tab only (sessionStorage), never in the URL or localStorage. */
export interface Session {
  readonly key: string;
  readonly name: string;
  readonly role: Role;
}

const STORAGE_KEY = 'commitments-tracker.session';

export function loadSession(): Session | null {
  try {
    const stored = JSON.parse(sessionStorage.getItem(STORAGE_KEY) ?? 'null') as Partial<Session> | null;
    if (stored && typeof stored.key === 'string' && typeof stored.name === 'string' && stored.role)
      return stored as Session;
  } catch {
    // Unreadable: as good as signed out.
  }
  return null;
}

export function saveSession(session: Session): void {
  sessionStorage.setItem(STORAGE_KEY, JSON.stringify(session));
}

export function clearSession(): void {
  sessionStorage.removeItem(STORAGE_KEY);
}

const RANK: Record<Role, number> = { reader: 1, analyst: 2, admin: 3 };

/** Whether the session's role reaches `least` (analysts write, admins run projections). */
export function can(session: Session, least: Role): boolean {
  return RANK[session.role] >= RANK[least];
}
