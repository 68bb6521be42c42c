/**
 * A browser reduced to what an HTTP-level test of a sign-in needs: a cookie jar and redirects followed by hand,
 * one at a time, so each hop can be checked. No JavaScript, no page: for that, see ./browser (Chromium).
 */

/** One request's answer, redirects not followed: its status, absolute Location (if any) and body. */
export interface Visit {
  status: number;
  location: string | undefined;
  text: string;
}

/** Where `follow` stopped: the URLs visited in order, the redirect not taken (if it stopped at one), that answer. */
export interface Followed {
  visited: string[];
  next: string | undefined;
  status: number;
  text: string;
}

/** A URL's path, for checking the hops of a redirect chain. */
export const pathOf = (url: string): string => new URL(url).pathname;

/** The text of a page's (first) <h1>: what the page says happened. */
export const h1 = (html: string): string | undefined => /<h1>([^<]*)<\/h1>/.exec(html)?.[1];

export class CookieBrowser {
  /** Cookie name to value; a test may read it, or set a cookie the browser did not get itself. */
  readonly jar = new Map<string, string>();

  /** A fetch that sends and keeps cookies and never follows a redirect. */
  async fetch(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.jar.size > 0) headers.set('cookie', [...this.jar].map(([k, v]) => `${k}=${v}`).join('; '));
    const res = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const cookie of res.headers.getSetCookie()) {
      const [pair = '', ...attributes] = cookie.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at).trim();
      const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a) || (/^\s*expires=/i.test(a) && Date.parse(a.split('=')[1] ?? '') < Date.now()));
      if (expired || pair.slice(at + 1) === '') this.jar.delete(name);
      else this.jar.set(name, pair.slice(at + 1));
    }
    return res;
  }

  postForm(url: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
    return this.fetch(url, { method: 'POST', body: new URLSearchParams(fields), headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers } });
  }

  /**
   * GET `url` as a page, or POST `form` to it as a form on a page of the same origin submits it (with that
   * Origin header); no redirect followed.
   */
  async visit(url: string, form?: Record<string, string>): Promise<Visit> {
    const accept = { accept: 'text/html' };
    const response = form ? await this.postForm(url, form, { ...accept, origin: new URL(url).origin }) : await this.fetch(url, { headers: accept });
    const location = response.headers.get('location');
    return { status: response.status, location: location === null ? undefined : new URL(location, url).href, text: await response.text() };
  }

  /** `visit`, then redirects followed until `stop(next)` says so or an answer that is not a redirect. */
  async follow(url: string, form?: Record<string, string>, stop: (next: string) => boolean = () => false): Promise<Followed> {
    const visited = [url];
    let answer = await this.visit(url, form);
    while (answer.status >= 300 && answer.status < 400 && answer.location !== undefined && !stop(answer.location) && visited.length < 20) {
      visited.push(answer.location);
      answer = await this.visit(answer.location);
    }
    return { visited, next: answer.location, status: answer.status, text: answer.text };
  }
}
