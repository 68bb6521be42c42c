/** What a page handler gets in `res.locals.smart` (set by src/smart's `requireSmart`). */
export type { SmartContext } from '../smart';
