/**
 * The small server-rendered pages of the SMART flow: launch failed, sign in needed, not allowed, signed out.
 * In go plain strings (every one escaped here); out goes an HTML document with `lang`, a title, a skip link,
 * one `main` and one `h1`, readable at 360 px, with no inline script or style (CSP `default-src 'self'`).
 * See: https://www.w3.org/WAI/WCAG22/quickref/
 */
import type { Response } from 'express';
import { html, htmlDocument, pageHeaders } from '../html';

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
function renderPage(page: Page): string {
  return htmlDocument({
    title: `${page.title} - Gradus`,
    stylesheet: '/static/gradus.css',
    focusableMain: false,
    main: html`<h1>${page.heading}</h1>${page.paragraphs.map((p) => html`\n<p>${p}</p>`)}${(page.links ?? []).map((l) => html`\n<p><a href="${l.href}">${l.text}</a></p>`)}`,
  });
}

/** Never cached, no referrer to other origins (a /callback URL carries the code), CSP without inline code. */
const PAGE_HEADERS = pageHeaders("default-src 'self'");

/** Sends a page with its headers (src/html). */
export function sendPage(res: Response, status: number, page: Page): void {
  res.status(status).set(PAGE_HEADERS).send(renderPage(page));
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
