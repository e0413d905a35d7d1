import type { FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { DomainEvent, EventStore } from '@kefalet/events';
import type { SessionUser } from '@kefalet/events/session';
import { projections } from './projections';
import { installProblemHandler } from './queries/problem';
import { queryRoutes } from './queries/routes';
import { sessionUserOf, type SessionCheck } from './queries/session';
import { createRoomViews, type RoomViews } from './queries/views';
import { startLeasedRunner, type ProjectionLease } from './runner/lease';
import {
  startCheckpointFollower,
  startProjectionRunner,
  type DocChange,
  type Logger,
  type ProjectionRunner,
  type RunnerStatus,
} from './runner';
import type { ReadModelStore } from './store/port';

export interface ReadSideOptions {
  readonly store: EventStore;
  readonly readModels: ReadModelStore;
  /** The secret the write-side signs session cookies with. */
  readonly sessionSecret: string;
  /** Revocation (logout) as the write-side knows it; without it a cookie counts until it expires. */
  readonly isSessionActive?: (sid: string) => boolean;
  /** The product clock: time left to bid, the default instant of time travel. */
  readonly clock: { now(): Date };
  readonly logger: Logger;
  /**
   * Whether this instance runs the projection runner (default true). False: the read models are
   * kept by another instance sharing them (Redis); this one serves queries and relays pushes, and
   * follows the stored checkpoints for its status and `waitFor`.
   */
  readonly project?: boolean;
  /**
   * READ_SIDE_PROJECTIONS=auto: project while this instance holds the lease, follow the stored
   * checkpoints otherwise (overrides `project`), so exactly one of several instances projects and
   * another takes over when it dies.
   */
  readonly lease?: ProjectionLease;
}

export type ChangeListener = (changes: readonly DocChange[], event: DomainEvent) => void;

export interface ReadSide extends RoomViews {
  /** Called after every commit of the projection runner (never when not projecting); returns the unsubscribe. */
  onChange(listener: ChangeListener): () => void;
  /** The user of a Cookie header (the Socket.IO handshake), checked as the query API does. */
  sessionUser(cookieHeader: string | undefined): SessionUser | undefined;
  /** The runner's position and lag. */
  status(): RunnerStatus;
  /** Resolves once every read model has applied the log up to `position`. */
  waitFor(position: bigint): Promise<void>;
  /** Stops the runner (also done when the fastify instance closes); the stores stay open. */
  close(): Promise<void>;
}

/**
 * Registers the query API under /api in an encapsulated plugin (its own zod compilers and
 * problem+json error handler, so the write-side's /api plugin and this one coexist on one fastify
 * instance) and starts the projection runner that keeps the read models.
 */
export async function registerReadSide(
  app: FastifyInstance,
  options: ReadSideOptions,
): Promise<ReadSide> {
  const { store, readModels, clock, logger } = options;
  const session: SessionCheck = {
    secret: options.sessionSecret,
    ...(options.isSessionActive && { isSessionActive: options.isSessionActive }),
  };
  const listeners = new Set<ChangeListener>();
  const project = () =>
    startProjectionRunner({
      store,
      readModels,
      projections,
      logger,
      onApplied(event, changes) {
        for (const listener of listeners) {
          try {
            listener(changes, event);
          } catch (error) {
            // one failing listener must not starve the others
            logger.error(
              { err: error, position: String(event.position) },
              'change listener failed',
            );
          }
        }
      },
    });
  const follow = () => startCheckpointFollower({ store, readModels, projections });
  const runner: ProjectionRunner = options.lease
    ? startLeasedRunner({ lease: options.lease, project, follow, logger })
    : options.project === false
      ? follow()
      : project();

  await app.register(
    async (scope) => {
      scope.setValidatorCompiler(validatorCompiler);
      scope.setSerializerCompiler(serializerCompiler);
      installProblemHandler(scope);
      queryRoutes(scope, { store, readModels, session, clock, status: () => runner.status() });
    },
    { prefix: '/api' },
  );
  app.addHook('onClose', () => runner.stop());

  return {
    ...createRoomViews({ readModels, clock }),
    onChange(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    sessionUser: (cookieHeader) => sessionUserOf(cookieHeader, session),
    status: () => runner.status(),
    waitFor: (position) => runner.waitFor(position),
    close: () => runner.stop(),
  };
}
