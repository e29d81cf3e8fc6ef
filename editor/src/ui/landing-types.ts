// The shapes of /api/landing-pages as the editor uses them (server: engine/delivery/landing-pages.ts).
export type Block =
  | { type: 'heading'; text: string; level?: number }
  | { type: 'text'; text: string }
  | { type: 'image'; url: string; alt: string }
  | { type: 'form'; formId: string }
  | { type: 'cta'; label: string; url: string };
export type BlockType = Block['type'];

export interface Variant { key: string; name: string; weight: number; blocks: Block[] }
export interface Goal { kind: 'form' | 'event' | 'cta'; eventType?: string; withinDays: number }

export interface LandingPage {
  id: string; slug: string; name: string; title?: string; variants: Variant[]; goal: Goal; confidence: number; minSample: number;
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
