import { z } from 'zod';

export const ROLES = ['exporter', 'bank', 'analyst'] as const;
export const RoleSchema = z.enum(ROLES);
export type Role = z.infer<typeof RoleSchema>;

/** Who caused an event: a signed-in user, or the system (the deadline scheduler, the scoring model). */
export const ActorSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('user'),
    userId: z.uuid(),
    role: RoleSchema,
    bankCode: z
      .string()
      .regex(/^\d{4}$/)
      .optional(),
  }),
  z.object({ kind: z.literal('system'), name: z.string().min(1) }),
]);
export type Actor = z.infer<typeof ActorSchema>;

export const EventMetadataSchema = z.object({
  correlationId: z.uuid(),
  causationId: z.uuid(),
  actor: ActorSchema,
  /** ISO 8601 instant with offset, e.g. 2026-12-03T16:05:00.000+03:00 or ...Z. */
  occurredAt: z.iso.datetime({ offset: true }),
  schemaVersion: z.number().int().positive(),
  /** Set when the event was written by a command retried with an Idempotency-Key. */
  idempotencyKey: z.string().optional(),
});
export type EventMetadata = z.infer<typeof EventMetadataSchema>;

/** The envelope every event travels in; `data` is typed per event type in events.ts. */
export interface EventEnvelope<Type extends string = string, Data = unknown> {
  readonly id: string;
  readonly type: Type;
  readonly data: Data;
  readonly metadata: EventMetadata;
}

/** An envelope read back from the store, with its place in the stream and in the global log. */
export interface PositionedEnvelope<
  Type extends string = string,
  Data = unknown,
> extends EventEnvelope<Type, Data> {
  readonly stream: string;
  readonly revision: bigint;
  readonly position: bigint;
}
