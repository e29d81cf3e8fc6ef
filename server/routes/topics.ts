// /api/topics: the subscription topics contacts may leave one by one on the
// preference page. Deleting a topic archives it: it leaves the page, and the opt-outs
// contacts gave for it keep holding.
import type { Router } from 'express';
import { router } from '../router.js';
import { HttpProblem } from '../http-problem.js';
import type { Db } from '../../engine/storage/db.js';
import { TOPIC_KEY_PATTERN, TopicInput, TopicUpdate, archiveTopic, getTopic, insertTopic, listTopics, topicOptOuts, updateTopic } from '../../engine/audience/topics.js';
import { flagParam, parseBody } from '../input.js';
import { route } from '../problem.js';

const unknown = (key: string) => new HttpProblem(404, 'Unknown topic', [{ path: '/key', message: `no topic has key ${key}` }]);

function topicKey(raw: string): string {
  if (!new RegExp(TOPIC_KEY_PATTERN).test(raw)) throw unknown(raw);
  return raw;
}

export function topicsRouter(db: Db): Router {
  const r = router();
  r.get('/', route(async (req, res) => {
    const topics = await listTopics(db, flagParam(req.query.archived, 'archived'));
    if (!flagParam(req.query.optOuts, 'optOuts')) return void res.json({ topics });
    const left = await topicOptOuts(db);
    res.json({ topics: topics.map((t) => ({ ...t, optedOut: left[t.key] ?? 0 })) });
  }));
  r.post('/', route(async (req, res) => {
    const body = parseBody(TopicInput, req.body);
    const topic = await insertTopic(db, body);
    if (!topic) throw new HttpProblem(409, 'Topic exists', [{ path: '/key', message: `a topic with key ${body.key} exists` }]);
    res.status(201).location(`/api/topics/${topic.key}`).json(topic);
  }));
  r.get('/:key', route(async (req, res) => {
    const key = topicKey(String(req.params.key));
    const topic = await getTopic(db, key);
    // An archived topic is deleted as far as the API goes (the list shows it with ?archived=true).
    if (!topic || topic.archived) throw unknown(key);
    res.json(topic);
  }));
  r.put('/:key', route(async (req, res) => {
    const key = topicKey(String(req.params.key));
    const topic = await updateTopic(db, key, parseBody(TopicUpdate, req.body));
    if (!topic) throw unknown(key);
    res.json(topic);
  }));
  r.delete('/:key', route(async (req, res) => {
    const key = topicKey(String(req.params.key));
    if (!(await archiveTopic(db, key))) throw unknown(key);
    res.status(204).end();
  }));
  return r;
}
