import { Logger } from '@nestjs/common';
import { Webhook } from 'standardwebhooks';
import { createPino, PinoNestLogger } from '../../src/common/logger';
import { type AppConfig, loadConfig } from '../../src/config/config';
import { EmailSender } from '../../src/notifications/channels/email-sender';
import {
  HttpSmsProvider,
  LogSmsProvider,
  SMS_PROVIDER,
  SmsProviderFactory,
} from '../../src/notifications/channels/sms-provider';
import { WebhookSender } from '../../src/notifications/channels/webhook-sender';
import { newWebhookSecret } from '../../src/notifications/webhooks.service';
import {
  type Answer,
  freePort,
  parseMail,
  type Receipt,
  startSmtp,
  WebhookReceiver,
} from '../support/receivers';

// The delivery channels of SPEC §7 against real receivers started here: an HTTP server that verifies Standard
// Webhooks signatures with the `standardwebhooks` library, an SMTP server, an HTTP SMS gateway, and the log.

function config(env: Record<string, string> = {}): AppConfig {
  return loadConfig({ NODE_ENV: 'test', WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_TIMEOUT_MS: '500', ...env });
}

/** Text every reply carries: a sender must never copy a receiver's text into the delivery log. */
const RECEIVER_TEXT = 'receiver text that must not reach the delivery log: 13800138000';

/**
 * A receiver on the loopback (test/support/receivers.ts) whose replies carry RECEIVER_TEXT; `answer` decides each
 * reply (default: 204 when the signature verifies with the path's secret, 400 when not; null never answers).
 */
async function startReceiver(answer?: (r: Receipt) => Answer): Promise<WebhookReceiver> {
  const rx = new WebhookReceiver();
  rx.replyText = RECEIVER_TEXT;
  if (answer) rx.answer = answer;
  return rx.start();
}

