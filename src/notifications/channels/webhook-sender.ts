import { Inject, Injectable } from '@nestjs/common';
import { Webhook } from 'standardwebhooks';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { assertPublicUrl, DestinationRefusedError } from './address-guard';
import type { ChannelResult } from './channel';

export interface WebhookSendInput {
  url: string;
  /** `whsec_<base64>`, decrypted from the webhook row. */
  secret: string;
  /** The `webhook-id`: the same on every retry of one delivery, so receivers can de-duplicate (SPEC §7). */
  msgId: string;
  /** The `webhook-timestamp` of this attempt (signed with the body). */
  timestamp: Date;
  /** The JSON body exactly as sent and signed. */
  body: string;
}

export const WEBHOOK_USER_AGENT = 'labour-mediation-webhooks/1';

/**
 * One webhook attempt, signed per the Standard Webhooks specification (SPEC §7): headers `webhook-id`,
 * `webhook-timestamp` and `webhook-signature: v1,<base64 HMAC-SHA256>`. A 2xx answer is a delivery; anything else,
 * a redirect included (following one would let a public receiver point us at a private address), is a failure the
 * caller retries. The destination is checked again here, so a name re-pointed at a private address is refused.
 */
@Injectable()
export class WebhookSender {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async send(i: WebhookSendInput): Promise<ChannelResult> {
    try {
      await assertPublicUrl(i.url, this.config.webhookAllowPrivate, this.config.webhookTimeoutMs);
    } catch (e) {
      if (e instanceof DestinationRefusedError)
        return { ok: false, statusCode: null, error: `refused: ${e.message}` };
      throw e;
    }
    let signature: string;
    try {
      signature = new Webhook(i.secret).sign(i.msgId, i.timestamp, i.body);
    } catch {
      return { ok: false, statusCode: null, error: 'the signing secret is unusable' };
    }
    let res: Response;
    try {
      res = await fetch(i.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': WEBHOOK_USER_AGENT,
          'webhook-id': i.msgId,
          'webhook-timestamp': String(Math.floor(i.timestamp.getTime() / 1000)),
          'webhook-signature': signature,
        },
        body: i.body,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.config.webhookTimeoutMs),
      });
    } catch (e) {
      return { ok: false, statusCode: null, error: describeFetchError(e, this.config.webhookTimeoutMs) };
    }
    // The receiver's answer body is not read: it is of no use and could be large or carry anything.
    await res.body?.cancel().catch(() => undefined);
    if (res.status >= 200 && res.status < 300) return { ok: true, statusCode: res.status, error: null };
    const error =
      res.status >= 300 && res.status < 400
        ? `HTTP ${res.status}: redirects are not followed`
        : `HTTP ${res.status}`;
    return { ok: false, statusCode: res.status, error };
  }
}

/** A short reason without personal data: the error's code or kind, never a receiver's text. */
export function describeFetchError(e: unknown, timeoutMs: number): string {
  const err = e as { name?: string; cause?: { code?: string; name?: string } };
  if (err?.name === 'TimeoutError' || err?.cause?.name === 'TimeoutError')
    return `timed out after ${timeoutMs} ms`;
  if (err?.name === 'AbortError') return 'aborted';
  const code = err?.cause?.code;
  if (typeof code === 'string' && /^[A-Z0-9_]{2,40}$/.test(code)) return `connection failed: ${code}`;
  return 'connection failed';
}
