// The flow document schema as plain JSON (TypeBox's symbols removed).
import { FlowDocument } from './document.js';

export function flowJsonSchema(): Record<string, unknown> {
  return { $schema: 'http://json-schema.org/draft-07/schema#', ...JSON.parse(JSON.stringify(FlowDocument)) };
}
