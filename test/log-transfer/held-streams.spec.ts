import type { StreamKind } from '../../src/event-store/event-store.types.js';
import type { ExportedEvent } from '../../src/event-store/log-export-format.js';
import { HeldStreams } from '../../src/log-transfer/held-streams.js';

const kind: StreamKind = { streamPrefix: 's-', eventTypes: ['NoteTaken'], fold: () => null };

const event = (streamId: string, version: number): ExportedEvent => ({
  eventId: `${streamId}-${version}`,
  streamId,
  version,
  type: 'NoteTaken',
  occurredAt: '2025-10-26T09:30:00.123456Z',
  recordedAt: '2026-01-02T03:04:05.999999Z',
  recordedBy: null,
  metadata: {},
  data: { version },
});

const position = (n: number) => ({ transactionId: '7', globalPosition: String(n) });

describe('HeldStreams', () => {
  it('holds every stream of a file within its budget, folded as the log reads them back', () => {
    const streams = new HeldStreams(1000);
    const held = [event('s-a', 1), event('s-b', 1), event('s-a', 2)].map((e) => streams.add(kind, e, 100));
    held.forEach((h, index) => (h!.position = position(index + 1)));
    expect(streams.streamCount).toBe(2);
    expect(streams.readBackStreams()).toEqual([]);
    expect(streams.heldStreams().map(({ streamId }) => streamId)).toEqual(['s-a', 's-b']);
    expect(streams.eventsOf('s-a')).toEqual([
      {
        eventId: 's-a-1',
        streamId: 's-a',
        streamVersion: 1,
        type: 'NoteTaken',
        data: { version: 1 },
        metadata: {},
        occurredAt: '2025-10-26T09:30:00.123Z',
        recordedAt: '2026-01-02T03:04:05.999Z',
        position: position(1),
      },
      expect.objectContaining({ eventId: 's-a-2', streamVersion: 2, position: position(3) }),
    ]);
  });

  it('lets every held stream go when the budget would be exceeded, and holds the streams that start later', () => {
    const streams = new HeldStreams(250);
    streams.add(kind, event('s-a', 1), 100);
    streams.add(kind, event('s-b', 1), 100);
    // 300 bytes would exceed 250: s-a and s-b are read back, whole, from here on.
    expect(streams.add(kind, event('s-a', 2), 100)).toBeNull();
    expect(streams.add(kind, event('s-b', 2), 100)).toBeNull();
    expect(streams.add(kind, event('s-c', 1), 100)).not.toBeNull();
    expect(streams.add(kind, event('s-a', 3), 100)).toBeNull();
    expect(streams.heldStreams().map(({ streamId }) => streamId)).toEqual(['s-c']);
    expect(streams.readBackStreams().map(({ streamId }) => streamId)).toEqual(['s-a', 's-b']);
    expect(streams.streamCount).toBe(3);
  });

  it('holds nothing with no budget, and refuses to fold an event whose position is not known yet', () => {
    const none = new HeldStreams(0);
    expect(none.add(kind, event('s-a', 1), 1)).toBeNull();
    expect(none.readBackStreams()).toEqual([{ streamId: 's-a', kind }]);
    const streams = new HeldStreams(1000);
    streams.add(kind, event('s-a', 1), 100);
    expect(() => streams.eventsOf('s-a')).toThrow(/folded before it was inserted/);
  });
});
