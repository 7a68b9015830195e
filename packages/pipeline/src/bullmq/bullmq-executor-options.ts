/** Options of a `BullmqExecutor`. */
export interface BullmqExecutorOptions {
  /** Redis URL of the queues, e.g. `redis://localhost:6379`. */
  url: string;
  /** BullMQ key prefix of the queues and of Myelin's own keys (cancel flags, leader). @defaultValue 'myelin' */
  prefix?: string;
  /** How often a waiting `execute` reads the run's state and events from the metadata store. @defaultValue 300 */
  pollMs?: number;
  /** How often it checks that the run's jobs are still in Redis (a restart without persistence loses them). @defaultValue 3000 */
  queueCheckMs?: number;
  /** How long Redis may stay unreachable before a waiting run is failed with a clear reason. @defaultValue 60000 */
  redisDownMs?: number;
  /** Connect timeout of the start-up ping. @defaultValue 3000 */
  connectTimeoutMs?: number;
}
