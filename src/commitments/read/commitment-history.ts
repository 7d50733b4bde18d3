/** The audit trail of a commitment as `GET /commitments/:id/history` answers it (the web app reads it too). */

export interface HistoryEntry {
  readonly eventId: string;
  readonly version: number;
  readonly type: string;
  readonly occurredAt: string;
  readonly recordedAt: string;
  readonly recordedBy: string | null;
  readonly data: unknown;
  readonly retracted: boolean;
  readonly retractedBy?: string;
  /** For an entry that quotes its source: whether the quote was found in the source's registered text. */
  readonly quoteVerified?: boolean;
}

export interface CommitmentHistory {
  readonly commitmentId: string;
  readonly events: HistoryEntry[];
}
