import type { Redis } from 'ioredis';
/** The Redis key whose holder is the one process reconciling the runs of a queue prefix. */
export function reconcilerLeaderKey(prefix: string): string {
  return `${prefix}:reconciler:leader`;
}

// Renews the lease only when this process still holds it (compare and extend, atomically).
const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0`;

// Lets go only of a lease this process holds.
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`;

/**
 * Leader election through one Redis key: whoever sets it first (`SET NX PX`) leads for `leaseMs`
 * and renews it while it lives; when the leader dies or loses Redis the key expires and another
 * process takes over at its next try. Every API and worker process tries; one reconciles.
 *
 * @example
 * const leader = new ReconcilerLeader(redis, 'myelin', 'worker-a:123', 30_000);
 * if (await leader.lead()) await reconcileOnce();
 */
export class ReconcilerLeader {
  constructor(
    private readonly redis: Redis,
    /** The queue prefix: one leader per prefix. */
    prefix: string,
    /** Unique per process: who holds the key. */
    private readonly id: string,
    private readonly leaseMs: number,
  ) {
    this.key = reconcilerLeaderKey(prefix);
  }

  private readonly key: string;

  /** True when this process leads now (the lease taken or renewed); false when another does, or Redis is away. */
  async lead(): Promise<boolean> {
    try {
      const renewed = await this.redis.eval(RENEW, 1, this.key, this.id, String(this.leaseMs));
      if (renewed === 1) return true;
      const taken = await this.redis.set(this.key, this.id, 'PX', this.leaseMs, 'NX');
      return taken === 'OK';
    } catch {
      return false;
    }
  }

  /** Gives the lease up (on shutdown), so another process takes over at once. */
  async release(): Promise<void> {
    await this.redis.eval(RELEASE, 1, this.key, this.id).catch(() => undefined);
  }
}
