// What an action is, as users write it: a segment bound to a channel, sent when a player enters
// (or exits) the segment, on a schedule, or once. Segstream records actions with the member and
// suppressed counts they would reach at creation; delivery belongs to the CRM's channel
// integrations, which read actions and memberships over the API.
import { Type, type Static } from '@sinclair/typebox';

export const ACTION_TYPES = ['triggered', 'scheduled', 'single'] as const;
export const CHANNELS = ['email', 'sms', 'push', 'web_api'] as const;

export const ActionInput = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    type: Type.Union(ACTION_TYPES.map((t) => Type.Literal(t))),
    channel: Type.Union(CHANNELS.map((c) => Type.Literal(c))),
    /** triggered: on which transition; default entered. */
    trigger: Type.Optional(Type.Union([Type.Literal('entered'), Type.Literal('exited')])),
    /** scheduled: how often, and at which time of day in the segment's timezone. */
    schedule: Type.Optional(
      Type.Object(
        {
          every: Type.Union([Type.Literal('day'), Type.Literal('week'), Type.Literal('month')]),
          at: Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$' }),
        },
        { additionalProperties: false },
      ),
    ),
    /** single: when to send; default as soon as possible. */
    send_at: Type.Optional(Type.String({ format: 'date-time' })),
    /** web_api: where the members are posted. */
    url: Type.Optional(Type.String({ format: 'uri', maxLength: 2_000 })),
  },
  { additionalProperties: false },
);

export type ActionInput = Static<typeof ActionInput>;
