/**
 * The SMART app on the service's express app: /launch, /callback and /logout (src/smart), the static assets
 * and the clinician and patient pages (src/web) behind a SMART session and, for forms, a CSRF check. Pages get
 * a strict Content-Security-Policy and are never cached.
 * See: https://hl7.org/fhir/smart-app-launch/app-launch.html
 */
import express, { type NextFunction, type Request, type Response } from 'express';
import { checkCsrf, requireSmart, smartErrors, smartRoutes, type SmartOptions } from '../smart';
import { staticRoutes, webRoutes, type WebOptions } from '../web';

/** The largest form a page accepts (a session log or a rejection reason is far smaller). */
const FORM_LIMIT = '32kb';

export interface SmartAppOptions {
  smart: SmartOptions;
  web: WebOptions;
}

export function mountSmartApp(app: express.Express, options: SmartAppOptions): void {
  app.use(staticRoutes());
  app.use(smartRoutes(options.smart));
  const csrfOnPost = (req: Request, res: Response, next: NextFunction): void => {
    if (req.method === 'POST') checkCsrf(req, res, next);
    else next();
  };
  app.use(
    ['/app', '/me'],
    express.urlencoded({ extended: false, limit: FORM_LIMIT, parameterLimit: 100 }),
    requireSmart(options.smart),
    csrfOnPost,
  );
  app.use(webRoutes(options.web));
  app.use(['/app', '/me'], smartErrors(options.smart));
}
