import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { createTransport, type Transporter } from 'nodemailer';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import type { ChannelResult, EmailMessage } from './channel';

/**
 * E-mail over SMTP with nodemailer (SPEC §7): Chinese subject and body, plain text and HTML, attachments (the
 * periodic report's CSV). One pooled transport per process, made on first use from SMTP_URL and closed at shutdown.
 */
@Injectable()
export class EmailSender implements OnApplicationShutdown {
  private transport: Transporter | null = null;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async send(to: string, msg: EmailMessage): Promise<ChannelResult> {
    if (!this.config.smtpUrl) return { ok: false, statusCode: null, error: 'SMTP_URL is not configured' };
    try {
      await this.transporter(this.config.smtpUrl).sendMail({
        from: this.config.smtpFrom,
        to,
        subject: msg.subject,
        text: msg.text,
        html: msg.html,
        attachments: (msg.attachments ?? []).map((a) => ({
          filename: a.filename,
          contentType: a.contentType,
          content: a.content,
          encoding: 'base64',
        })),
      });
      return { ok: true, statusCode: 250, error: null };
    } catch (e) {
      return { ok: false, ...describeSmtpError(e) };
    }
  }

  onApplicationShutdown(): void {
    this.transport?.close();
    this.transport = null;
  }

  private transporter(url: string): Transporter {
    this.transport ??= createTransport({
      url,
      pool: true,
      maxConnections: 3,
      // Bounded waits: an unreachable server fails the attempt (retried later) instead of holding a worker.
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 60_000,
    });
    return this.transport;
  }
}

/**
 * The SMTP reply code and nodemailer's error code only: the server's text can quote the recipient's address,
 * which is personal data and must not reach the delivery log.
 */
export function describeSmtpError(e: unknown): { statusCode: number | null; error: string } {
  const err = e as { responseCode?: number; code?: string };
  const statusCode = typeof err?.responseCode === 'number' ? err.responseCode : null;
  const code = typeof err?.code === 'string' && /^[A-Z0-9_]{2,40}$/.test(err.code) ? err.code : null;
  const parts = [statusCode ? `SMTP ${statusCode}` : null, code].filter(Boolean);
  return { statusCode, error: parts.length ? parts.join(' ') : 'SMTP delivery failed' };
}
