import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { z } from 'zod';
import { parseRecordedEvent, streams, type Currency, type EventStore } from '@kefalet/events';
import { retryDataCollection } from './applications';
import type { Clock, ManualClock } from './clock';
import { handleCommand } from './command-handler';
import type { WriteSideContext } from './context';
import { demoAccounts, DEMO_PASSWORD, seedDemo } from './demo';
import { Directory } from './directory';
import { applicationDecider } from './domain/application';
import { CommandRefused } from './domain/decider';
import { installProblemHandler, problem } from './http/problem';
import { installSessions } from './http/session';
import type { IdentityStore } from './identity/store';
import type { PublicDataSources } from './integrations';
import { applicationRoutes } from './routes/applications';
import { authRoutes } from './routes/auth';
import { biddingRoutes } from './routes/bidding';
import { installIdempotency } from './routes/idempotency';
import { contractsSignedBy, membershipRoutes } from './routes/membership';
import { selectionRoutes } from './routes/selection';
import { startDeadlineScheduler, type DeadlineScheduler } from './scheduler';
import { DemoInbox, sandboxSignatureProvider } from './signing/provider';

export interface WriteSideOptions {
  readonly store: EventStore;
  readonly clock: Clock;
  readonly manualClock?: ManualClock;
  readonly identity: IdentityStore;
  readonly sessionSecret: string;
  readonly secureCookies: boolean;
  readonly sources: PublicDataSources;
  readonly demo: boolean;
  /** Sandbox rates (TRY per unit); a real deployment plugs the central bank's indicative rates. */
  readonly fxRatesToTry?: Readonly<Record<Currency, string>>;
  readonly dataTimeoutMs?: number;
  /** Run the deadline scheduler in this process (default true). */
  readonly scheduler?: boolean;
}

export interface WriteSide {
  readonly context: WriteSideContext;
  readonly scheduler: DeadlineScheduler | undefined;
  /** Resolves once the write-side's view of the log (partner banks, memberships) has caught up. */
  readonly ready: Promise<void>;
  close(): Promise<void>;
}

const SANDBOX_FX: Record<Currency, string> = { TRY: '1', USD: '42.50', EUR: '49.25' };

