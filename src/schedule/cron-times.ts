/**
 * When a pipeline's schedule fires, in its time zone: the next time (for `corridor status`)
 * and the last time before now (for catch-up after the machine was off). node-cron answers
 * "next"; "last" walks back over the times the expression can fire, which is a day's minutes
 * for a nightly job.
 */
import cron from 'node-cron';

/** How far back a missed run is looked for: a yearly schedule is the longest that makes sense. */
const LOOK_BACK_MS = 400 * 24 * 3600 * 1000;

function taskFor(expression: string, timezone: string) {
  return cron.createTask(expression, () => {}, { timezone });
}

/** Five fields fire on whole minutes; six (seconds first) on seconds. */
const stepMs = (expression: string) => (expression.trim().split(/\s+/).length >= 6 ? 1000 : 60_000);

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
 * The last time at or before `now` that the schedule fired, or null if it did not within 400 days.
 *
 * @example
 * lastRunTime('30 2 * * *', 'Asia/Karachi', new Date('2026-11-28T12:00:00Z')) // 2026-11-27T21:30:00.000Z
 */
export function lastRunTime(expression: string, timezone: string, now: Date = new Date()): Date | null {
  const task = taskFor(expression, timezone);
  try {
    const step = stepMs(expression);
    const end = now.getTime() - LOOK_BACK_MS;
    for (let t = Math.floor(now.getTime() / step) * step; t > end; t -= step) {
      if (task.match(new Date(t))) return new Date(t);
    }
    return null;
  } finally {
    void task.destroy();
  }
}

/** A time as the schedule's zone reads it: `2026-11-29 02:30 Asia/Karachi`. */
export function formatInZone(date: Date, timezone: string): string {
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
  const seconds = part('second') === '00' ? '' : `:${part('second')}`;
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')}${seconds} ${timezone}`;
}
