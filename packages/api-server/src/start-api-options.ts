import type { Stack } from '@myelin/pipeline';
import type { ApiOptions } from './api-options.js';

/** Options of {@link startApi}: those of `buildApiServer`, plus where to listen. */
export interface StartApiOptions extends Omit<ApiOptions, 'stack'> {
  /** The stack to serve; closed with the server only when `startApi` opened it. @defaultValue openApiStack() */
  stack?: Stack;
  /** TCP port; 0 picks a free one. @defaultValue 8080 */
  port?: number;
  /** Address to listen on. @defaultValue '127.0.0.1' */
  host?: string;
  /**
   * Listen on a non-loopback address even though no tokens are configured (anyone who can reach
   * the port can then start runs and move aliases). @defaultValue false
   */
  insecure?: boolean;
}
