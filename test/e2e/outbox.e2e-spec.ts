import type { INestApplicationContext } from '@nestjs/common';
import { Webhook } from 'standardwebhooks';
import { startApi, startWorker, type TestEnv } from '../support/app';
import { waitFor } from '../support/deadlines';
import { caseBody, seedWorld, type World } from '../support/fixtures';
import { DeliveryProcessor } from '../../src/notifications/delivery.processor';
import { client } from '../support/http';
import { freePort, parseMail, startSmtp, WebhookReceiver } from '../support/receivers';

// SPEC §7: every notification goes through the outbox written with its change; the worker delivers webhooks
// (Standard Webhooks, verified here by the `standardwebhooks` library), e-mail (a real SMTP server) and SMS (the
// logging provider), retrying with backoff — shortened here to 100 ms — and marking the hopeless ones dead.
let env: TestEnv;
let w: World;
let worker: INestApplicationContext;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
const receiver = new WebhookReceiver();
const logLines: string[] = [];

beforeAll(async () => {
  smtp = await startSmtp();
  await receiver.start();
  env = await startApi({
    WEBHOOK_ALLOW_PRIVATE: 'true',
    DELIVERY_BACKOFF_MS: '100,100,100,100',
    SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
  });
  w = await seedWorld(env);
  // The worker logs at info, into this file's buffer: the logging SMS provider writes what the worker would receive.
  worker = await startWorker(
    { ...env.config, logLevel: 'info' },
    { logDestination: { write: (l: string) => void logLines.push(l) } },
  );
  // The court's liaison reads e-mail.
  await env.db.query(`UPDATE users SET email = 'liaison1@court.example' WHERE username = 'liaison1'`);
});

afterAll(async () => {
  await worker?.close();
  await env?.close();
  await receiver.stop();
  await smtp?.stop();
});

const admin = () => client(env.url, w.admin);
const coord = () => client(env.url, w.coordinator);

async function subscribe(path: string, events: string[], port = receiver.port) {
  const r = await admin().post(`/api/v1/organisations/${w.courtId}/webhooks`, {
    url: `http://127.0.0.1:${port}${path}`,
    events,
  });
  expect(r.status).toBe(201);
  expect(r.body.secret).toMatch(/^whsec_/);
  receiver.secrets.set(path, r.body.secret);
  return r.body as { id: string; secret: string };
}

let seq = 7000;
async function courtSent(over: Record<string, any> = {}) {
  const r = await client(env.url, w.liaison).post(
    '/api/v1/cases',
    caseBody(
      {
        source: 'court_delegated',
        committeeId: w.committeeId,
        originReference: '(2026)湘0102民诉前调7号',
        ...over,
      },
      ++seq,
    ),
  );
  expect(r.status).toBe(201);
  return r.body as { id: string; caseNo: string; worker: { idNumber: string } };
}

const deliveriesOf = async (caseId: string, channel: string, webhookId: string | null = null) =>
  (
    await env.db.query(
      `SELECT d.id, e.type, d.status, d.attempts, d.last_status_code FROM deliveries d
         JOIN outbox_events e ON e.id = d.event_id
        WHERE e.case_id = $1 AND d.channel = $2 AND ($3::uuid IS NULL OR d.webhook_id = $3)
        ORDER BY e.created_at, d.created_at`,
      [caseId, channel, webhookId],
    )
  ).rows;

