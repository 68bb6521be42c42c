/**
 * The dose room: what a prescribed dose is and how it moves. In: a Dose (sets, reps, load, duration,
 * intensity ranges, ladder step). Out: the same dose described, compared, or stepped up and down by the
 * Increments table (increments.ts), rounded to what a person can do (rounding.ts), with its intensity
 * targets (intensity.ts). Imports nothing of the other rooms: reading, the rules and the output all use it.
 */
export * from './dose';
export * from './increments';
export * from './intensity';
export * from './rounding';
