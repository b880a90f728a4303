/**
 * Peak RSS and V8 heap of this process over a phase. A timer samples every 100 ms, but SQLite work
 * is synchronous under Kysely's promises and starves timers, so callers also sample at their
 * progress points; `process.resourceUsage().maxRSS` is the kernel's exact lifetime peak.
 */
export class MemoryPeak {
  rss = 0;
  heap = 0;
  private timer: NodeJS.Timeout | undefined;

  start(): this {
    this.rss = 0;
    this.heap = 0;
    this.sample();
    this.timer = setInterval(() => this.sample(), 100);
    this.timer.unref();
    return this;
  }

  sample = (): void => {
    const m = process.memoryUsage();
    if (m.rss > this.rss) this.rss = m.rss;
    if (m.heapUsed > this.heap) this.heap = m.heapUsed;
  };

  stop(): { rssMb: number; heapMb: number } {
    this.sample();
    clearInterval(this.timer);
    return { rssMb: mb(this.rss), heapMb: mb(this.heap) };
  }
}

/** The process's peak RSS so far (kernel accounting), in MiB. */
export function maxRssMb(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

function mb(bytes: number): number {
  return Math.round(bytes / 1024 / 1024);
}