describe('WebhookSender', () => {
  const secret = newWebhookSecret();
  const body = JSON.stringify({
    type: 'case.accepted',
    timestamp: '2026-03-02T02:00:00.000Z',
    data: { caseNo: 'CSZGH-2026-00001' },
  });

  it('signs per Standard Webhooks; the receiver verifies it and rejects a tampered body', async () => {
    // The receiver verifies every request with its copy of the secret, as a real agency would.
    const rx = await startReceiver();
    rx.secrets.set('/hooks', secret);
    try {
      const sender = new WebhookSender(config());
      const timestamp = new Date();
      const result = await sender.send({ url: rx.url('/hooks'), secret, msgId: 'msg_abc', timestamp, body });
      expect(result).toEqual({ ok: true, statusCode: 204, error: null });
      const [got] = rx.receipts;
      expect(got.method).toBe('POST');
      expect(got.raw).toBe(body);
      expect(got.verified).toBe(true);
      expect(got.headers['webhook-id']).toBe('msg_abc');
      expect(got.headers['webhook-timestamp']).toBe(String(Math.floor(timestamp.getTime() / 1000)));
      expect(got.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
      expect(got.headers['content-type']).toBe('application/json');
      expect(got.headers['user-agent']).toMatch(/labour-mediation/);
      // The library accepts the genuine message and refuses it with one character of the body changed.
      const headers = got.headers as Record<string, string>;
      expect(new Webhook(secret).verify(got.raw, headers)).toEqual(JSON.parse(body));
      const tampered = got.raw.replace('00001', '00002');
      expect(() => new Webhook(secret).verify(tampered, headers)).toThrow(/signature/i);
      expect(() => new Webhook(newWebhookSecret()).verify(got.raw, headers)).toThrow(/signature/i);
      // Replayed to the receiver with the tampered body, the same headers are refused there too.
      const replay = await fetch(rx.url('/hooks'), {
        method: 'POST',
        headers: {
          'webhook-id': headers['webhook-id'],
          'webhook-timestamp': headers['webhook-timestamp'],
          'webhook-signature': headers['webhook-signature'],
        },
        body: tampered,
      });
      expect(replay.status).toBe(400);
      expect(rx.receipts[1]).toMatchObject({ raw: tampered, verified: false });
    } finally {
      await rx.stop();
    }
  });

  it('keeps the webhook-id of one message across attempts and signs each attempt’s timestamp', async () => {
    const rx = await startReceiver();
    rx.secrets.set('/', secret);
    try {
      const sender = new WebhookSender(config());
      const url = rx.url('/');
      const t1 = new Date(Date.now() - 60_000);
      const t2 = new Date();
      expect((await sender.send({ url, secret, msgId: 'msg_same', timestamp: t1, body })).ok).toBe(true);
      expect((await sender.send({ url, secret, msgId: 'msg_same', timestamp: t2, body })).ok).toBe(true);
      expect(rx.receipts.map((r) => r.headers['webhook-id'])).toEqual(['msg_same', 'msg_same']);
      expect(rx.receipts.map((r) => r.verified)).toEqual([true, true]);
      expect(rx.receipts[0].headers['webhook-signature']).not.toBe(
        rx.receipts[1].headers['webhook-signature'],
      );
    } finally {
      await rx.stop();
    }
  });

  it('reports a 500 with its status and without the receiver’s text', async () => {
    const rx = await startReceiver(() => 500);
    try {
      const result = await new WebhookSender(config()).send({
        url: rx.url('/'),
        secret,
        msgId: 'msg_1',
        timestamp: new Date(),
        body,
      });
      expect(result).toEqual({ ok: false, statusCode: 500, error: 'HTTP 500' });
    } finally {
      await rx.stop();
    }
  });

  it('gives up after WEBHOOK_TIMEOUT_MS on a receiver that never answers', async () => {
    const rx = await startReceiver(() => null);
    try {
      const started = Date.now();
      const result = await new WebhookSender(config({ WEBHOOK_TIMEOUT_MS: '300' })).send({
        url: rx.url('/'),
        secret,
        msgId: 'msg_2',
        timestamp: new Date(),
        body,
      });
      expect(result).toEqual({ ok: false, statusCode: null, error: 'timed out after 300 ms' });
      expect(Date.now() - started).toBeLessThan(2000);
    } finally {
      await rx.stop();
    }
  });

  it('does not follow a redirect (it could point at a private address): a 3xx is a failure', async () => {
    const target = await startReceiver(() => 204);
    const rx = await startReceiver(() => ({ status: 302, headers: { location: target.url('/internal') } }));
    try {
      const result = await new WebhookSender(config()).send({
        url: rx.url('/'),
        secret,
        msgId: 'msg_3',
        timestamp: new Date(),
        body,
      });
      expect(result).toMatchObject({ ok: false, statusCode: 302 });
      expect(result.error).toMatch(/redirect/);
      expect(target.receipts).toHaveLength(0);
    } finally {
      await rx.stop();
      await target.stop();
    }
  });

  it('refuses a private destination at send time unless WEBHOOK_ALLOW_PRIVATE, and sends nothing', async () => {
    const rx = await startReceiver(() => 204);
    try {
      const result = await new WebhookSender(config({ WEBHOOK_ALLOW_PRIVATE: 'false' })).send({
        url: rx.url('/'),
        secret,
        msgId: 'msg_4',
        timestamp: new Date(),
        body,
      });
      expect(result).toMatchObject({ ok: false, statusCode: null });
      expect(result.error).toMatch(/^refused: .*private/);
      // A name that resolves to the loopback (as after a DNS rebinding) is refused the same way.
      const byName = await new WebhookSender(config({ WEBHOOK_ALLOW_PRIVATE: 'false' })).send({
        url: rx.url('/').replace('127.0.0.1', 'localhost'),
        secret,
        msgId: 'msg_5',
        timestamp: new Date(),
        body,
      });
      expect(byName.error).toMatch(/^refused: /);
      expect(rx.receipts).toHaveLength(0);
    } finally {
      await rx.stop();
    }
  });

  it('reports a refused connection briefly', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const result = await new WebhookSender(config()).send({
      url,
      secret,
      msgId: 'msg_6',
      timestamp: new Date(),
      body,
    });
    expect(result).toEqual({ ok: false, statusCode: null, error: 'connection failed: ECONNREFUSED' });
  });
});

