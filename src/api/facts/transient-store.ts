import { randomBytes } from 'node:crypto';

/**
 * What an import leaves for the client to pick up later — a bad-rows file, a running job — kept
 * in this process's memory with an expiry. Deliberately not a table: it is short-lived, belongs to
 * one request's user, and a restart losing it costs at most a re-upload. Several server processes
 * behind a load balancer would need sticky sessions or a table instead.
 */
export class TransientStore<T> {
  private readonly items = new Map<string, { value: T; userId: number; expires: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly clock: () => Date,
  ) {}

  put(userId: number, value: T): string {
    this.sweep();
    const id = randomBytes(12).toString('hex');
    this.items.set(id, { value, userId, expires: this.clock().getTime() + this.ttlMs });
    return id;
  }

  /** The item, only for the user who created it and only before it expires. */
  get(id: string, userId: number): T | undefined {
    const item = this.items.get(id);
    if (!item || item.userId !== userId || item.expires < this.clock().getTime()) return undefined;
    return item.value;
  }

  /** Restarts the expiry (a job's result stays for ttl after it finishes). */
  touch(id: string): void {
    const item = this.items.get(id);
    if (item) item.expires = this.clock().getTime() + this.ttlMs;
  }

  private sweep(): void {
    const now = this.clock().getTime();
    for (const [id, item] of this.items) if (item.expires < now) this.items.delete(id);
  }
}
