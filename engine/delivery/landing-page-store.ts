// Landing pages as the API and the server see them: rows of storage/landing-pages.ts
// turned into LandingPage, with the defaults of an optional confidence and sample
// filled in when a page is saved, so what is stored is what is decided on.
import type { Queryable } from '../storage/db.js';
import {
  chooseLandingPageWinner, insertLandingPage, landingPageRow, landingPageRows, publishedLandingPage, setLandingPageStatus, updateLandingPage,
  type LandingPageColumns, type LandingPageRow,
} from '../storage/landing-pages.js';
import { DEFAULT_CONFIDENCE, DEFAULT_MIN_SAMPLE, type DecidedBy, type Decision, type LandingPage, type LandingPageGoal, type LandingPageInput } from './landing-pages.js';

type Definition = Pick<LandingPageInput, 'title' | 'variants' | 'requireConsent'>;
type Row = LandingPageRow<Definition, LandingPageGoal, Decision>;

const toPage = (r: Row): LandingPage => ({
  id: r.id, slug: r.slug, name: r.name, ...(r.definition.title ? { title: r.definition.title } : {}), variants: r.definition.variants, goal: r.goal,
  requireConsent: r.definition.requireConsent ?? false,
  confidence: Number(r.confidence), minSample: r.min_sample, status: r.status, winner: r.winner, decidedAt: r.decided_at?.toISOString() ?? null,
  decision: r.decision, decidedBy: r.decided_by, publishedAt: r.published_at?.toISOString() ?? null, createdAt: r.created_at.toISOString(), updatedAt: r.updated_at.toISOString(),
});

const columns = (p: LandingPageInput): LandingPageColumns<Definition, LandingPageGoal> => ({
  slug: p.slug, name: p.name, definition: { ...(p.title ? { title: p.title } : {}), variants: p.variants, ...(p.requireConsent ? { requireConsent: true } : {}) }, goal: p.goal,
  confidence: p.confidence ?? DEFAULT_CONFIDENCE, minSample: p.minSample ?? DEFAULT_MIN_SAMPLE,
});

export async function createLandingPage(db: Queryable, p: LandingPageInput): Promise<LandingPage | 'slug taken'> {
  const row = await insertLandingPage<Definition, LandingPageGoal, Decision>(db, columns(p));
  return row === 'slug taken' ? row : toPage(row);
}

export async function changeLandingPage(db: Queryable, id: string, p: LandingPageInput): Promise<LandingPage | 'missing' | 'slug taken'> {
  const row = await updateLandingPage<Definition, LandingPageGoal, Decision>(db, id, columns(p));
  return typeof row === 'string' ? row : toPage(row);
}

export async function getLandingPage(db: Queryable, id: string): Promise<LandingPage | undefined> {
  const row = await landingPageRow<Definition, LandingPageGoal, Decision>(db, id);
  return row && toPage(row);
}

export async function listLandingPages(db: Queryable): Promise<LandingPage[]> {
  return (await landingPageRows<Definition, LandingPageGoal, Decision>(db)).map(toPage);
}

export async function servedLandingPage(db: Queryable, slug: string): Promise<LandingPage | undefined> {
  const row = await publishedLandingPage<Definition, LandingPageGoal, Decision>(db, slug);
  return row && toPage(row);
}

export async function changeLandingPageStatus(db: Queryable, id: string, status: 'published' | 'archived'): Promise<LandingPage | undefined> {
  const row = await setLandingPageStatus<Definition, LandingPageGoal, Decision>(db, id, status);
  return row && toPage(row);
}

/** Records a winner chosen by hand; undefined when the page is archived or decided already. */
export async function chooseWinner(db: Queryable, id: string, winner: string, decision: Decision, by: DecidedBy): Promise<LandingPage | undefined> {
  const row = await chooseLandingPageWinner<Definition, LandingPageGoal, Decision>(db, id, winner, decision, by);
  return row && toPage(row);
}
