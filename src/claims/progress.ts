// A one-line progress bar on stderr (rows, rows/s, percent of bytes when the size is known). Silent unless stderr
// is a terminal, so logs and pipes stay clean.
export class Progress {
  private bytes = 0;
  private rows = 0;
  private readonly started = Date.now();
  private last = 0;
  private shown = false;

  constructor(
    private readonly totalBytes: number,
    private readonly enabled: boolean = process.stderr.isTTY === true,
  ) {}

  addBytes(n: number): void {
    this.bytes += n;
  }

  /** Called once per chunk of rows; draws at most 5 times a second. */
  tick(rows: number): void {
    this.rows = rows;
    if (!this.enabled) return;
    const now = Date.now();
    if (now - this.last < 200) return;
    this.last = now;
    this.draw(now);
  }

  private draw(now: number): void {
    const secs = Math.max(0.001, (now - this.started) / 1000);
    const rate = Math.round(this.rows / secs);
    const pct = this.totalBytes > 0 ? Math.min(100, (this.bytes / this.totalBytes) * 100) : -1;
    const width = 24;
    const bar =
      pct >= 0 ? `[${'#'.repeat(Math.round((pct / 100) * width)).padEnd(width, '.')}] ${pct.toFixed(0).padStart(3)}% ` : '';
    process.stderr.write(`\r读取结算明细 Reading claims ${bar}${this.rows.toLocaleString('en-US')} rows, ${rate.toLocaleString('en-US')} rows/s  `);
    this.shown = true;
  }

  done(): void {
    if (!this.enabled) return;
    if (this.rows > 0) this.draw(Date.now());
    if (this.shown) process.stderr.write('\n');
  }
}