describe('EmailSender', () => {
  let smtp: Awaited<ReturnType<typeof startSmtp>>;

  beforeAll(async () => {
    smtp = await startSmtp();
  });
  afterAll(() => smtp.stop());

  it('sends a Chinese subject, text and HTML and an attachment over SMTP', async () => {
    const sender = new EmailSender(
      config({ SMTP_URL: `smtp://127.0.0.1:${smtp.port}`, SMTP_FROM: '调解委员会 <noreply@mediation.test>' }),
    );
    const csv = '\uFEFF委员会,受理数\n长沙市总工会,12\n';
    try {
      const result = await sender.send('liaison@court.example', {
        subject: '案件已受理：CSZGH-2026-00001',
        text: '您好：\n贵院委派的案件已由调解委员会受理。',
        html: '<p>您好：</p><p>贵院委派的案件已由调解委员会<strong>受理</strong>。</p>',
        attachments: [
          {
            filename: '月度通报.csv',
            contentType: 'text/csv; charset=utf-8',
            content: Buffer.from(csv).toString('base64'),
          },
        ],
      });
      expect(result).toEqual({ ok: true, statusCode: 250, error: null });
    } finally {
      sender.onApplicationShutdown();
    }
    expect(smtp.mails).toHaveLength(1);
    const [m] = smtp.mails;
    expect(m.from).toBe('noreply@mediation.test');
    expect(m.to).toEqual(['liaison@court.example']);
    const mail = parseMail(m.raw);
    expect(mail.subject).toBe('案件已受理：CSZGH-2026-00001');
    expect(mail.text.replace(/\r\n/g, '\n')).toBe('您好：\n贵院委派的案件已由调解委员会受理。');
    expect(mail.html).toContain('<strong>受理</strong>');
    expect(mail.attachments).toHaveLength(1);
    const [attachment] = mail.attachments;
    expect(attachment.content.toString('utf8')).toBe(csv);
    expect(attachment.filename).toBe('月度通报.csv');
    expect(Object.values(attachment.headers).join('\n')).toContain('月度通报.csv');
  });

  it('reports the SMTP reply code of a refused recipient, without the server’s text (it names the address)', async () => {
    const refusing = await startSmtp({ rejectWith: 550 });
    const sender = new EmailSender(config({ SMTP_URL: `smtp://127.0.0.1:${refusing.port}` }));
    try {
      const result = await sender.send('refused@example.com', {
        subject: '测试',
        text: '测试',
        html: '<p>测试</p>',
      });
      expect(result.ok).toBe(false);
      expect(result.statusCode).toBe(550);
      expect(result.error).toMatch(/^SMTP 550/);
      expect(result.error).not.toContain('refused@example.com');
      expect(refusing.mails).toHaveLength(0);
    } finally {
      sender.onApplicationShutdown();
      await refusing.stop();
    }
  });

  it('fails an attempt, not the process, when the server is unreachable', async () => {
    const deadPort = await freePort();
    const sender = new EmailSender(config({ SMTP_URL: `smtp://127.0.0.1:${deadPort}` }));
    try {
      const result = await sender.send('a@example.com', {
        subject: '测试',
        text: '测试',
        html: '<p>测试</p>',
      });
      expect(result).toMatchObject({ ok: false, statusCode: null });
      expect(result.error).toMatch(/^(ESOCKET|ECONNECTION|ECONNREFUSED)$/);
    } finally {
      sender.onApplicationShutdown();
    }
  });

  it('answers a clear failure when SMTP_URL is not set', async () => {
    const result = await new EmailSender(config()).send('a@example.com', {
      subject: 's',
      text: 't',
      html: 'h',
    });
    expect(result).toEqual({ ok: false, statusCode: null, error: 'SMTP_URL is not configured' });
  });
});

