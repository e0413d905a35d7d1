import { randomUUID } from 'node:crypto';
import { streams, type Actor, type EventData } from '@kefalet/events';
import { derivedUuid, handleCommands, loadState, type CommandOptions } from './command-handler';
import type { WriteSideContext } from './context';
import {
  applicationDecider,
  type ApplicationCommand,
  type ApplicationState,
  type SubmitApplication,
} from './domain/application';
import { CommandRefused } from './domain/decider';
import { isFirmMember, membershipDeciders } from './domain/membership';
import { collectFirmData } from './integrations';
import { contractsSignedBy } from './routes/membership';
import { scoreApplication } from './scoring';

/** Waits after the first failed collection; doubles per attempt up to half an hour. */
const RETRY_BASE_MS = 60_000;
const RETRY_MAX_MS = 30 * 60_000;

export interface SubmissionInput {
  readonly firmVkn: string;
  readonly packageCode: string;
  readonly amount: string;
  readonly currency: 'TRY' | 'USD' | 'EUR';
  readonly maturityMonths: number;
  readonly purpose: string;
}

/** Is the user a MERSIS-verified member of the firm (R1)? Read from the firm's stream. */
export async function isMemberOf(ctx: WriteSideContext, vkn: string, userId: string) {
  const { state } = await loadState(ctx.store, streams.firm(vkn), membershipDeciders.firm);
  return { verified: isFirmMember(state, userId), firmTitle: state.firmTitle };
}

/**
 * Pulls the firm's data and, when every source answered, scores it: the commands that follow a
 * submission (R4, R5), or a delay that keeps the application waiting (never lost).
 */
async function collectAndScore(
  ctx: WriteSideContext,
  application: { applicationId: string } & SubmissionInput,
  attempt: number,
): Promise<ApplicationCommand[]> {
  const collected = await collectFirmData(application.firmVkn, {
    sources: ctx.sources,
    timeoutMs: ctx.dataTimeoutMs,
    clock: () => ctx.clock.now(),
  });
  const now = ctx.clock.now();
  if (collected.kind === 'incomplete') {
    const wait = Math.min(RETRY_BASE_MS * 2 ** (attempt - 1), RETRY_MAX_MS);
    return [
      {
        type: 'RecordDataDelay',
        applicationId: application.applicationId,
        unavailableSources: collected.unavailableSources,
        retryAt: new Date(now.getTime() + wait).toISOString(),
        attempt,
      },
    ];
  }
  const decision = scoreApplication({
    snapshot: collected.snapshot,
    segment: collected.segment,
    packageCode: application.packageCode,
    amount: application.amount,
    currency: application.currency,
    maturityMonths: application.maturityMonths,
    now,
    fxRatesToTry: ctx.fxRatesToTry,
  });
  return [
    {
      type: 'RecordFirmData',
      applicationId: application.applicationId,
      snapshot: collected.snapshot,
      segment: collected.segment,
    },
    {
      type: 'RecordScore',
      applicationId: application.applicationId,
      ...decision,
      partnerBankCodes: ctx.directory.partnerBanks().map((b) => b.code),
    },
  ];
}

export interface SubmissionResult {
  readonly applicationId: string;
  readonly state: ApplicationState;
  readonly scored?: EventData<'ApplicationScored'>;
  readonly delayed?: EventData<'ApplicationDataDelayed'>;
}

function outcome(
  applicationId: string,
  result: Awaited<ReturnType<typeof handleCommands<ApplicationCommand, ApplicationState>>>,
): SubmissionResult {
  const scored = result.events.find((e) => e.type === 'ApplicationScored');
  const delayed = result.events.find((e) => e.type === 'ApplicationDataDelayed');
  return {
    applicationId,
    state: result.state,
    ...(scored?.type === 'ApplicationScored' ? { scored: scored.data } : {}),
    ...(delayed?.type === 'ApplicationDataDelayed' ? { delayed: delayed.data } : {}),
  };
}

/** The instant path (R3–R7): check, collect, score, and write it all in one append. */
export async function submitApplication(
  ctx: WriteSideContext,
  input: SubmissionInput,
  user: { userId: string },
  options: CommandOptions,
): Promise<SubmissionResult> {
  const applicationId = options.idempotencyKey
    ? derivedUuid(`${user.userId}:${options.idempotencyKey}:application`)
    : randomUUID();
  const [membership, contracts] = await Promise.all([
    isMemberOf(ctx, input.firmVkn, user.userId),
    contractsSignedBy(ctx, user.userId),
  ]);
  const submit: SubmitApplication = {
    type: 'SubmitApplication',
    applicationId,
    ...input,
    firmTitle: membership.firmTitle ?? input.firmVkn,
    memberId: user.userId,
    memberVerifiedForFirm: membership.verified,
    contractsSigned: contracts.allSigned,
  };
  // refuse before asking five public sources, when the decider would refuse anyway
  applicationDecider.decide(submit, applicationDecider.initialState, {
    now: ctx.clock.now(),
    actor: options.actor,
    newId: randomUUID,
  });
  const follow = await collectAndScore(ctx, { applicationId, ...input }, 1);
  const result = await handleCommands(
    ctx,
    streams.application(applicationId),
    applicationDecider,
    [submit, ...follow],
    options,
  );
  return outcome(applicationId, result);
}

/** The scheduler's retry for an application waiting on a public source. */
export async function retryDataCollection(
  ctx: WriteSideContext,
  applicationId: string,
  options: { actor: Actor; causationId: string },
): Promise<void> {
  const stream = streams.application(applicationId);
  const { state } = await loadState(ctx.store, stream, applicationDecider);
  if (state.status !== 'AWAITING_DATA' || !state.application) return;
  const attempt = state.dataAttempts + 1;
  const follow = await collectAndScore(ctx, state.application, attempt);
  try {
    await handleCommands(ctx, stream, applicationDecider, follow, {
      ...options,
      retryOnConflict: true,
    });
  } catch (error) {
    // another instance collected first: its events stand
    if (!(error instanceof CommandRefused && error.code === 'DATA_ALREADY_COLLECTED')) throw error;
  }
}
