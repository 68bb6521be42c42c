/**
 * The pages (clinician review and patient log), server-rendered HTML without a framework. In come
 * requests with a SMART session (res.locals.smart from src/smart) and urlencoded forms; out go HTML pages,
 * Observations POSTed with the patient's token, and review answers through the review API (src/client).
 * The only door to src/web.
 */
export { webRoutes, type WebOptions } from './routes';
export { staticRoutes, STATIC_DIR, chartJsFile } from './static-routes';
export type { SmartContext } from './smart-context';
export { checkInObservation, sessionObservation, parseCheckIn, parseSession, CHECK_IN_FIELDS, SESSION_FIELDS } from './patient-log';
