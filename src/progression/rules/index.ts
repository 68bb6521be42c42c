/**
 * The rules room: evidence in, an Evaluation out (the plan's phase and decision, and one decision per
 * current order with its new dose and the rationale naming its numbers). Plan rules first (red flag,
 * flare, return to load, deload, resume, baseline: the first that matches decides), then the order
 * rules (qualification, regress, hold, progress, quota mode, alternating focus). Imports read/ and dose/.
 */
export * from './evaluate';
export * from './order-context';
