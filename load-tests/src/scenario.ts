/** The scoring scenario shared by the k6 script's logic and the Node driver: one application per call. */
export const APPLICATION_BODIES = [
  { packageCode: 'IHR-KOBI', amount: '1500000.00', currency: 'TRY', maturityMonths: 12 },
  { packageCode: 'ISLETME', amount: '250000.00', currency: 'USD', maturityMonths: 24 },
  { packageCode: 'YESIL', amount: '5000000.00', currency: 'TRY', maturityMonths: 60 },
].map((terms) => ({ firmVkn: '0150015264', purpose: 'Yük testi', ...terms }));

export async function login(baseUrl: string, email: string, password: string): Promise<string> {
  const response = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (response.status !== 200) {
    throw new Error(`login as ${email} failed: ${response.status} ${await response.text()}`);
  }
  const cookie = response.headers.get('set-cookie');
  if (!cookie) throw new Error('login answered without a session cookie');
  return cookie.split(';')[0]!;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)]!;
}
