/**
 * The small server-rendered pages of the SMART flow: launch failed, sign in needed, not allowed, signed out.
 * In go plain strings (every one escaped here); out goes an HTML document with `lang`, a title, a skip link,
 * one `main` and one `h1`, readable at 360 px, with no inline script or style (CSP `default-src 'self'`).
 * See: https://www.w3.org/WAI/WCAG22/quickref/
 */
import type { Response } from 'express';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text safe inside HTML content and double- or single-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

export interface Link {
  href: string;
  text: string;
}

export interface Page {
  title: string;
  heading: string;
  /** Paragraphs of plain text (escaped when rendered). */
  paragraphs: string[];
  links?: Link[];
}

/** A whole HTML document for a page. */
export function renderPage(page: Page): string {
  const paragraphs = page.paragraphs.map((p) => `    <p>${escapeHtml(p)}</p>\n`).join('');
  const links = (page.links ?? []).map((l) => `    <p><a href="${escapeHtml(l.href)}">${escapeHtml(l.text)}</a></p>\n`).join('');
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${escapeHtml(page.title)} - Gradus</title>
  <link rel="stylesheet" href="/static/gradus.css">
</head>
<body>
  <a class="skip-link" href="#main">Skip to main content</a>
  <main id="main">
    <h1>${escapeHtml(page.heading)}</h1>
${paragraphs}${links}  </main>
</body>
</html>
`;
}

/** Sends a page: never cached, no referrer (a /callback URL carries the code), CSP without inline code. */
export function sendPage(res: Response, status: number, page: Page): void {
  res
    .status(status)
    .set({
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'referrer-policy': 'same-origin',
      'content-security-policy': "default-src 'self'",
      'x-content-type-options': 'nosniff',
    })
    .send(renderPage(page));
}

const launcherLink = (launcherUrl: string | undefined, text: string): Link[] => (launcherUrl !== undefined ? [{ href: launcherUrl, text }] : []);

/** "Launch failed": the reason, and how to start again. */
export function launchFailedPage(reason: string, launcherUrl?: string): Page {
  return {
    title: 'Launch failed',
    heading: 'Launch failed',
    paragraphs: [reason, 'Open Gradus again from your EHR or patient portal.'],
    links: launcherLink(launcherUrl, 'Go to the launcher'),
  };
}

/** "Sign in needed": no session, or its access ended. */
export function signInNeededPage(reason: string, launcherUrl?: string): Page {
  return {
    title: 'Sign in needed',
    heading: 'Sign in needed',
    paragraphs: [reason, 'Open Gradus from your EHR or patient portal to sign in.'],
    links: launcherLink(launcherUrl, 'Sign in from the launcher'),
  };
}

/** "Not allowed": a form without this session's CSRF token. */
export function notAllowedPage(reason: string): Page {
  return { title: 'Not allowed', heading: 'Not allowed', paragraphs: [reason] };
}

/** "Signed out". */
export function signedOutPage(launcherUrl?: string): Page {
  return {
    title: 'Signed out',
    heading: 'Signed out',
    paragraphs: ['You are signed out of Gradus. Gradus has forgotten your access to the FHIR server and asked its authorization server to end it.'],
    links: launcherLink(launcherUrl, 'Open the launcher'),
  };
}

/** "Try again shortly": the authorization server could not be reached to renew access. */
export function unavailablePage(reason: string): Page {
  return { title: 'Try again shortly', heading: 'Try again shortly', paragraphs: [reason] };
}

/** The sign-out form for a page's header: POST /logout with the session's CSRF token. */
export function logoutForm(csrfToken: string): string {
  return `<form method="post" action="/logout" class="logout"><input type="hidden" name="csrf" value="${escapeHtml(csrfToken)}"><button type="submit">Sign out</button></form>`;
}
