// MEASURES_STORE names either a file or a PostgreSQL database; only the scheme tells them apart.

/** postgres://… or postgresql://…: the PostgreSQL store. Anything else is a file path. */
export function isDatabaseUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//i.test(location.trim());
}

/** The URL without its password, for logs and messages. */
export function describeDatabaseUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://(an unparseable URL)';
  }
}
