import { describe, expect, test } from 'vitest';
import { actionInWords } from './audit-words.js';

describe('an audit action in words', () => {
  test.each([
    ['POST /api/flows', 'created a program'],
    ['PUT /api/flows/:id', 'saved a program'],
    ['POST /api/flows/:id/publish', 'published a program'],
    ['POST /api/flows/:id/archive', 'archived a program'],
    ['POST /api/flows/import', 'imported a program'],
    ['POST /api/users/invitations', 'invited a person'],
    ['PATCH /api/users/:id', 'changed a person'],
    ['POST /api/users/:id/sign-out', 'signed a person out everywhere'],
    ['DELETE /api/keys/:id', 'deleted an API key'],
    ['PUT /api/messaging-policy', 'changed the messaging policy'],
    ['PUT /api/rfm-settings', 'changed the RFM settings'],
    ['GET /api/contacts/:id/export', 'exported the personal data of a contact'],
    ['DELETE /api/contacts/:id', 'erased a contact'],
    ['POST /api/contacts/:id/erase', 'erased a contact'],
    ['PUT /api/topics/newsletter', 'changed a topic'],
  ])('%s → %s', (action, words) => {
    expect(actionInWords(action)).toBe(words);
  });

  test('an action it has no words for is shown as recorded', () => {
    expect(actionInWords('POST /api/flows/:id/rollout')).toBe('POST rollout on a program');
    expect(actionInWords('something else')).toBe('something else');
  });
});
