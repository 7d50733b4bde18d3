/**
 * Turns per stream among the writers of this process: a writer that decides on a stream's state and then
 * appends holds its turn, so writers to one stream in one process never race each other (they would lose
 * the append and decide again). Writers in other processes still race, and the expected version settles
 * those. Streams nobody waits on are forgotten.
 */
export class StreamLocks {
  private readonly tails = new Map<string, Promise<void>>();

  async withLock<T>(streamId: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(streamId) ?? Promise.resolve();
    let release = () => {};
    const turn = new Promise<void>((resolve) => (release = resolve));
    const tail = previous.then(() => turn);
    this.tails.set(streamId, tail);
    await previous;
    try {
      return await work();
    } finally {
      release();
      if (this.tails.get(streamId) === tail) this.tails.delete(streamId);
    }
  }

  /** Streams with a writer holding or awaiting its turn (for tests). */
  get busyStreams(): number {
    return this.tails.size;
  }
}
