/**
 * URLs fit for logs, messages and alerts: credentials in them (a password, an API key in the
 * query) end up in journals and chat channels otherwise. The exact URL is still what is asked.
 */

/** Query parameters that carry secrets (`?token=`, `?api_key=`, `?subscription-key=`, `?client_secret=`). */
const SECRET_PARAM = /token|key|secret|password|passwd|signature|^sig$|auth/i;

/**
 * A URL fit for a log: user and password, and query parameters that look like secrets, become
 * `***`. Text that is not a URL comes back unchanged.
 *
 * @example
 * maskUrl('https://ops:hunter2@hooks.example.org/x?token=abc&team=etl')
 * // 'https://***:***@hooks.example.org/x?token=***&team=etl'
 */
export function maskUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url;
  }
  let changed = false;
  if (parsed.username !== '') {
    parsed.username = '***';
    changed = true;
  }
  if (parsed.password !== '') {
    parsed.password = '***';
    changed = true;
  }
  for (const name of new Set(parsed.searchParams.keys()))
    if (SECRET_PARAM.test(name)) {
      parsed.searchParams.set(name, '***');
      changed = true;
    }
  // Unchanged URLs are returned as written, not as the URL parser normalises them.
  return changed ? parsed.toString().replaceAll('%2A%2A%2A', '***') : url;
}

/**
 * Every http(s) URL inside a text masked with `maskUrl`: command lines and error messages may
 * carry one.
 *
 * @example
 * maskCredentials('curl -d @- https://x.org/hook?key=abc') // 'curl -d @- https://x.org/hook?key=***'
 */
export function maskCredentials(text: string): string {
  return text.replace(/\bhttps?:\/\/[^\s"'<>]+/g, (url) => maskUrl(url));
}