/** Follows the log into the directory, resubscribing after a drop; resolves `ready` once caught up. */
function followDirectory(store: EventStore, directory: Directory, log: FastifyInstance['log']) {
  let stopped = false;
  let subscription: ReturnType<EventStore['subscribeToAll']> | undefined;
  let position = 0n;
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  const run = async () => {
    const target = await store.lastPosition();
    if (target === 0n) markReady();
    for (let delay = 100; !stopped; delay = Math.min(delay * 2, 5000)) {
      try {
        subscription = store.subscribeToAll({ fromPosition: position });
        for await (const recorded of subscription) {
          if (
            recorded.type === 'PartnerBankRegistered' ||
            recorded.type === 'FirmMembershipVerified'
          ) {
            directory.observe(parseRecordedEvent(recorded));
          }
          position = recorded.position;
          if (position >= target) markReady();
          delay = 100;
        }
      } catch (error) {
        if (stopped) return;
        log.error({ err: error, position: position.toString() }, 'directory subscription dropped');
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  };
  void run();
  return {
    ready,
    async stop() {
      stopped = true;
      await subscription?.close();
    },
  };
}

/**
 * Registers the command API under /api on `app` (encapsulated: its plugins, error handler and
 * parsers do not leak to the other side's routes) and starts the write-side's log followers.
 */
export async function registerWriteSide(
  app: FastifyInstance,
  options: WriteSideOptions,
): Promise<WriteSide> {
  const directory = new Directory();
  const demoInbox = options.demo ? new DemoInbox() : undefined;
  const sessions = {
    secret: options.sessionSecret,
    secureCookies: options.secureCookies,
    identity: options.identity,
  };
  const context: WriteSideContext = {
    store: options.store,
    clock: options.clock,
    manualClock: options.manualClock,
    identity: options.identity,
    sessions,
    directory,
    sources: options.sources,
    dataTimeoutMs: options.dataTimeoutMs ?? 2000,
    signatures: sandboxSignatureProvider(demoInbox ?? new DemoInbox()),
    demoInbox,
    fxRatesToTry: options.fxRatesToTry ?? SANDBOX_FX,
    async describeUser(userId) {
      const user = options.identity.userById(userId);
      if (!user) throw problem(401, 'NOT_SIGNED_IN', 'Sign in first');
      const { allSigned } = await contractsSignedBy(context, userId);
      return {
        id: user.id,
        fullName: user.fullName,
        email: user.email,
        role: user.role,
        ...(user.bankCode
          ? { bankCode: user.bankCode, bankName: directory.bank(user.bankCode)?.name ?? '' }
          : {}),
        ...(user.branchCode ? { branchCode: user.branchCode } : {}),
        firms: directory.firmsOf(userId),
        contractsSigned: allSigned,
      };
    },
  };

  await app.register(
    async (scope) => {
      scope.setValidatorCompiler(validatorCompiler);
      scope.setSerializerCompiler(serializerCompiler);
      // JSON bodies only: without a parser for text/plain, anything but JSON gets a 415
      scope.removeContentTypeParser('text/plain');
      await scope.register(cookie);
      await scope.register(rateLimit, { global: false });
      await scope.register(swagger, {
        openapi: {
          info: {
            title: 'Kefalet Portalı command API',
            description: 'Commands of the export credit guarantee marketplace (write-side).',
            version: '0.1.0',
          },
        },
        transform: jsonSchemaTransform,
      });
      await scope.register(swaggerUi, { routePrefix: '/docs', indexPrefix: '/api' });
      installProblemHandler(scope);
      installSessions(scope, sessions);
      installIdempotency(scope, options.identity);

      scope.get('/openapi.json', { schema: { hide: true } }, async () => scope.swagger());
      authRoutes(scope, context);
      membershipRoutes(scope, context);
      applicationRoutes(scope, context);
      biddingRoutes(scope, context);
      selectionRoutes(scope, context);
      demoRoutes(scope, context, options);
    },
    { prefix: '/api' },
  );

  const follower = followDirectory(options.store, directory, app.log);
  if (options.demo && (await seedDemo(context))) {
    app.log.info('demo data seeded into the empty store');
  }

  const system = (name: string) => ({ kind: 'system' as const, name });
  const scheduler =
    options.scheduler === false
      ? undefined
      : startDeadlineScheduler({
          store: options.store,
          clock: options.clock,
          ...(options.manualClock
            ? { onClockAdvance: options.manualClock.onAdvance.bind(options.manualClock) }
            : {}),
          logger: app.log,
          dispatch: async (due) => {
            const actor = system('deadline-scheduler');
            if (due.kind === 'RetryDataCollection') {
              await retryDataCollection(context, due.applicationId, {
                actor,
                causationId: due.causationId,
              });
              return;
            }
            try {
              await handleCommand(
                context,
                streams.application(due.applicationId),
                applicationDecider,
                { type: due.kind, applicationId: due.applicationId },
                { actor, causationId: due.causationId, retryOnConflict: true },
              );
            } catch (error) {
              // the deciders are the authority: a deadline that is not due yet is simply not due
              if (error instanceof CommandRefused && error.kind === 'conflict') return;
              throw error;
            }
          },
        });

  return {
    context,
    scheduler,
    ready: follower.ready,
    async close() {
      await scheduler?.stop();
      await follower.stop();
    },
  };
}

function demoRoutes(app: FastifyInstance, ctx: WriteSideContext, options: WriteSideOptions) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  if (options.demo) {
    api.get('/demo', { schema: { hide: true } }, async () => ({
      accounts: demoAccounts(),
      password: DEMO_PASSWORD,
    }));
    api.get('/demo/inbox', { schema: { hide: true } }, async () => ({
      messages: ctx.demoInbox?.list() ?? [],
    }));
  }
  const manual = options.manualClock;
  if (manual) {
    api.get('/test/clock', { schema: { hide: true } }, async () => ({
      now: manual.now().toISOString(),
    }));
    api.post(
      '/test/clock',
      {
        schema: {
          hide: true,
          body: z.strictObject({ advance: z.string().regex(/^P/, 'must be an ISO 8601 duration') }),
        },
      },
      async (request) => {
        try {
          return { now: manual.advance(request.body.advance).toISOString() };
        } catch (error) {
          throw problem(400, 'VALIDATION_FAILED', 'The request is not valid', {
            errors: [{ field: 'advance', reason: (error as Error).message }],
          });
        }
      },
    );
  }
}
