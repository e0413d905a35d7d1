import { createHash, randomInt, randomUUID } from 'node:crypto';

/**
 * The signature-provider port (R2). E-imza signs at once with the user's smart card; mobil imza sends
 * a one-time code to the user's phone, which the user confirms. The sandbox adapter below stands in
 * for the real qualified providers; its "SMS" goes to the demo inbox.
 */
export interface SignatureProvider {
  signWithEImza(request: { signerName: string; documentSha256: string }): Promise<{
    signatureReference: string;
  }>;
  /** Sends a one-time code; returns only its hash (the code itself never reaches our storage). */
  sendMobileCode(request: { phone: string; documentTitle: string }): Promise<{ codeHash: string }>;
  mobileSignatureReference(request: { signerName: string; documentSha256: string }): string;
}

export interface OutboundMessage {
  readonly to: string;
  readonly text: string;
  readonly at: string;
}

/** The demo inbox: where sandbox SMS land, shown at GET /api/demo/inbox in demo mode only. */
export class DemoInbox {
  private readonly messages: OutboundMessage[] = [];
  send(message: OutboundMessage): void {
    this.messages.unshift(message);
    this.messages.length = Math.min(this.messages.length, 100);
  }
  list(): readonly OutboundMessage[] {
    return this.messages;
  }
}

export function hashCode(code: string): string {
  return createHash('sha256').update(code).digest('hex');
}

export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  return `${'*'.repeat(Math.max(0, digits.length - 4))}${digits.slice(-4)}`;
}

export function sandboxSignatureProvider(inbox: DemoInbox): SignatureProvider {
  return {
    async signWithEImza({ documentSha256 }) {
      return { signatureReference: `SANDBOX-EIMZA-${documentSha256.slice(0, 12)}-${randomUUID()}` };
    },
    async sendMobileCode({ phone, documentTitle }) {
      const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
      inbox.send({
        to: maskPhone(phone),
        text: `Kefalet Portalı: "${documentTitle}" imzası için doğrulama kodunuz ${code}. Kodu kimseyle paylaşmayın.`,
        at: new Date().toISOString(),
      });
      return { codeHash: hashCode(code) };
    },
    mobileSignatureReference({ documentSha256 }) {
      return `SANDBOX-MOBIL-${documentSha256.slice(0, 12)}-${randomUUID()}`;
    },
  };
}
