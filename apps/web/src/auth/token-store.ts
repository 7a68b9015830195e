const KEY = 'myelin.apiToken';

/** The API token the page sends as `Authorization: Bearer …`, kept in this browser's localStorage. */
export function readToken(): string {
  try {
    return localStorage.getItem(KEY) ?? '';
  } catch {
    return '';
  }
}

/** Stores the token (an empty string forgets it). */
export function writeToken(token: string): void {
  try {
    if (token) localStorage.setItem(KEY, token);
    else localStorage.removeItem(KEY);
  } catch {
    // storage disabled: the token lives for this page only
  }
}
