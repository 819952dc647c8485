/**
 * When a pipeline's schedule fires, in its time zone: the next time (for `corridor status`)
 * and the first time after the last run (for catch-up after the machine was off).
 */
import cron from 'node-cron';

/** Longest walk for the next time when node-cron's matcher is not there: past a year, it fired. */
const LOOK_AHEAD_MS = 400 * 24 * 3600 * 1000;

function taskFor(expression: string, timezone: string) {
  return cron.createTask(expression, () => {}, { timezone });
}

/** Whether an expression has a seconds field (six fields, seconds first): its times show seconds. */
export const firesOnSeconds = (expression: string) => expression.trim().split(/\s+/).length >= 6;

/** Five fields fire on whole minutes; six on seconds. */
const stepMs = (expression: string) => (firesOnSeconds(expression) ? 1000 : 60_000);

/**
 * The next time the schedule fires after now.
 *
 * @example
 * nextRunTime('30 2 * * *', 'Asia/Karachi') // 2026-11-28T21:30:00.000Z, on 28 November before 02:30 PKT
 */
export function nextRunTime(expression: string, timezone: string): Date {
  const task = taskFor(expression, timezone);
  try {
    return task.getNextRuns(1)[0]!;
  } finally {
    void task.destroy();
  }
}

/**
 * The first time the schedule fires after `after`: when a pipeline last ran at `after` and this
 * time has passed, a scheduled run was missed.
 *
 * @example
 * firstRunTimeAfter('30 2 * * *', 'Asia/Karachi', new Date('2026-11-26T22:00:00Z')) // 2026-11-27T21:30:00.000Z
 */
export function firstRunTimeAfter(expression: string, timezone: string, after: Date): Date {
  const task = taskFor(expression, timezone);
  try {
    // node-cron's own matcher answers from any date in one walk over the fields. It is not in
    // its typed API, so it is used where present, and a walk over the expression's steps (a
    // day's minutes for a nightly job) where not.
    const matcher = (task as unknown as { timeMatcher?: { getNextMatch?: (from: Date) => Date } })
      .timeMatcher;
    if (typeof matcher?.getNextMatch === 'function') return matcher.getNextMatch(after);
    const step = stepMs(expression);
    const end = after.getTime() + LOOK_AHEAD_MS;
    for (let t = Math.floor(after.getTime() / step) * step + step; t < end; t += step) {
      if (task.match(new Date(t))) return new Date(t);
    }
    return new Date(end);
  } finally {
    void task.destroy();
  }
}

/** A time as the schedule's zone reads it: `2026-11-29 02:30 Asia/Karachi`. */
export function formatInZone(date: Date, timezone: string, withSeconds = false): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: timezone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(date);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const seconds = part('second') === '00' && !withSeconds ? '' : `:${part('second')}`;
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')}${seconds} ${timezone}`;
}