describe('the origin court', () => {
  it('hears every status change of a case it sent, signed, once each, with no ID number or session notes', async () => {
    await subscribe('/court', ['case.submitted', 'case.accepted', 'case.assigned', 'session.recorded']);
    const c = await courtSent();
    expect((await coord().post(`/api/v1/cases/${c.id}/accept`, {})).status).toBe(200);
    expect((await coord().post(`/api/v1/cases/${c.id}/assign`, { mediatorId: w.mediatorId })).status).toBe(
      200,
    );
    const s = await client(env.url, w.mediator).post(`/api/v1/cases/${c.id}/sessions`, {
      startsAt: new Date(Date.now() - 3 * 3600_000).toISOString(),
      durationMinutes: 60,
      mode: 'in_person',
      location: '调解室一',
    });
    expect(s.status).toBe(201);
    const rec = await client(env.url, w.mediator).post(`/api/v1/cases/${c.id}/sessions/${s.body.id}/record`, {
      attendees: ['worker', 'employer'],
      notes: 'CONFIDENTIAL-NOTE 双方意见分歧较大',
      outcome: 'continued',
      endedAt: new Date(Date.now() - 2 * 3600_000).toISOString(),
    });
    expect(rec.status).toBe(200);

    const got = await waitFor('four webhooks', async () => {
      const mine = receiver.at('/court').filter((r) => r.body?.data?.caseId === c.id);
      return mine.length >= 4 ? mine : null;
    });
    expect(got.map((r) => r.body.type)).toEqual([
      'case.submitted',
      'case.accepted',
      'case.assigned',
      'session.recorded',
    ]);
    expect(got.every((r) => r.verified)).toBe(true);
    expect(new Set(got.map((r) => r.id)).size).toBe(4);
    expect(got[1].body.data).toMatchObject({ caseId: c.id, caseNo: c.caseNo, status: 'accepted' });
    for (const r of got) {
      expect(r.raw).not.toContain(c.worker.idNumber);
      expect(r.raw).not.toContain('CONFIDENTIAL-NOTE');
    }
    // A tampered body fails verification with the same headers.
    const wh = new Webhook(receiver.secrets.get('/court')!);
    expect(() => wh.verify(got[1].raw, got[1].headers as Record<string, string>)).not.toThrow();
    expect(() =>
      wh.verify(got[1].raw.replace('"accepted"', '"closed"'), got[1].headers as Record<string, string>),
    ).toThrow();

    const rows = await waitFor('delivered rows', async () => {
      const r = await deliveriesOf(c.id, 'webhook');
      return r.length === 4 && r.every((x) => x.status === 'delivered') ? r : null;
    });
    expect(rows.map((r) => [r.attempts, r.last_status_code])).toEqual([
      [1, 204],
      [1, 204],
      [1, 204],
      [1, 204],
    ]);
    // Nothing arrives twice: give the relay a moment more, then count again.
    await new Promise((r) => setTimeout(r, 500));
    expect(receiver.at('/court').filter((r) => r.body?.data?.caseId === c.id)).toHaveLength(4);
  });

  it('reads its e-mail in Chinese, text and HTML', async () => {
    const c = await courtSent();
    expect((await coord().post(`/api/v1/cases/${c.id}/accept`, {})).status).toBe(200);
    const mail = await waitFor('the acceptance e-mail', async () =>
      smtp.mails.map((m) => parseMail(m.raw)).find((m) => m.subject === `案件 ${c.caseNo} 已受理`),
    );
    const raw = smtp.mails.find((m) => parseMail(m.raw).subject === mail.subject)!;
    expect(raw.to).toEqual(['liaison1@court.example']);
    expect(mail.text).toContain(`案件 ${c.caseNo} 已受理`);
    expect(mail.text).toContain('当前状态：已受理');
    expect(mail.html).toContain('<html lang="zh-CN">');
    expect(mail.html).toContain('当前状态：已受理');
    expect(mail.text).not.toContain(c.worker.idNumber);
  });
});

describe('retries', () => {
  it('delivers on the fourth attempt to a receiver that failed three times, once, with one webhook-id', async () => {
    const hook = await subscribe('/flaky', ['case.rejected']);
    receiver.answer = (r, seen) => (r.path === '/flaky' && seen <= 3 ? 500 : r.verified ? 204 : 400);
    const c = await courtSent();
    expect((await coord().post(`/api/v1/cases/${c.id}/reject`, { reason: '不属于受理范围' })).status).toBe(
      200,
    );
    const [row] = await waitFor('the fourth attempt', async () => {
      const r = await deliveriesOf(c.id, 'webhook', hook.id);
      return r.length && r[0].status === 'delivered' ? r : null;
    });
    expect(row).toMatchObject({ type: 'case.rejected', attempts: 4, last_status_code: 204 });
    const tries = receiver.at('/flaky').filter((r) => r.body?.data?.caseId === c.id);
    expect(tries).toHaveLength(4);
    expect(new Set(tries.map((t) => t.id)).size).toBe(1);
    expect(tries.every((t) => t.verified)).toBe(true);
    // Each attempt is signed anew; the body is the same.
    expect(new Set(tries.map((t) => t.raw)).size).toBe(1);
  });

  it('marks a delivery to a receiver down for good dead, and the retry endpoint delivers it', async () => {
    const port = await freePort();
    const hook = await subscribe('/gone', ['case.withdrawn'], port);
    const c = await courtSent();
    expect(
      (await coord().post(`/api/v1/cases/${c.id}/withdrawal`, { reason: '劳动者申请撤回' })).status,
    ).toBe(200);
    const [dead] = await waitFor('dead', async () => {
      const r = await deliveriesOf(c.id, 'webhook', hook.id);
      return r.length && r[0].status === 'dead' ? r : null;
    });
    expect(dead.attempts).toBe(5);
    const listed = await admin().get('/api/v1/deliveries?channel=webhook&status=dead');
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((d: any) => d.id)).toContain(dead.id);
    // /health says so (a warning: the service itself is fine).
    const health = await client(env.url).get('/health');
    expect(health.status).toBe(200);
    expect(health.body.checks.queues).toMatchObject({ deliveriesDead: 1 });
    expect(health.body.warnings).toContain(
      'queues: 1 dead deliveries; see GET /api/v1/deliveries?status=dead',
    );

    const back = await new WebhookReceiver().start(port);
    back.secrets.set('/gone', receiver.secrets.get('/gone')!);
    try {
      const retried = await admin().post(`/api/v1/deliveries/${dead.id}/retry`, {});
      expect(retried.status).toBe(200);
      const [done] = await waitFor('delivered after the retry', async () => {
        const r = await deliveriesOf(c.id, 'webhook', hook.id);
        return r[0].status === 'delivered' ? r : null;
      });
      expect(done.attempts).toBe(6);
      expect(back.at('/gone')).toHaveLength(1);
      expect((await client(env.url).get('/health')).body.checks.queues).toMatchObject({
        ok: true,
        deliveriesDead: 0,
      });
      expect(back.at('/gone')[0].verified).toBe(true);
      expect(back.at('/gone')[0].body).toMatchObject({ type: 'case.withdrawn', data: { caseId: c.id } });
    } finally {
      await back.stop();
    }
  });
});

