/**
 * A pipeline's `alerts` key: whom to tell when a run fails or its rejects pass the threshold.
 * Nightly runs happen when nobody watches the terminal; an alert is how a failed load gets
 * noticed the same morning instead of at the end of the month. Unknown keys are errors, like the
 * rest of a pipeline file.
 */
import { z } from 'zod';

/** The events an alert can be sent for; see `alertEventFor` in alert-payload.ts. */
export const ALERT_EVENTS = ['failure', 'rejects', 'success'] as const;
export type AlertEvent = (typeof ALERT_EVENTS)[number];

/** An HTTP header name is a token: https://www.rfc-editor.org/rfc/rfc9110#name-field-names */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

export const alertsSchema = z
  .strictObject({
    /**
     * A program to run, with the alert's JSON payload on its stdin and CORRIDOR_RUN_ID,
     * CORRIDOR_PIPELINE, CORRIDOR_STATUS, CORRIDOR_EXIT_CODE and CORRIDOR_EVENT in its
     * environment. An array is the program and its arguments, run without a shell, so paths
     * with spaces need no quoting. A single string is a shell command line, run with
     * `/bin/sh -c`: pipes and redirections work, and quoting is yours to get right.
     * @example ['/usr/local/bin/notify-ops', '--channel', 'etl']
     * @example 'mail -s "corridor alert" ops@example.org'
     */
    command: z
      .union([
        z
          .array(z.string().min(1, 'an empty program or argument; remove it'))
          .min(1, 'name the program to run'),
        z.string().trim().min(1, 'name the command to run'),
      ])
      .optional(),
    /**
     * An http(s) URL that receives the payload as a JSON POST (a Slack or Teams workflow, an
     * incident tool, your own endpoint).
     * @example 'https://hooks.example.org/corridor'
     */
    webhook: z.url({ protocol: /^https?$/, error: 'use an http:// or https:// URL' }).optional(),
    /**
     * Extra headers for the webhook request, such as an auth token. Read the secret from the
     * environment rather than writing it in the pipeline file.
     * @example { Authorization: `Bearer ${process.env.OPS_TOKEN}` }
     */
    headers: z
      .record(z.string(), z.string())
      .superRefine((headers, ctx) => {
        for (const name of Object.keys(headers))
          if (!HEADER_NAME.test(name))
            ctx.addIssue({
              code: 'custom',
              path: [name],
              message: `"${name}" is not a valid HTTP header name`,
            });
      })
      .optional(),
    /**
     * When to alert: `failure` when the run failed, was stopped or interrupted, or could not
     * start (a fetch failed); `rejects` when everything loaded but some file's rejects passed the threshold
     * (exit code 3); `success` when the run succeeded.
     * @default ['failure', 'rejects']
     */
    on: z
      .array(z.enum(ALERT_EVENTS))
      .min(1, 'name at least one event, or remove `alerts`')
      .default(['failure', 'rejects']),
    /**
     * Seconds a command or a webhook request may take before it is stopped and the alert counts
     * as not delivered. @default 30
     */
    timeoutSeconds: z.number().positive().max(3600).default(30),
  })
  .refine((alerts) => alerts.command !== undefined || alerts.webhook !== undefined, {
    message: 'give a `command`, a `webhook` or both',
  });

export type AlertsInput = z.input<typeof alertsSchema>;
export type AlertsConfig = z.output<typeof alertsSchema>;
