export { buildApiServer, DEFAULT_BODY_LIMIT } from './build-api-server.js';
export type { ApiOptions } from './api-options.js';
export { startApi, type RunningApi } from './start-api.js';
export type { StartApiOptions } from './start-api-options.js';
export { openApiStack } from './open-api-stack.js';
export { isLoopbackHost } from './is-loopback-host.js';
export { API_SCOPES, type ApiScope, type ApiToken } from './auth/api-token.js';
export { parseApiTokens, apiTokensFromEnv, checkApiToken } from './auth/parse-api-tokens.js';
export type { ApiErrorBody, ApiErrorDetail } from './errors/api-error-body.js';
export { httpStatus } from './errors/http-status.js';
export { applyOverrides, type OverriddenText } from './pipelines/apply-overrides.js';
export { parseOverridePath } from './pipelines/override-path.js';
export type { SubmitRunBody } from './schemas/run-schemas.js';
export {
  createApiClient,
  type ApiClient,
  type ApiClientOptions,
  type RunStreamEnd,
  type StreamedRunEvent,
} from './client/api-client.js';
export { createSseParser, type SseMessage } from './client/sse-parser.js';