describe('a rotated secret', () => {
  it('signs next to the new one for a day, so a receiver with either verifies', async () => {
    const hook = await subscribe('/rotating', ['case.rejected']);
    const rotated = await admin().post(
      `/api/v1/organisations/${w.courtId}/webhooks/${hook.id}/rotate-secret`,
      {},
    );
    expect(rotated.status).toBe(200);
    // The receiver still holds the old secret.
    const c = await courtSent();
    expect((await coord().post(`/api/v1/cases/${c.id}/reject`, { reason: '不属于受理范围' })).status).toBe(
      200,
    );
    const [got] = await waitFor('the delivery', async () => {
      const r = receiver.at('/rotating').filter((x) => x.body?.data?.caseId === c.id);
      return r.length ? r : null;
    });
    expect(got.verified).toBe(true);
    expect(() =>
      new Webhook(rotated.body.secret).verify(got.raw, got.headers as Record<string, string>),
    ).not.toThrow();
    expect(String(got.headers['webhook-signature']).split(' ')).toHaveLength(2);

    // After the day, the new secret alone signs.
    await env.db.query(
      `UPDATE webhooks SET previous_secret_until = now() - interval '1 second' WHERE id = $1`,
      [hook.id],
    );
    receiver.secrets.set('/rotating', rotated.body.secret);
    const d = await courtSent();
    expect((await coord().post(`/api/v1/cases/${d.id}/reject`, { reason: '不属于受理范围' })).status).toBe(
      200,
    );
    const [later] = await waitFor('the next delivery', async () => {
      const r = receiver.at('/rotating').filter((x) => x.body?.data?.caseId === d.id);
      return r.length ? r : null;
    });
    expect(later.verified).toBe(true);
    expect(String(later.headers['webhook-signature']).split(' ')).toHaveLength(1);
    expect(() =>
      new Webhook(hook.secret).verify(later.raw, later.headers as Record<string, string>),
    ).toThrow();
  });
});

describe('the worker', () => {
  it('hears acceptance by SMS with their next step, the number masked in the log', async () => {
    const c = await courtSent();
    expect((await coord().post(`/api/v1/cases/${c.id}/accept`, {})).status).toBe(200);
    const line = await waitFor('the SMS line', async () =>
      logLines
        .map((l) => JSON.parse(l))
        .find((l) => l.event === 'sms.sent' && String(l.text).includes(c.caseNo)),
    );
    expect(line.to).toBe('138****8000');
    expect(line.text).toContain(`您的调解申请（案号 ${c.caseNo}）已受理。`);
    expect(line.text).toContain('下一步：');
    expect(logLines.join('\n')).not.toContain('13800138000');
  });
});

describe('a change that is refused', () => {
  it('writes no event', async () => {
    const c = await courtSent();
    const events = async () =>
      (
        await env.db.query(
          `SELECT type FROM outbox_events WHERE case_id = $1 AND type NOT LIKE 'reminder.%' ORDER BY created_at`,
          [c.id],
        )
      ).rows;
    const before = await events();
    expect(before.map((e) => e.type)).toEqual(['case.submitted']);
    const r = await coord().post(`/api/v1/cases/${c.id}/assign`, { mediatorId: w.mediatorId });
    expect(r.status).toBe(409);
    expect(await events()).toEqual(before);
  });
});

describe('a queue worker', () => {
  it('logs BullMQ’s errors outside a job as warnings instead of dying of them', () => {
    const processor = worker.get(DeliveryProcessor);
    expect(() => processor.worker.emit('error', new Error('lock lost'))).not.toThrow();
    expect(logLines.some((l) => l.includes('queue worker: lock lost'))).toBe(true);
  });
});