describe('SMS providers', () => {
  it('LogSmsProvider writes one structured line through the process logger, the phone masked', async () => {
    const lines: string[] = [];
    Logger.overrideLogger(
      new PinoNestLogger(createPino('info', 'worker', { write: (l: string) => void lines.push(l) })),
    );
    try {
      const text = '【劳动争议调解】您的调解申请（CSZGH-2026-00001）已受理。下一步：等待调解员联系。';
      expect(await new LogSmsProvider().send('13800138000', text)).toEqual({
        ok: true,
        statusCode: null,
        error: null,
      });
      const sms = lines.map((l) => JSON.parse(l)).filter((l) => l.event === 'sms.sent');
      expect(sms).toHaveLength(1);
      expect(sms[0]).toMatchObject({
        level: 30,
        context: 'SmsLog',
        provider: 'log',
        to: '138****8000',
        text,
        msg: 'sms',
      });
      expect(lines.join('\n')).not.toContain('13800138000');
    } finally {
      Logger.overrideLogger(false);
    }
  });

  it('HttpSmsProvider posts {to, text} with the bearer key; a refused key is a failure with its status', async () => {
    const rx = await startReceiver((r) => (r.headers.authorization === 'Bearer sms-key-123' ? 202 : 401));
    try {
      const ok = await new HttpSmsProvider(
        config({ SMS_PROVIDER: 'http', SMS_HTTP_URL: rx.url('/send'), SMS_HTTP_KEY: 'sms-key-123' }),
      ).send('13800138000', '您的案件已受理。');
      expect(ok).toEqual({ ok: true, statusCode: 202, error: null });
      expect(rx.receipts[0]).toMatchObject({ method: 'POST', url: '/send' });
      expect(rx.receipts[0].headers['content-type']).toBe('application/json');
      expect(JSON.parse(rx.receipts[0].raw)).toEqual({ to: '13800138000', text: '您的案件已受理。' });

      const wrongKey = await new HttpSmsProvider(
        config({ SMS_PROVIDER: 'http', SMS_HTTP_URL: rx.url('/'), SMS_HTTP_KEY: 'wrong' }),
      ).send('13800138000', 'x');
      expect(wrongKey).toEqual({ ok: false, statusCode: 401, error: 'HTTP 401' });
    } finally {
      await rx.stop();
    }
  });

  it('HttpSmsProvider times out like the webhook sender', async () => {
    const rx = await startReceiver(() => null);
    try {
      const result = await new HttpSmsProvider(
        config({
          SMS_PROVIDER: 'http',
          SMS_HTTP_URL: rx.url('/'),
          SMS_HTTP_KEY: 'k',
          WEBHOOK_TIMEOUT_MS: '200',
        }),
      ).send('13800138000', 'x');
      expect(result).toEqual({ ok: false, statusCode: null, error: 'timed out after 200 ms' });
    } finally {
      await rx.stop();
    }
  });

  it('the factory picks the provider SMS_PROVIDER names', () => {
    const factory = SmsProviderFactory as { provide: symbol; useFactory: (c: AppConfig) => unknown };
    expect(factory.provide).toBe(SMS_PROVIDER);
    expect(factory.useFactory(config())).toBeInstanceOf(LogSmsProvider);
    expect(
      factory.useFactory(
        config({ SMS_PROVIDER: 'http', SMS_HTTP_URL: 'https://sms.example/send', SMS_HTTP_KEY: 'k' }),
      ),
    ).toBeInstanceOf(HttpSmsProvider);
  });
});
