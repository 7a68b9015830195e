/**
 * A fence: resolves while this process still holds the job it works on, and throws
 * `MYELIN_ERR_QUEUE_FENCED` once it may not (the job's lock expired or belongs to another worker).
 * Every write of a queued step goes through one, so a stale worker (its lock lost, its parent
 * killed) can never overwrite what the job's new holder writes.
 */
export type Fence = () => Promise<void>;

/** A fence that never closes: the in-process executor holds its runs for their whole life. */
export const OPEN_FENCE: Fence = async () => undefined;
