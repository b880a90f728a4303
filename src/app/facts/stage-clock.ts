/**
 * Wall time per stage of an import, summed into a map the caller owns (the benches pass one to
 * see where an import's time goes). Without a map every call is a no-op.
 */
export class StageClock {
  private last = performance.now();
  constructor(private readonly into?: Map<string, number>) {}

  /** Adds the time since the previous lap (or since the clock started) to `stage`. */
  lap(stage: string): void {
    if (this.into === undefined) return;
    const now = performance.now();
    this.into.set(stage, (this.into.get(stage) ?? 0) + now - this.last);
    this.last = now;
  }
}
