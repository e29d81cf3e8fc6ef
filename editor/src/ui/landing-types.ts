// The shapes of /api/landing-pages as the editor uses them (server: engine/delivery/landing-pages.ts).
import { keyFrom } from '../model/names.js';

export type Block =
  | { type: 'heading'; text: string; level?: number }
  | { type: 'text'; text: string }
  | { type: 'image'; url: string; alt: string }
  | { type: 'form'; formId: string }
  | { type: 'cta'; label: string; url: string; id?: string };
export type BlockType = Block['type'];

export interface Variant { key: string; name: string; weight: number; blocks: Block[] }
export interface Goal { kind: 'form' | 'event' | 'cta'; eventType?: string; ctaId?: string; withinDays: number }

export interface LandingPage {
  id: string; slug: string; name: string; title?: string; variants: Variant[]; goal: Goal; confidence: number; minSample: number; requireConsent: boolean;
  status: 'draft' | 'published' | 'archived'; winner: string | null; decidedAt: string | null;
  /** Who stopped the test and chose the winner by hand; null when the test chose it. */
  decidedBy: { kind: string; id: string | null; name: string } | null; publishedAt: string | null; createdAt: string; updatedAt: string;
}

export interface VariantFigures { variant: string; name: string; viewers: number; converted: number; rate: number }
export interface Decision { winner: string | null; method: string; pValue: number | null; summary: string; reason: string }
export interface Results { variants: VariantFigures[]; test: Decision; decision: (Decision & { decidedAt: string }) | null }

export type Problem = { path: string; message: string };

/** A new block of a type, empty where the person must type. */
export function newBlock(type: BlockType, formId = ''): Block {
  switch (type) {
    case 'heading': return { type, text: '', level: 2 };
    case 'text': return { type, text: '' };
    case 'image': return { type, url: 'https://', alt: '' };
    case 'form': return { type, formId };
    case 'cta': return { type, label: '', url: 'https://' };
  }
}

export const BLOCK_LABELS: Record<BlockType, string> = { heading: 'Heading', text: 'Text', image: 'Image', form: 'Form', cta: 'Button' };

/**
 * Every button given an id: a button without one is named after its label, once per
 * variant (start-trial, start-trial-2), and keeps that id once saved, so a goal naming
 * it survives a change of label. The same label in two variants is the same button.
 */
export function withButtonIds(variants: Variant[]): Variant[] {
  return variants.map((v) => {
    const taken = new Set(v.blocks.flatMap((b) => (b.type === 'cta' && b.id ? [b.id] : [])));
    const blocks = v.blocks.map((b) => {
      if (b.type !== 'cta' || b.id) return b;
      const base = keyFrom(b.label, 60);
      if (!base) return b;
      let id = base;
      for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
      taken.add(id);
      return { ...b, id };
    });
    return { ...v, blocks };
  });
}

/** The buttons a goal may name: one per id, shown by its label(s) across the variants. */
export function buttonChoices(variants: Variant[]): { id: string; label: string }[] {
  const labels = new Map<string, Set<string>>();
  for (const v of withButtonIds(variants)) for (const b of v.blocks) if (b.type === 'cta' && b.id) labels.set(b.id, (labels.get(b.id) ?? new Set()).add(b.label));
  return [...labels].map(([id, ls]) => ({ id, label: [...ls].join(' / ') }));
}
