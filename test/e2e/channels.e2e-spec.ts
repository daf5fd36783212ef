import { Logger } from '@nestjs/common';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
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

// The delivery channels of SPEC §7 against real receivers started here: an HTTP server that verifies Standard
// Webhooks signatures with the `standardwebhooks` library, an SMTP server, an HTTP SMS gateway, and the log.

function config(env: Record<string, string> = {}): AppConfig {
  return loadConfig({ NODE_ENV: 'test', WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_TIMEOUT_MS: '500', ...env });
}

interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** An HTTP receiver on the loopback; `answer` decides each reply (return null to never answer). */
async function receiver(
  answer: (r: Received) => { status: number; headers?: Record<string, string> } | null,
): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
      };
      received.push(r);
      const a = answer(r);
      if (!a) return; // hold the connection open: the sender must give up by itself
      res.writeHead(a.status, a.headers ?? {});
      res.end('receiver text that must not reach the delivery log: 13800138000');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('WebhookSender', () => {
  const secret = newWebhookSecret();
  const body = JSON.stringify({
    type: 'case.accepted',
    timestamp: '2026-03-02T02:00:00.000Z',
    data: { caseNo: 'CSZGH-2026-00001' },
  });

  /** Verifies every request with the receiver's copy of the secret, as a real agency would. */
  const verifying = (r: Received) => {
    try {
      new Webhook(secret).verify(r.body, r.headers as Record<string, string>);
      return { status: 204 };
    } catch {
      return { status: 400 };
    }
  };

  it('signs per Standard Webhooks; the receiver verifies it and rejects a tampered body', async () => {
    const rx = await receiver(verifying);
    try {
      const sender = new WebhookSender(config());
      const timestamp = new Date();
      const result = await sender.send({ url: `${rx.url}/hooks`, secret, msgId: 'msg_abc', timestamp, body });
      expect(result).toEqual({ ok: true, statusCode: 204, error: null });
      const [got] = rx.received;
      expect(got.method).toBe('POST');
      expect(got.body).toBe(body);
      expect(got.headers['webhook-id']).toBe('msg_abc');
      expect(got.headers['webhook-timestamp']).toBe(String(Math.floor(timestamp.getTime() / 1000)));
      expect(got.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
      expect(got.headers['content-type']).toBe('application/json');
      expect(got.headers['user-agent']).toMatch(/labour-mediation/);
      // The library accepts the genuine message and refuses it with one character of the body changed.
      const headers = got.headers as Record<string, string>;
      expect(new Webhook(secret).verify(got.body, headers)).toEqual(JSON.parse(body));
      const tampered = got.body.replace('00001', '00002');
      expect(() => new Webhook(secret).verify(tampered, headers)).toThrow(/signature/i);
      expect(() => new Webhook(newWebhookSecret()).verify(got.body, headers)).toThrow(/signature/i);
      // Replayed to the receiver with the tampered body, the same headers are refused there too.
      const replay = await fetch(`${rx.url}/hooks`, {
        method: 'POST',
        headers: {
          'webhook-id': headers['webhook-id'],
          'webhook-timestamp': headers['webhook-timestamp'],
          'webhook-signature': headers['webhook-signature'],
        },
        body: tampered,
      });
      expect(replay.status).toBe(400);
    } finally {
      await rx.close();
    }
  });

  it('keeps the webhook-id of one message across attempts and signs each attempt’s timestamp', async () => {
    const rx = await receiver(verifying);
    try {
      const sender = new WebhookSender(config());
      const t1 = new Date(Date.now() - 60_000);
      const t2 = new Date();
      expect((await sender.send({ url: rx.url, secret, msgId: 'msg_same', timestamp: t1, body })).ok).toBe(
        true,
      );
      expect((await sender.send({ url: rx.url, secret, msgId: 'msg_same', timestamp: t2, body })).ok).toBe(
        true,
      );
      expect(rx.received.map((r) => r.headers['webhook-id'])).toEqual(['msg_same', 'msg_same']);
      expect(rx.received[0].headers['webhook-signature']).not.toBe(
        rx.received[1].headers['webhook-signature'],
      );
    } finally {
      await rx.close();
    }
  });

  it('reports a 500 with its status and without the receiver’s text', async () => {
    const rx = await receiver(() => ({ status: 500 }));
    try {
      const result = await new WebhookSender(config()).send({
        url: rx.url,
        secret,
        msgId: 'msg_1',
        timestamp: new Date(),
        body,
      });
      expect(result).toEqual({ ok: false, statusCode: 500, error: 'HTTP 500' });
    } finally {
      await rx.close();
    }
  });

  it('gives up after WEBHOOK_TIMEOUT_MS on a receiver that never answers', async () => {
    const rx = await receiver(() => null);
    try {
      const started = Date.now();
      const result = await new WebhookSender(config({ WEBHOOK_TIMEOUT_MS: '300' })).send({
        url: rx.url,
        secret,
        msgId: 'msg_2',
        timestamp: new Date(),
        body,
      });
      expect(result).toEqual({ ok: false, statusCode: null, error: 'timed out after 300 ms' });
      expect(Date.now() - started).toBeLessThan(2000);
    } finally {
      await rx.close();
    }
  });

  it('does not follow a redirect (it could point at a private address): a 3xx is a failure', async () => {
    const target = await receiver(() => ({ status: 204 }));
    const rx = await receiver(() => ({ status: 302, headers: { location: `${target.url}/internal` } }));
    try {
      const result = await new WebhookSender(config()).send({
        url: rx.url,
        secret,
        msgId: 'msg_3',
        timestamp: new Date(),
        body,
      });
      expect(result).toMatchObject({ ok: false, statusCode: 302 });
      expect(result.error).toMatch(/redirect/);
      expect(target.received).toHaveLength(0);
    } finally {
      await rx.close();
      await target.close();
    }
  });

  it('refuses a private destination at send time unless WEBHOOK_ALLOW_PRIVATE, and sends nothing', async () => {
    const rx = await receiver(() => ({ status: 204 }));
    try {
      const result = await new WebhookSender(config({ WEBHOOK_ALLOW_PRIVATE: 'false' })).send({
        url: rx.url,
        secret,
        msgId: 'msg_4',
        timestamp: new Date(),
        body,
      });
      expect(result).toMatchObject({ ok: false, statusCode: null });
      expect(result.error).toMatch(/^refused: .*private/);
      // A name that resolves to the loopback (as after a DNS rebinding) is refused the same way.
      const byName = await new WebhookSender(config({ WEBHOOK_ALLOW_PRIVATE: 'false' })).send({
        url: rx.url.replace('127.0.0.1', 'localhost'),
        secret,
        msgId: 'msg_5',
        timestamp: new Date(),
        body,
      });
      expect(byName.error).toMatch(/^refused: /);
      expect(rx.received).toHaveLength(0);
    } finally {
      await rx.close();
    }
  });

  it('reports a refused connection briefly', async () => {
    const rx = await receiver(() => ({ status: 204 }));
    const url = rx.url;
    await rx.close();
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

/** The decoded parts of a MIME message: enough of RFC 2045/2047 for what nodemailer writes. */
function parseMime(raw: string): { headers: string; parts: Array<{ headers: string; content: Buffer }> } {
  const [head] = raw.split(/\r\n\r\n/);
  const parts: Array<{ headers: string; content: Buffer }> = [];
  const walk = (text: string) => {
    const sep = text.indexOf('\r\n\r\n');
    const headers = text.slice(0, sep);
    const body = text.slice(sep + 4);
    const boundary = /boundary="?([^";\r\n]+)"?/i.exec(headers)?.[1];
    if (/content-type:\s*multipart\//i.test(headers) && boundary) {
      for (const piece of body.split(`--${boundary}`).slice(1)) {
        if (piece.startsWith('--')) break;
        walk(piece.replace(/^\r\n/, ''));
      }
      return;
    }
    const encoding = /content-transfer-encoding:\s*([\w-]+)/i.exec(headers)?.[1]?.toLowerCase();
    let content: Buffer;
    if (encoding === 'base64') content = Buffer.from(body.replace(/\s+/g, ''), 'base64');
    else if (encoding === 'quoted-printable') {
      const soft = body.replace(/=\r\n/g, '');
      const bytes: number[] = [];
      for (let i = 0; i < soft.length; i++) {
        if (soft[i] === '=' && /^[0-9A-F]{2}$/i.test(soft.slice(i + 1, i + 3))) {
          bytes.push(parseInt(soft.slice(i + 1, i + 3), 16));
          i += 2;
        } else bytes.push(...Buffer.from(soft[i]));
      }
      content = Buffer.from(bytes);
    } else content = Buffer.from(body);
    parts.push({ headers, content });
  };
  walk(raw);
  return { headers: head, parts };
}

/** RFC 2047 encoded words (=?UTF-8?B?…?= / =?UTF-8?Q?…?=), as nodemailer folds a Chinese subject. */
function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?utf-8\?([BQ])\?([^?]*)\?=/gi, (_, enc: string, text: string) =>
      enc.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64').toString('utf8')
        : Buffer.from(
            text
              .replace(/_/g, ' ')
              .replace(/=([0-9A-F]{2})/gi, (__, h: string) => String.fromCharCode(parseInt(h, 16))),
            'latin1',
          ).toString('utf8'),
    );
}

describe('EmailSender', () => {
  let smtp: SMTPServer;
  let port: number;
  const messages: Array<{ from: string; to: string[]; raw: string }> = [];

  beforeAll(async () => {
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const to = session.envelope.rcptTo.map((r) => r.address);
          if (to.includes('refused@example.com')) {
            const err = Object.assign(new Error('mailbox refused@example.com unavailable'), {
              responseCode: 550,
            });
            return callback(err);
          }
          messages.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to,
            raw: Buffer.concat(chunks).toString('latin1'),
          });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    port = (smtp.server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => smtp.close(() => resolve())));

  it('sends a Chinese subject, text and HTML and an attachment over SMTP', async () => {
    const sender = new EmailSender(
      config({ SMTP_URL: `smtp://127.0.0.1:${port}`, SMTP_FROM: '调解委员会 <noreply@mediation.test>' }),
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
    expect(messages).toHaveLength(1);
    const [m] = messages;
    expect(m.from).toBe('noreply@mediation.test');
    expect(m.to).toEqual(['liaison@court.example']);
    const mime = parseMime(m.raw);
    const subject = /^Subject: (.*(?:\r\n[ \t].*)*)/m.exec(mime.headers)?.[1] ?? '';
    expect(decodeWords(subject.replace(/\r\n/g, ''))).toBe('案件已受理：CSZGH-2026-00001');
    const text = mime.parts.find((p) => /content-type:\s*text\/plain/i.test(p.headers));
    const html = mime.parts.find((p) => /content-type:\s*text\/html/i.test(p.headers));
    const attachment = mime.parts.find((p) => /content-disposition:\s*attachment/i.test(p.headers));
    expect(text?.content.toString('utf8').replace(/\r\n/g, '\n')).toBe(
      '您好：\n贵院委派的案件已由调解委员会受理。',
    );
    expect(html?.content.toString('utf8')).toContain('<strong>受理</strong>');
    expect(attachment?.content.toString('utf8')).toBe(csv);
    expect(decodeWords(attachment?.headers.replace(/\r\n\s+/g, '') ?? '')).toContain('月度通报.csv');
  });

  it('reports the SMTP reply code of a refused recipient, without the server’s text (it names the address)', async () => {
    const sender = new EmailSender(config({ SMTP_URL: `smtp://127.0.0.1:${port}` }));
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
    } finally {
      sender.onApplicationShutdown();
    }
  });

  it('fails an attempt, not the process, when the server is unreachable', async () => {
    const closed = new SMTPServer({ authOptional: true, disabledCommands: ['STARTTLS'], logger: false });
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadPort = (closed.server.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
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
    const rx = await receiver((r) =>
      r.headers.authorization === 'Bearer sms-key-123' ? { status: 202 } : { status: 401 },
    );
    try {
      const ok = await new HttpSmsProvider(
        config({ SMS_PROVIDER: 'http', SMS_HTTP_URL: `${rx.url}/send`, SMS_HTTP_KEY: 'sms-key-123' }),
      ).send('13800138000', '您的案件已受理。');
      expect(ok).toEqual({ ok: true, statusCode: 202, error: null });
      expect(rx.received[0]).toMatchObject({ method: 'POST', url: '/send' });
      expect(rx.received[0].headers['content-type']).toBe('application/json');
      expect(JSON.parse(rx.received[0].body)).toEqual({ to: '13800138000', text: '您的案件已受理。' });

      const wrongKey = await new HttpSmsProvider(
        config({ SMS_PROVIDER: 'http', SMS_HTTP_URL: rx.url, SMS_HTTP_KEY: 'wrong' }),
      ).send('13800138000', 'x');
      expect(wrongKey).toEqual({ ok: false, statusCode: 401, error: 'HTTP 401' });
    } finally {
      await rx.close();
    }
  });

  it('HttpSmsProvider times out like the webhook sender', async () => {
    const rx = await receiver(() => null);
    try {
      const result = await new HttpSmsProvider(
        config({ SMS_PROVIDER: 'http', SMS_HTTP_URL: rx.url, SMS_HTTP_KEY: 'k', WEBHOOK_TIMEOUT_MS: '200' }),
      ).send('13800138000', 'x');
      expect(result).toEqual({ ok: false, statusCode: null, error: 'timed out after 200 ms' });
    } finally {
      await rx.close();
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
