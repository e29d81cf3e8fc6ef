import { describe, expect, test } from 'vitest';
import { contactBodies, guessTarget, mappingProblems, readContactsCsv } from './contact-import.js';

describe('the CSV import of contacts', () => {
  test('headers are guessed to fields, else to attributes of the same name', () => {
    expect(['E-mail', 'Customer ID', 'Mobile', 'Tags', 'First Name', 'attributes.plan', 'LTV (€)'].map(guessTarget))
      .toEqual(['email', 'externalId', 'phone', 'tags', 'attributes.first_name', 'attributes.plan', 'attributes.ltv']);
  });

  test('rows become bodies by the mapping; a row that cannot be read is refused with its line and column', () => {
    const read = readContactsCsv('\uFEFFEmail,Plan,LTV,Tags\nada@example.com,pro,120,vip;beta\n"bob@example.com",free,lots,\nonly-two,fields\n');
    const { ready, rejected } = contactBodies(read, [
      { column: 'Email', target: 'email' }, { column: 'Plan', target: 'attributes.plan' }, { column: 'LTV', target: 'attributes.ltv', type: 'number' }, { column: 'Tags', target: 'tags' },
    ]);
    expect(ready).toEqual([{ line: 2, body: { email: 'ada@example.com', attributes: { plan: 'pro', ltv: 120 }, tags: ['vip', 'beta'] } }]);
    expect(rejected).toEqual([
      { line: 4, reasons: ['has 2 fields, the header has 4'] },
      { line: 3, reasons: ['attributes.ltv (column "LTV"): "lots" is not a number'] },
    ]);
  });

  test('a mapping that names no contact, or two columns for one field, is a problem', () => {
    expect(mappingProblems([{ column: 'Plan', target: 'attributes.plan' }])).toEqual(['Map a column to Email or External id: it names the contact.']);
    expect(mappingProblems([{ column: 'A', target: 'email' }, { column: 'B', target: 'email' }])).toEqual(['Two columns go to email.']);
    expect(mappingProblems([{ column: 'A', target: 'email' }, { column: 'B', target: '' }])).toEqual([]);
  });
});
