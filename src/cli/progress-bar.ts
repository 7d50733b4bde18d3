/** A one-line progress bar on a terminal; on anything else (a log file, CI) a line per tenth done. */
export class ProgressBar {
  private readonly startedAt = Date.now();
  private lastTenth = -1;

  constructor(
    private readonly label: string,
    /** What is counted ("events", "streams"). */
    private readonly unit = 'events',
    private readonly out: NodeJS.WriteStream = process.stderr,
    private readonly width = 30,
  ) {}

  update(done: number, total: number): void {
    const fraction = total === 0 ? 1 : Math.min(1, done / total);
    const seconds = (Date.now() - this.startedAt) / 1000;
    const rate = seconds > 0 ? done / seconds : 0;
    const eta = rate > 0 && fraction < 1 ? ` · ETA ${Math.ceil((total - done) / rate)} s` : '';
    const line =
      `${this.label} ${(fraction * 100).toFixed(0).padStart(3)}% ` +
      `${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')} ${this.unit} · ` +
      `${Math.round(rate).toLocaleString('en-US')} ${this.unit}/s${eta}`;
    if (this.out.isTTY) {
      const filled = Math.round(fraction * this.width);
      this.out.write(`\r[${'#'.repeat(filled)}${'.'.repeat(this.width - filled)}] ${line}\u001b[K`);
      return;
    }
    const tenth = Math.floor(fraction * 10);
    if (tenth > this.lastTenth) {
      this.lastTenth = tenth;
      this.out.write(`${line}\n`);
    }
  }

  finish(message: string): void {
    this.out.write(`${this.out.isTTY ? '\n' : ''}${message}\n`);
  }
}
