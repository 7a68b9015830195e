/**
 * The URL with its password replaced by `***` (in the user-info part and in a `password` query
 * parameter), for messages and logs. A string that is not a URL has anything between `:` and `@`
 * masked, to be safe.
 *
 * @example
 * maskPostgresUrl('postgres://app:s3cret@db:5432/myelin'); // 'postgres://app:***@db:5432/myelin'
 */
export function maskPostgresUrl(url: string): string {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  // Not a URL with a host (`app:s3cret@db` parses as scheme `app:`): mask by pattern.
  if (!parsed?.host) return url.replace(/:[^:@/]*@/, ':***@');
  if (parsed.password) parsed.password = '***';
  if (parsed.searchParams.has('password')) parsed.searchParams.set('password', '***');
  return parsed.toString();
}
