/**
 * The pages' static files under /static: our stylesheet and chart script (src/web/static, found from both
 * src/ and dist/) and Chart.js's UMD build from node_modules. Exactly these three files; anything else
 * falls through to the app's 404.
 * See: https://www.chartjs.org/docs/latest/getting-started/integration.html
 */
import express from 'express';
import { dirname, join, resolve } from 'node:path';

/** src/web/static: the same two levels up from src/web and from dist/web. */
export const STATIC_DIR = resolve(__dirname, '..', '..', 'src', 'web', 'static');

/** Chart.js's browser build, next to the CommonJS entry its package exports. */
export function chartJsFile(): string {
  return join(dirname(require.resolve('chart.js')), 'chart.umd.js');
}

/** GET /static/gradus.css, /static/charts.js and /static/chart.umd.js (mount at the root: `app.use(staticRoutes())`). */
export function staticRoutes(): express.Router {
  const files: Readonly<Record<string, string>> = {
    '/static/gradus.css': join(STATIC_DIR, 'gradus.css'),
    '/static/charts.js': join(STATIC_DIR, 'charts.js'),
    '/static/chart.umd.js': chartJsFile(),
  };
  const router = express.Router();
  for (const [path, file] of Object.entries(files)) {
    router.get(path, (_req, res, next) => {
      res.sendFile(file, { headers: { 'x-content-type-options': 'nosniff', 'cache-control': 'public, max-age=300' } }, (err) => {
        if (err) next(err);
      });
    });
  }
  return router;
}
