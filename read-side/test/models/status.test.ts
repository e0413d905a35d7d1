import { describe, expect, it } from 'vitest';
import { nextPhase, type ApplicationPhase } from '../../src/models/status';
import { AKBANK, GARANTI, HALKBANK, History, NO_FEES_44, uuid } from './fixtures';

const APP = uuid(100);

describe('application status machine', () => {
  it('moves back to BIDDING_CLOSED when the selected offer is withdrawn before the firm applied', () => {
    const history = new History();
    history.submitted(APP);
    history.dataCollected(APP);
    history.scored(APP);
    history.opened(APP);
    const garanti = history.offerSubmitted(APP, GARANTI, NO_FEES_44);
    const halkbank = history.offerSubmitted(APP, HALKBANK, NO_FEES_44);
    history.biddingClosed(APP, [garanti, halkbank]);
    history.offerSelected(APP, garanti, GARANTI, '2026-03-13T20:59:59.999Z');
    // another bank's withdrawal leaves the selection alone
    history.offerWithdrawn(APP, halkbank, HALKBANK);
    history.offerWithdrawn(APP, garanti, GARANTI, 'REGULATORY_CHANGE');

    const phases: (ApplicationPhase | undefined)[] = [];
    history.events.reduce<ApplicationPhase | undefined>((phase, event) => {
      const next = nextPhase(phase, event);
      phases.push(next);
      return next;
    }, undefined);
    expect(phases.map((phase) => [phase?.status, phase?.selectedOfferId])).toEqual([
      ['SUBMITTED', null],
      ['SUBMITTED', null],
      ['SUBMITTED', null],
      ['BIDDING', null],
      ['BIDDING', null],
      ['BIDDING', null],
      ['BIDDING_CLOSED', null],
      ['OFFER_SELECTED', garanti],
      ['OFFER_SELECTED', garanti],
      ['BIDDING_CLOSED', null],
    ]);
  });

  it('keeps the selection once the firm applied, whatever the bank does after (R16)', () => {
    const history = new History();
    history.submitted(APP);
    const offer = uuid(555);
    history.offerSelected(APP, offer, AKBANK, '2026-03-13T20:59:59.999Z');
    history.appliedToBank(APP, offer, AKBANK);
    history.offerWithdrawn(APP, offer, AKBANK, 'CREDITWORTHINESS_WORSENED');
    const phase = history.events.reduce<ApplicationPhase | undefined>(nextPhase, undefined);
    expect(phase).toEqual({ status: 'APPLIED_TO_BANK', selectedOfferId: offer });
  });

  it('has no phase before the submission', () => {
    const history = new History();
    history.bankRegistered(GARANTI);
    const [registered] = history.events;
    if (registered === undefined) throw new Error('no event');
    expect(nextPhase(undefined, registered)).toBeUndefined();
  });
});
