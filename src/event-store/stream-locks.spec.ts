import { StreamLocks } from './stream-locks.js';

describe('StreamLocks', () => {
  it('runs the writers of one stream one at a time, in arrival order, and others alongside', async () => {
    const locks = new StreamLocks();
    const log: string[] = [];
    let inside = 0;
    let most = 0;
    const writer = (stream: string, name: string) =>
      locks.withLock(stream, async () => {
        inside++;
        most = Math.max(most, inside);
        log.push(`${name} in`);
        await new Promise((resolve) => setImmediate(resolve));
        log.push(`${name} out`);
        inside--;
        return name;
      });
    const results = await Promise.all([
      writer('a', 'a1'),
      writer('a', 'a2'),
      writer('b', 'b1'),
      writer('a', 'a3'),
    ]);
    expect(results).toEqual(['a1', 'a2', 'b1', 'a3']);
    const aOnly = log.filter((line) => line.startsWith('a'));
    expect(aOnly).toEqual(['a1 in', 'a1 out', 'a2 in', 'a2 out', 'a3 in', 'a3 out']);
    expect(most).toBe(2); // a stream's writer and b's, never two of a's
    expect(locks.busyStreams).toBe(0);
  });

  it('passes the turn on when a writer fails', async () => {
    const locks = new StreamLocks();
    const failing = locks.withLock('a', async () => {
      throw new Error('refused');
    });
    const next = locks.withLock('a', async () => 'next');
    await expect(failing).rejects.toThrow('refused');
    await expect(next).resolves.toBe('next');
    expect(locks.busyStreams).toBe(0);
  });
});
