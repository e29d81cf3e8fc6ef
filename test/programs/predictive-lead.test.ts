// Program 16, predictive lead score: a model trained on past leads' activity and
// conversions scores new leads 0–100 as their events arrive; the program sends a soft
// email at 50% and a sales task at 75%; the model is retrained on its schedule.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTend, type Tend } from '../support/tend.js';
import { template } from '../support/templates.js';
import { recipient } from '../support/smtp.js';

let tend: Tend;
beforeAll(async () => {
  tend = await startTend();
});
afterAll(async () => {
  await tend?.stop();
});

const readiness = async (email: string) => (await tend.api('GET', `/api/contacts?email=${encodeURIComponent(email)}`)).body.contacts[0]?.attributes.readiness as number | undefined;
const to = (email: string) => tend.mailbox.messages.filter((m) => recipient(m) === email).map((m) => m.subject!);
const settings = { enabled: true, conversionEvent: 'deal_won', features: ['page_view', 'pricing_viewed', 'demo_requested'], window: '30 days', retrainEvery: '1 hour', minExamples: 20, field: 'readiness' };

describe('predictive lead score', () => {
  test('trained on history, it scores new leads as they act; the program follows the score', async () => {
    // Not enough data yet: a clear refusal, nothing stored.
    expect((await tend.api('PUT', '/api/predictive-score', { ...settings, window: 'a while' })).status).toBe(422);
    // Off while history loads: the tick would otherwise train on whatever part of it had arrived.
    expect((await tend.api('PUT', '/api/predictive-score', { ...settings, enabled: false })).status).toBe(200);
    const early = await tend.api('POST', '/api/predictive-score/train');
    expect(early.status).toBe(422);
    expect(JSON.stringify(early.body)).toContain('training needs at least 20 leads');

    // History: 40 past leads. Those who looked at pricing and asked for a demo bought.
    const day = 86_400_000;
    const past = (days: number) => new Date(Date.now() - days * day).toISOString();
    const events: Record<string, unknown>[] = [];
    for (let i = 0; i < 40; i++) {
      const email = `past${i}@example.com`;
      const buyer = i % 2 === 0;
      events.push({ type: 'page_view', email, occurredAt: past(20), properties: { path: '/' } }, { type: 'page_view', email, occurredAt: past(19), properties: { path: '/blog' } });
      if (buyer || i % 5 === 1) events.push({ type: 'pricing_viewed', email, occurredAt: past(15) });
      if (buyer) events.push({ type: 'pricing_viewed', email, occurredAt: past(14) }, { type: 'demo_requested', email, occurredAt: past(12) }, { type: 'deal_won', email, occurredAt: past(10) });
    }
    expect((await tend.api('POST', '/api/events/batch', { events })).status).toBe(202);
    await tend.until(async () => (await tend.sql('SELECT 1 FROM outbox')).length === 0, 'history dispatched');

    const trained = await tend.api('POST', '/api/predictive-score/train');
    expect(trained.status, JSON.stringify(trained.body)).toBe(200);
    expect(trained.body.model).toMatchObject({ examples: 40, converted: 20 });
    expect(trained.body.model.auc).toBeGreaterThanOrEqual(0.9);
    expect(trained.body.model.weights.demo_requested).toBeGreaterThan(0);
    // Past leads who did not buy are scored too: low.
    expect(await readiness('past1@example.com')).toBeLessThan(50);
    expect((await tend.api('PUT', '/api/predictive-score', settings)).status).toBe(200); // on: new events score leads

    const imported = await tend.api('POST', '/api/flows/import', template('predictive-lead', { later: { timeout: '20 seconds' } }));
    expect((await tend.api('POST', `/api/flows/${imported.body.id}/publish`)).status).toBe(200);

    // A new lead acting like the buyers crosses 75% and lands with sales at once.
    for (const type of ['page_view', 'pricing_viewed', 'pricing_viewed', 'demo_requested']) await tend.event({ type, email: 'keen@example.com' });
    await tend.until(async () => ((await readiness('keen@example.com')) ?? 0) >= 75, 'keen scored high', 60_000).catch(async (err) => {
      throw new Error(`${(err as Error).message}: readiness ${await readiness('keen@example.com')}, outbox ${JSON.stringify(await tend.sql('SELECT attempts, last_error FROM outbox'))}, model ${JSON.stringify((await tend.api('GET', '/api/predictive-score')).body.model)}`);
    });
    await tend.until(async () => to('sales@example.com').some((s) => s.includes('keen@example.com')), 'the sales task for keen');
    expect(to('keen@example.com')).toEqual([]);

    // A lead only browsing stays cold: no program.
    for (const type of ['page_view', 'page_view']) await tend.event({ type, email: 'browser@example.com' });
    await tend.until(async () => (await readiness('browser@example.com')) !== undefined, 'browser scored');
    expect(await readiness('browser@example.com')).toBeLessThan(50);

    // Warm first (a soft email), then hot later (the sales task), through the score's attribute.
    await tend.api('PUT', '/api/contacts', { email: 'warming@example.com', attributes: { readiness: 60, first_name: 'Wil' } });
    await tend.until(async () => to('warming@example.com').length === 1, 'the soft email');
    expect(to('warming@example.com')).toEqual(['Anything we can help you with?']);
    await tend.api('PUT', '/api/contacts', { email: 'warming@example.com', attributes: { readiness: 82 } });
    await tend.until(async () => to('sales@example.com').some((s) => s.includes('warming@example.com')), 'the later sales task');
    expect(to('sales@example.com').filter((s) => s.includes('warming@example.com'))).toEqual(['Ready to buy (82%): warming@example.com']);
    expect(to('browser@example.com')).toEqual([]);
    expect(to('sales@example.com').filter((s) => s.includes('browser@example.com'))).toEqual([]);
  });

  test('the model is retrained on its schedule', async () => {
    const before = Number((await tend.sql('SELECT count(*) AS n FROM predictive_models'))[0].n);
    expect((await tend.api('PUT', '/api/predictive-score', { ...settings, retrainEvery: '2 seconds' })).status).toBe(200);
    await tend.until(async () => Number((await tend.sql('SELECT count(*) AS n FROM predictive_models'))[0].n) >= before + 2, 'two retrainings', 30_000);
    expect((await tend.api('PUT', '/api/predictive-score', { ...settings, enabled: false })).status).toBe(200);
    const model = (await tend.api('GET', '/api/predictive-score')).body.model;
    expect(model.examples).toBeGreaterThan(40); // the new leads joined the training data
  });
});
