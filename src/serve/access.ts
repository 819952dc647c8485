/**
 * Who may read the console, and the headers every answer carries. On a loopback address
 * (127.0.0.1, ::1, localhost) only this machine can connect, and the Host header must name a
 * loopback host too, so a web page that rebinds its own domain to 127.0.0.1 cannot read the
 * console through the browser. On any other address the console needs its access token: given
 * once as `?token=`, it is kept in an HttpOnly, SameSite=Strict cookie; without it, 401.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** The Content-Security-Policy of every answer: nothing but the console's own files. */
export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(['127.0.0.1', '::1', '[::1]', 'localhost']);

export const isLoopback = (host: string): boolean => LOOPBACK_HOSTS.has(host.toLowerCase());

/** A fresh token: 24 random bytes, URL-safe. */
export const newAccessToken = (): string => randomBytes(24).toString('base64url');

export function setSecurityHeaders(res: ServerResponse): void {
  res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
}

/** Equal texts, compared in constant time (hashes first, so lengths leak nothing either). */
function sameSecret(given: string, secret: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(given), digest(secret));
}

/** The value of one cookie of the request, or undefined. */
function cookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return undefined;
}

/** The host name of the Host header, without its port (`[::1]:8080` → `[::1]`). */
function hostName(header: string | undefined): string {
  if (header === undefined) return '';
  const bracketed = /^(\[[^\]]*\])(?::\d+)?$/.exec(header);
  if (bracketed) return bracketed[1]!;
  return header.replace(/:\d+$/, '');
}

export type AccessVerdict =
  | { readonly allowed: true }
  | { readonly allowed: false; readonly status: 401 | 403; readonly reason: string };

export interface AccessRule {
  /** The token the console needs, or null on a loopback address without one. */
  readonly token: string | null;
  /** The cookie that keeps the token, named after the port: two consoles on one host keep theirs apart. */
  readonly cookieName: string;
}

/**
 * Whether the request may be answered; when it brings the right `?token=`, sets the cookie
 * that lets the next requests in without it.
 */
export function checkAccess(
  rule: AccessRule,
  req: IncomingMessage,
  res: ServerResponse,
  params: URLSearchParams,
): AccessVerdict {
  if (rule.token === null) {
    if (isLoopback(hostName(req.headers.host))) return { allowed: true };
    return {
      allowed: false,
      status: 403,
      reason:
        'This console listens on a loopback address and answers only requests addressed to 127.0.0.1, ::1 or localhost. Open it at the address corridor serve printed.',
    };
  }
  const given = params.get('token');
  if (given !== null && sameSecret(given, rule.token)) {
    res.setHeader('Set-Cookie', `${rule.cookieName}=${rule.token}; HttpOnly; SameSite=Strict; Path=/`);
    return { allowed: true };
  }
  const kept = cookie(req, rule.cookieName);
  if (kept !== undefined && sameSecret(kept, rule.token)) return { allowed: true };
  return {
    allowed: false,
    status: 401,
    reason:
      'This console needs its access token. Open the address corridor serve printed (it ends with ?token=…); the browser then keeps the token in a cookie.',
  };
}
