// /api/scoring-rules: lead-scoring rules as data. Deleting a rule switches it off, so
// the awards it made keep their reason on contacts' timelines.
import type { Router } from 'express';
import { router } from '../router.js';
import { HttpProblem } from '../http-problem.js';
import type { Db } from '../../engine/storage/db.js';
import { ScoreCheckInput, ScoringRuleInput, checkScore, deleteRule, getRule, insertRule, listRules, ruleProblems, updateRule } from '../../engine/audience/scoring.js';
import { normaliseEmail } from '../../engine/storage/contacts.js';
import { parseBody } from '../input.js';
import { route } from '../problem.js';
import { isUuid } from '../../engine/ops/uuid.js';

function checked(body: unknown): ScoringRuleInput {
  const rule = parseBody(ScoringRuleInput, body);
  const problems = ruleProblems(rule);
  if (problems.length) throw new HttpProblem(422, 'Invalid scoring rule', problems);
  return rule;
}

function ruleId(raw: string): string {
  if (!isUuid(raw)) throw new HttpProblem(404, 'Unknown scoring rule', [{ path: '/id', message: `no scoring rule has id ${raw}` }]);
  return raw;
}

export function scoringRulesRouter(db: Db): Router {
  const r = router();
  r.get('/', route(async (_req, res) => void res.json({ rules: await listRules(db) })));
  r.post('/check', route(async (req, res) => {
    const input = parseBody(ScoreCheckInput, req.body);
    if (!input.contactId === !input.email) throw new HttpProblem(422, 'Invalid score check', [{ path: '/contactId', message: 'name the contact by contactId or by email (one of them)' }]);
    const contactId = input.contactId
      ?? (await db.query<{ id: string }>('SELECT id FROM contacts WHERE email = $1 AND merged_into IS NULL', [normaliseEmail(input.email!)])).rows[0]?.id;
    const check = contactId ? await checkScore(db, contactId, { type: input.eventType, properties: input.properties ?? {} }) : undefined;
    if (!check) throw new HttpProblem(404, 'Unknown contact', [{ path: input.contactId ? '/contactId' : '/email', message: `no contact is ${input.contactId ?? input.email}` }]);
    res.json(check);
  }));
  r.post('/', route(async (req, res) => {
    const rule = await insertRule(db, checked(req.body));
    res.status(201).location(`/api/scoring-rules/${rule.id}`).json(rule);
  }));
  r.get('/:id', route(async (req, res) => {
    const rule = await getRule(db, ruleId(String(req.params.id)));
    if (!rule) throw new HttpProblem(404, 'Unknown scoring rule', [{ path: '/id', message: `no scoring rule has id ${req.params.id}` }]);
    res.json(rule);
  }));
  r.put('/:id', route(async (req, res) => {
    const id = ruleId(String(req.params.id));
    const rule = await updateRule(db, id, checked(req.body));
    if (!rule) throw new HttpProblem(404, 'Unknown scoring rule', [{ path: '/id', message: `no scoring rule has id ${id}` }]);
    res.json(rule);
  }));
  r.delete('/:id', route(async (req, res) => {
    const id = ruleId(String(req.params.id));
    if (!(await deleteRule(db, id))) throw new HttpProblem(404, 'Unknown scoring rule', [{ path: '/id', message: `no scoring rule has id ${id}` }]);
    res.status(204).end();
  }));
  return r;
}
