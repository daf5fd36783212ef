/** What one delivery attempt of any channel answers (SPEC §7: attempts, last status code and error are logged). */
export interface ChannelResult {
  ok: boolean;
  /** HTTP status of a webhook or HTTP SMS provider, or the SMTP reply code. */
  statusCode?: number | null;
  /** Short, without personal data. */
  error?: string | null;
}

/** An e-mail as rendered when its event was written. */
export interface EmailMessage {
  subject: string;
  text: string;
  html: string;
  attachments?: Array<{ filename: string; contentType: string; /** base64 */ content: string }>;
}

/** An SMS as rendered when its event was written; `caseId` lets the sender append the worker's current next step. */
export interface SmsMessage {
  text: string;
  caseId?: string | null;
}
