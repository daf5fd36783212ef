/** Real receivers for the notification tests: an HTTP endpoint that verifies Standard Webhooks signatures, and an SMTP server. */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { Webhook } from 'standardwebhooks';

export interface Receipt {
  path: string;
  id: string;
  headers: IncomingHttpHeaders;
  raw: string;
  body: any;
  /** Whether the signature verified with the path's secret. */
  verified: boolean;
  /** The status the receiver answered. */
  status: number;
}

/**
 * Answers per path: `secrets` tells which secret verifies it, `answer` which status to give (default 204 when
 * the signature verifies, 400 when not). Every request is kept, verified or not.
 */
export class WebhookReceiver {
  readonly receipts: Receipt[] = [];
  readonly secrets = new Map<string, string>();
  answer: (r: Receipt, seen: number) => number = (r) => (r.verified ? 204 : 400);
  private server: Server | null = null;
  port = 0;

  async start(port = 0): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const path = (req.url ?? '/').split('?')[0];
        const secret = this.secrets.get(path);
        let verified = false;
        if (secret) {
          try {
            new Webhook(secret).verify(raw, req.headers as Record<string, string>);
            verified = true;
          } catch {
            verified = false;
          }
        }
        let body: unknown = null;
        try {
          body = JSON.parse(raw);
        } catch {
          body = null;
        }
        const receipt: Receipt = {
          path,
          id: String(req.headers['webhook-id'] ?? ''),
          headers: req.headers,
          raw,
          body,
          verified,
          status: 0,
        };
        this.receipts.push(receipt);
        const seen = this.receipts.filter((x) => x.id === receipt.id && x.path === path).length;
        receipt.status = this.answer(receipt, seen);
        res.statusCode = receipt.status;
        res.end();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  url(path: string): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  at(path: string): Receipt[] {
    return this.receipts.filter((r) => r.path === path);
  }

  async stop(): Promise<void> {
    const s = this.server;
    this.server = null;
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  }
}

/** A port nothing listens on (a receiver that is down). */
export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

export interface Mail {
  from: string;
  to: string[];
  raw: string;
}

/** An SMTP server without TLS or authentication, keeping each message raw. */
export async function startSmtp(): Promise<{ port: number; mails: Mail[]; stop(): Promise<void> }> {
  const mails: Mail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return { port, mails, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

export interface ParsedMail {
  subject: string;
  text: string;
  html: string;
  attachments: Array<{ filename: string; contentType: string; content: Buffer }>;
}

/** Enough MIME to read what the service sends: encoded-word headers, multipart bodies, base64 and quoted-printable. */
export function parseMail(raw: string): ParsedMail {
  const out: ParsedMail = { subject: '', text: '', html: '', attachments: [] };
  const walk = (part: string) => {
    const split = part.indexOf('\r\n\r\n');
    const head = split >= 0 ? part.slice(0, split) : part;
    const body = split >= 0 ? part.slice(split + 4) : '';
    const headers = new Map<string, string>();
    for (const line of head.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
      const i = line.indexOf(':');
      if (i > 0) headers.set(line.slice(0, i).toLowerCase(), line.slice(i + 1).trim());
    }
    if (headers.has('subject')) out.subject = decodeWords(headers.get('subject')!);
    const type = headers.get('content-type') ?? 'text/plain';
    const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
    if (boundary) {
      for (const sub of body.split(`--${boundary}`).slice(1)) {
        if (sub.startsWith('--')) break;
        walk(sub.replace(/^\r\n/, ''));
      }
      return;
    }
    const enc = (headers.get('content-transfer-encoding') ?? '7bit').toLowerCase();
    const bytes =
      enc === 'base64'
        ? Buffer.from(body.replace(/\s+/g, ''), 'base64')
        : enc === 'quoted-printable'
          ? decodeQp(body)
          : Buffer.from(body, 'utf8');
    const disposition = headers.get('content-disposition') ?? '';
    const filename = /filename\*?=(?:utf-8'')?"?([^";]+)"?/i.exec(disposition)?.[1];
    if (/attachment/i.test(disposition) || filename) {
      out.attachments.push({
        filename: filename ? decodeWords(decodeURIComponent(filename)) : '',
        contentType: type.split(';')[0],
        content: bytes,
      });
    } else if (type.startsWith('text/html')) out.html = bytes.toString('utf8');
    else if (type.startsWith('text/plain')) out.text = bytes.toString('utf8');
  };
  walk(raw);
  return out;
}

function decodeWords(s: string): string {
  return s
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_m, _cs: string, enc: string, text: string) =>
      enc.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64').toString('utf8')
        : decodeQp(text.replace(/_/g, ' ')).toString('utf8'),
    );
}

function decodeQp(s: string): Buffer {
  const bytes: number[] = [];
  const src = s.replace(/=\r?\n/g, '');
  for (let i = 0; i < src.length; i++) {
    if (src[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(src.slice(i + 1, i + 3))) {
      bytes.push(parseInt(src.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(...Buffer.from(src[i], 'utf8'));
  }
  return Buffer.from(bytes);
}
