/**
 * Words for the clinician page: a dose with its ladder step, a code as a phrase, a schedule, a share.
 * See: implementation-guide.md "Extensions" (`exercise-dose`).
 */
import { describeDose, type Dose } from '../progression';

/** "3 x 10 at 8 kg (RPE 4-6), step 2". */
export function doseText(dose: Dose | undefined): string {
  if (dose === undefined) return 'no dose recorded';
  return dose.step !== undefined ? `${describeDose(dose)}, step ${dose.step}` : describeDose(dose);
}

/** `flare-protocol` -> "Flare protocol". */
export function phrase(code: string | undefined): string {
  if (code === undefined || code === '') return 'not recorded';
  const words = code.replace(/-/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const DAY_NAMES: Readonly<Record<string, string>> = { mon: 'Mon', tue: 'Tue', wed: 'Wed', thu: 'Thu', fri: 'Fri', sat: 'Sat', sun: 'Sun' };

/** "3 per week (Mon, Wed, Fri)". */
export function scheduleText(perWeek: number | undefined, days: readonly string[]): string {
  const count = perWeek === undefined ? 'no sessions per week stated' : `${Number(perWeek.toFixed(1))} per week`;
  return days.length > 0 ? `${count} (${days.map((d) => DAY_NAMES[d] ?? d).join(', ')})` : count;
}

/** "67%" of done / prescribed; "–" when nothing was prescribed. */
export function share(done: number, prescribed: number): string {
  return prescribed > 0 ? `${Math.round((done / prescribed) * 100)}%` : '–';
}
