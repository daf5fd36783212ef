import { Inject, Injectable, Logger, type Provider } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { maskPhone } from '../notifier';
import type { ChannelResult } from './channel';
import { describeFetchError } from './webhook-sender';

/** SPEC §7: SMS goes through a provider interface; which one is configuration (SMS_PROVIDER=log|http). */
export const SMS_PROVIDER = Symbol('SMS_PROVIDER');

export interface SmsProvider {
  /** `to` is the worker's phone number (personal data: never logged unmasked); `text` carries no personal data. */
  send(to: string, text: string): Promise<ChannelResult>;
}

/**
 * The default provider: sends nothing, writes one structured log line per SMS (phone masked) through the
 * process's logger, so development, demos and tests can read what the worker would have received.
 */
@Injectable()
export class LogSmsProvider implements SmsProvider {
  private readonly logger = new Logger('SmsLog');

  async send(to: string, text: string): Promise<ChannelResult> {
    this.logger.log({ msg: 'sms', event: 'sms.sent', provider: 'log', to: maskPhone(to), text });
    return { ok: true, statusCode: null, error: null };
  }
}

/** An HTTP gateway: POST `{to, text}` as JSON with `Authorization: Bearer <SMS_HTTP_KEY>`; a 2xx is sent. */
@Injectable()
export class HttpSmsProvider implements SmsProvider {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async send(to: string, text: string): Promise<ChannelResult> {
    const { smsHttpUrl, smsHttpKey } = this.config;
    if (!smsHttpUrl || !smsHttpKey)
      return { ok: false, statusCode: null, error: 'SMS_HTTP_URL is not configured' };
    let res: Response;
    try {
      res = await fetch(smsHttpUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${smsHttpKey}` },
        body: JSON.stringify({ to, text }),
        redirect: 'manual',
        signal: AbortSignal.timeout(this.config.webhookTimeoutMs),
      });
    } catch (e) {
      return { ok: false, statusCode: null, error: describeFetchError(e, this.config.webhookTimeoutMs) };
    }
    // The gateway's answer may echo the number: it is not read, let alone logged.
    await res.body?.cancel().catch(() => undefined);
    return res.status >= 200 && res.status < 300
      ? { ok: true, statusCode: res.status, error: null }
      : { ok: false, statusCode: res.status, error: `HTTP ${res.status}` };
  }
}

/** Chooses the provider from the configuration (validated at start: `http` needs a URL and a key). */
export const SmsProviderFactory: Provider = {
  provide: SMS_PROVIDER,
  inject: [APP_CONFIG],
  useFactory: (config: AppConfig): SmsProvider =>
    config.smsProvider === 'http' ? new HttpSmsProvider(config) : new LogSmsProvider(),
};
