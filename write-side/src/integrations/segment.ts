import {
  SME_MAX_EMPLOYEES,
  SME_MAX_NET_SALES_TRY,
  minorFromDecimalString,
  type Segment,
} from '@kefalet/events';

/** SME (KOBİ): fewer than 250 employees and net sales up to 1 billion TRY; otherwise KOBİ dışı. */
export function detectSegment(firm: { headcount: number; netSalesLastYear: string }): Segment {
  const smeHeadcount = firm.headcount < SME_MAX_EMPLOYEES;
  const smeSales =
    minorFromDecimalString(firm.netSalesLastYear, 'netSalesLastYear') <=
    minorFromDecimalString(SME_MAX_NET_SALES_TRY);
  return smeHeadcount && smeSales ? 'KOBI' : 'KOBI_DISI';
}
