import { describe, expect, it } from 'vitest';
import { applicationStateAt } from '../../src/models/time-travel';
import { GARANTI, HALKBANK, HEAVY_FEES, History, NO_FEES_44, uuid } from './fixtures';

const APP = uuid(100);

function lifecycle(): History {
  const history = new History('2026-03-02T09:30:00.000+03:00');
  history.submitted(APP);
  history.at('2026-03-02T09:30:05.000+03:00').dataCollected(APP);
  history.at('2026-03-02T09:30:06.000+03:00').scored(APP, { creditNote: 3 });
  history.at('2026-03-02T09:31:00.000+03:00').opened(APP);
  const garanti = history
    .at('2026-03-03T10:00:00.000+03:00')
    .offerSubmitted(APP, GARANTI, HEAVY_FEES);
  const halkbank = history
    .at('2026-03-03T11:00:00.000+03:00')
    .offerSubmitted(APP, HALKBANK, NO_FEES_44);
  history.at('2026-03-04T09:00:00.000+03:00').offerWithdrawn(APP, garanti, GARANTI);
  history.at('2026-03-11T20:59:59.999Z').biddingClosed(APP, [halkbank]);
  history
    .at('2026-03-12T10:00:00.000+03:00')
    .offerSelected(APP, halkbank, HALKBANK, '2026-03-13T20:59:59.999Z');
  history.at('2026-03-12T14:00:00.000+03:00').appliedToBank(APP, halkbank, HALKBANK);
  return history;
}

describe('time travel', () => {
  const events = lifecycle().events;
  const at = (instant: string) => {
    const detail = applicationStateAt(events, new Date(instant));
    return detail && [detail.status, detail.timeline.length, detail.lastPosition];
  };

  it('replays the application up to an instant, that instant included', () => {
    expect(at('2026-03-02T09:29:59.999+03:00')).toBeUndefined();
    expect(at('2026-03-02T09:30:00.000+03:00')).toEqual(['SUBMITTED', 1, '1']);
    expect(at('2026-03-02T09:30:30.000+03:00')).toEqual(['SUBMITTED', 3, '3']);
    expect(at('2026-03-03T10:30:00.000+03:00')).toEqual(['BIDDING', 5, '5']);
    expect(at('2026-03-10T12:00:00.000+03:00')).toEqual(['BIDDING', 7, '7']);
    expect(at('2026-03-12T09:00:00.000+03:00')).toEqual(['BIDDING_CLOSED', 8, '8']);
    expect(at('2026-03-12T10:00:00.000+03:00')).toEqual(['OFFER_SELECTED', 9, '9']);
    expect(at('2027-01-01T00:00:00.000+03:00')).toEqual(['APPLIED_TO_BANK', 10, '10']);
  });

  it('shows the decision once made and the data before it', () => {
    const before = applicationStateAt(events, new Date('2026-03-02T09:30:05.500+03:00'));
    expect(before?.dataSnapshot?.registry.title).toBe('Anadolu Tekstil İhracat A.Ş.');
    expect(before?.decision).toBeNull();
    const after = applicationStateAt(events, new Date('2026-03-02T09:30:06.000+03:00'));
    expect(after?.decision?.creditNote).toBe(3);
  });

  it('does not depend on the order the events are given in', () => {
    const shuffled = [...events].reverse();
    const instant = new Date('2026-03-04T12:00:00.000+03:00');
    expect(applicationStateAt(shuffled, instant)).toEqual(applicationStateAt(events, instant));
  });
});
