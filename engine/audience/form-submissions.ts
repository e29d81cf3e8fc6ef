// Storing a checked form submission: the contact is found or created by email, the
// visitor's anonymous history merged into it, the answers written to its attributes
// under the browser trust rule and
// a `form_submitted` event recorded (which tend.trigger.form-submitted starts programs
// from) — all in one transaction.
import type { Db } from '../storage/db.js';
import { transaction } from '../storage/db.js';
import { identify } from './identity.js';
import { updateContactFields } from '../storage/contacts.js';
import { browserWrite, currentAttributes, isVerifiedVisitor } from './browser-trust.js';
import { appendEvent } from '../storage/events.js';
import type { Form } from './forms.js';
import { FORM_SUBMITTED } from '../storage/forms.js';

export interface CheckedSubmission {
  answers: Record<string, string | boolean>;
  hidden: Record<string, string>;
  anonymousId?: string;
  /** The page the form was on, when the embed says. */
  page?: string;
}

/** `existed`: the contact was here before this submission (anyone may type anyone's address). */
export async function recordSubmission(db: Db, form: Form, s: CheckedSubmission): Promise<{ contactId: string; eventId: string; existed: boolean }> {
  return transaction(db, async (tx) => {
    const email = String(s.answers.email);
    const { contactId, existed } = await identify(tx, { email, anonymousId: s.anonymousId, reason: `form ${form.id}` });
    const answers = Object.fromEntries(Object.entries(s.answers).filter(([name]) => name !== 'email'));
    // Anyone can type a customer's email into a form: the answers fill what is empty, and
    // change more only for a browser a signed link proved (engine/audience/browser-trust.ts).
    const verified = await isVerifiedVisitor(tx, s.anonymousId, contactId);
    const { allowed, refused } = browserWrite(answers, await currentAttributes(tx, contactId), verified);
    if (Object.keys(allowed).length) {
      await updateContactFields(tx, contactId, { attributes: allowed }, { formId: form.id, ...(Object.keys(refused).length ? { refused } : {}) });
    }
    const event = await appendEvent(tx, {
      contactId,
      type: FORM_SUBMITTED,
      source: 'web',
      properties: { formId: form.id, formName: form.name, values: s.answers, hidden: s.hidden, ...(s.page ? { page: s.page } : {}) },
    });
    return { contactId, eventId: event!.id, existed };
  }, { deadlockRetries: 3 });
}
