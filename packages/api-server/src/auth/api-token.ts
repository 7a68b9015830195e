/** What a token may do: submit and cancel runs, read everything, move model aliases. */
export const API_SCOPES = ['read', 'runs:write', 'models:write'] as const;

/** One scope of {@link API_SCOPES}. */
export type ApiScope = (typeof API_SCOPES)[number];

/** A bearer token the API accepts, with its scopes. */
export interface ApiToken {
  token: string;
  scopes: ApiScope[];
}
