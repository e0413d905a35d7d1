import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { SignContractCommand, VerifyFirmCommand, streams } from '@kefalet/events';
import { handleCommand, loadState } from '../command-handler';
import type { WriteSideContext } from '../context';
import { hasSignedAllContracts, membershipDeciders } from '../domain/membership';
import { problem } from '../http/problem';
import { actorOf, requireUser } from '../http/session';
import { FirmNotFoundError, SourceUnavailableError } from '../integrations';
import { PORTAL_CONTRACTS, findContract } from '../signing/contracts';
import { hashCode, maskPhone } from '../signing/provider';

const CHALLENGE_MINUTES = 3;
const CHALLENGE_ATTEMPTS = 5;

export const CURRENT_CONTRACTS = PORTAL_CONTRACTS.map((c) => ({
  contractId: c.id,
  contractVersion: c.version,
  contractSha256: c.sha256,
}));

export async function contractsSignedBy(ctx: WriteSideContext, memberId: string) {
  const { state } = await loadState(ctx.store, streams.member(memberId), membershipDeciders.member);
  return { state, allSigned: hasSignedAllContracts(state, CURRENT_CONTRACTS) };
}

export function membershipRoutes(app: FastifyInstance, ctx: WriteSideContext): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  // R1: MERSIS must list the caller (by TCKN) among the firm's authorised persons
  api.post(
    '/firms/verify',
    { schema: { body: VerifyFirmCommand, tags: ['membership'] } },
    async (request) => {
      const session = requireUser(request, 'exporter');
      const user = ctx.identity.userById(session.userId);
      if (!user) throw problem(401, 'NOT_SIGNED_IN', 'Sign in first');
      const vkn = request.body.vkn;
      const signal = AbortSignal.timeout(ctx.dataTimeoutMs * 2);
      let registry;
      let persons;
      try {
        [registry, persons] = await Promise.all([
          ctx.sources.MERSIS.fetch(vkn, signal),
          ctx.sources.MERSIS.authorisedPersons(vkn, signal),
        ]);
      } catch (error) {
        if (error instanceof FirmNotFoundError) {
          throw problem(404, 'FIRM_NOT_FOUND', 'MERSIS has no firm with this tax number', {
            errors: [{ field: 'vkn', reason: 'no firm with this tax number in MERSIS' }],
          });
        }
        if (error instanceof SourceUnavailableError || signal.aborted) {
          throw problem(503, 'MERSIS_UNAVAILABLE', 'MERSIS does not answer; try again shortly');
        }
        throw error;
      }
      const person = persons.find((p) => p.tckn === user.tckn);
      await handleCommand(
        ctx,
        streams.firm(vkn),
        membershipDeciders.firm,
        {
          type: 'VerifyFirmMembership',
          firmVkn: vkn,
          memberId: user.id,
          firmTitle: registry.title,
          mersisNumber: registry.mersisNumber,
          authorisedPersonRole: person?.role ?? '',
          isAuthorisedPerson: person !== undefined,
        },
        { actor: actorOf(session) },
      ).then((result) => result.events.forEach((e) => ctx.directory.observe(e)));
      return {
        firm: {
          vkn,
          title: registry.title,
          mersisNumber: registry.mersisNumber,
          status: registry.status,
          authorisedPersons: persons.map((p) => ({ name: p.name, role: p.role })),
        },
      };
    },
  );

  api.get('/contracts', { schema: { tags: ['membership'] } }, async (request) => {
    const session = requireUser(request);
    const { state } = await contractsSignedBy(ctx, session.userId);
    return {
      contracts: PORTAL_CONTRACTS.map((c) => ({
        id: c.id,
        title: c.title,
        titleEn: c.titleEn,
        version: c.version,
        sha256: c.sha256,
        text: c.text,
        signed: state.signatures.some(
          (s) =>
            s.contractId === c.id &&
            s.contractVersion === c.version &&
            s.contractSha256 === c.sha256,
        ),
      })),
    };
  });

  // R2: e-imza signs at once; mobil imza first sends a one-time code (202), then takes it back
  api.post(
    '/contracts/:contractId/sign',
    {
      schema: {
        params: z.object({ contractId: z.string().max(64) }),
        body: SignContractCommand,
        tags: ['membership'],
      },
    },
    async (request, reply) => {
      const session = requireUser(request, 'exporter');
      const user = ctx.identity.userById(session.userId);
      if (!user) throw problem(401, 'NOT_SIGNED_IN', 'Sign in first');
      const contract = findContract(request.params.contractId);
      if (!contract) throw problem(404, 'CONTRACT_NOT_FOUND', 'No such contract');
      const { method, otp, contractVersion } = request.body;
      const sign = async (signatureReference: string) => {
        await handleCommand(
          ctx,
          streams.member(user.id),
          membershipDeciders.member,
          {
            type: 'SignContract',
            memberId: user.id,
            contractId: contract.id,
            contractVersion: contract.version,
            contractSha256: contract.sha256,
            method,
            signerName: user.fullName,
            signatureReference,
            ...(contractVersion ? { versionRead: contractVersion } : {}),
          },
          { actor: actorOf(session) },
        );
        return { signed: true, contractId: contract.id, version: contract.version };
      };

      if (method === 'E_IMZA') {
        if (otp) {
          throw problem(400, 'VALIDATION_FAILED', 'The request is not valid', {
            errors: [{ field: 'otp', reason: 'only for MOBIL_IMZA' }],
          });
        }
        const { signatureReference } = await ctx.signatures.signWithEImza({
          signerName: user.fullName,
          documentSha256: contract.sha256,
        });
        return sign(signatureReference);
      }

      const now = new Date();
      if (!otp) {
        const { codeHash } = await ctx.signatures.sendMobileCode({
          phone: user.mobilePhone,
          documentTitle: contract.title,
        });
        const expiresAt = new Date(now.getTime() + CHALLENGE_MINUTES * 60_000).toISOString();
        ctx.identity.saveChallenge({
          id: randomUUID(),
          userId: user.id,
          contractId: contract.id,
          contractVersion: contract.version,
          codeHash,
          expiresAt,
          attempts: 0,
        });
        return reply
          .status(202)
          .send({ challenge: { expiresAt, phoneHint: maskPhone(user.mobilePhone) } });
      }
      const challenge = ctx.identity.pendingChallenge(user.id, contract.id);
      if (!challenge || challenge.expiresAt <= now.toISOString()) {
        throw problem(409, 'NO_PENDING_CODE', 'No valid code is pending; ask for a new one', {
          errors: [{ field: 'otp', reason: 'expired or never sent' }],
        });
      }
      if (challenge.attempts >= CHALLENGE_ATTEMPTS) {
        ctx.identity.consumeChallenge(challenge.id, now);
        throw problem(429, 'TOO_MANY_ATTEMPTS', 'Too many wrong codes; ask for a new one');
      }
      if (hashCode(otp) !== challenge.codeHash) {
        ctx.identity.countChallengeAttempt(challenge.id);
        throw problem(422, 'WRONG_CODE', 'The code is wrong', {
          errors: [{ field: 'otp', reason: 'does not match the code sent' }],
        });
      }
      ctx.identity.consumeChallenge(challenge.id, now);
      return sign(
        ctx.signatures.mobileSignatureReference({
          signerName: user.fullName,
          documentSha256: contract.sha256,
        }),
      );
    },
  );
}
