import { Inject, Injectable } from '@nestjs/common';
import { Webhook } from 'standardwebhooks';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { assertPublicUrl, DestinationRefusedError, publicOnlyLookup } from './address-guard';
import type { ChannelResult } from './channel';

export interface WebhookSendInput {
  url: string;
  /** `whsec_<base64>`, decrypted from the webhook row. */
  secret: string;
  /** The secret before a rotation, during its day of overlap: the delivery is signed with both. */
  previousSecret?: string | null;
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
      // Space-separated signatures (Standard Webhooks): a receiver holding either secret verifies the delivery.
      signature = [i.secret, ...(i.previousSecret ? [i.previousSecret] : [])]
        .map((secret) => new Webhook(secret).sign(i.msgId, i.timestamp, i.body))
        .join(' ');
    } catch {
      return { ok: false, statusCode: null, error: 'the signing secret is unusable' };
    }
    return post(i.url, {
      headers: {
        'content-type': 'application/json',
        'user-agent': WEBHOOK_USER_AGENT,
        'webhook-id': i.msgId,
        'webhook-timestamp': String(Math.floor(i.timestamp.getTime() / 1000)),
        'webhook-signature': signature,
      },
      body: i.body,
      timeoutMs: this.config.webhookTimeoutMs,
      // Without WEBHOOK_ALLOW_PRIVATE the address connected to is the address checked (no DNS rebinding).
      lookup: this.config.webhookAllowPrivate ? undefined : publicOnlyLookup,
    });
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

/**
 * One POST with node's http client: a 2xx is a delivery; a redirect is not followed (it could point anywhere) and
 * fails; the answer's body is discarded unread (it is of no use and could be large or carry anything).
 */
function post(
  url: string,
  o: { headers: Record<string, string>; body: string; timeoutMs: number; lookup?: LookupFunction },
): Promise<ChannelResult> {
  return new Promise((resolve) => {
    const target = new URL(url);
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    let settled = false;
    const done = (r: ChannelResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(r);
    };
    const req = send(
      target,
      {
        method: 'POST',
        headers: { ...o.headers, 'content-length': String(Buffer.byteLength(o.body)) },
        lookup: o.lookup,
      },
      (res) => {
        res.resume();
        res.on('error', () => undefined);
        const status = res.statusCode ?? 0;
        if (status >= 200 && status < 300) return done({ ok: true, statusCode: status, error: null });
        const error =
          status >= 300 && status < 400 ? `HTTP ${status}: redirects are not followed` : `HTTP ${status}`;
        done({ ok: false, statusCode: status, error });
      },
    );
    const timer = setTimeout(() => {
      done({ ok: false, statusCode: null, error: `timed out after ${o.timeoutMs} ms` });
      req.destroy();
    }, o.timeoutMs);
    req.on('error', (e: NodeJS.ErrnoException) => {
      if (e instanceof DestinationRefusedError)
        return done({ ok: false, statusCode: null, error: `refused: ${e.message}` });
      const code = typeof e.code === 'string' && /^[A-Z0-9_]{2,40}$/.test(e.code) ? e.code : null;
      done({ ok: false, statusCode: null, error: code ? `connection failed: ${code}` : 'connection failed' });
    });
    req.end(o.body);
  });
}
