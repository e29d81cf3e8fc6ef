// Forms: the definition (fields, hidden fields, thank-you or redirect, progressive
// profiling), which fields a visitor is shown, and checking a submission. Pure except
// for the few functions at the end that go through storage/forms.ts; the HTTP side is
// server/routes/forms.ts and server/routes/form-pages.ts.
import { Type, type Static } from '@sinclair/typebox';
import { ATTRIBUTE_NAME_PATTERN } from '../plugin/field-names.js';
import type { Queryable } from '../storage/db.js';
import type { Contact } from '../plugin/index.js';
import type { FieldError } from '../ops/errors.js';
import { normaliseEmail } from '../storage/contacts.js';
import { archiveFormRow, formRow, formRows, insertFormRow, updateFormRow, type FormRow } from '../storage/forms.js';

export const FIELD_TYPES = ['text', 'email', 'tel', 'select', 'checkbox'] as const;

export const FormField = Type.Object(
  {
    name: Type.String({ pattern: ATTRIBUTE_NAME_PATTERN, description: 'The contact attribute it fills (email fills the email)' }),
    label: Type.String({ minLength: 1, maxLength: 200 }),
    type: Type.Union(FIELD_TYPES.map((t) => Type.Literal(t))),
    required: Type.Optional(Type.Boolean()),
    pattern: Type.Optional(Type.String({ minLength: 1, maxLength: 500, description: 'A regular expression the whole answer must match' })),
    patternMessage: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Shown when the pattern does not match' })),
    options: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { minItems: 1, maxItems: 200 })),
  },
  { additionalProperties: false },
);
export type FormField = Static<typeof FormField>;

export const FormInput = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    fields: Type.Array(FormField, { minItems: 1, maxItems: 50, description: 'In order; with maxFields, the order is the profiling queue' }),
    hidden: Type.Optional(Type.Record(Type.String({ pattern: ATTRIBUTE_NAME_PATTERN }), Type.String({ maxLength: 500 }), { maxProperties: 20, additionalProperties: false, description: 'Sent with every submission (e.g. campaign); a page may override the value' })),
    thankYou: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })),
    redirectUrl: Type.Optional(Type.String({ format: 'uri', pattern: '^https?://', maxLength: 2000 })),
    maxFields: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, description: 'Progressive profiling: show at most this many fields, skipping those the contact already answered' })),
    submitLabel: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    doubleOptIn: Type.Optional(Type.Boolean({ description: 'Double opt-in: a new subscriber gets marketing email only after confirming by the link emailed to them' })),
  },
  { additionalProperties: false },
);
export type FormInput = Static<typeof FormInput>;

export interface Form extends FormInput {
  id: string;
  createdAt: string;
  updatedAt: string;
}

/**
 * Names the hosted page posts beside the form's own fields (server/routes/form-pages.ts):
 * the visitor id, the fields shown, the page, and the honeypot a bot fills in.
 */
export const HOSTED_PAGE_FIELDS = ['_vid', '_shown', '_page', '_comment'] as const;

/** What a schema cannot check: one email field named email, unique names, options, patterns. */
export function formProblems(form: FormInput): FieldError[] {
  const problems: FieldError[] = [];
  const email = form.fields.findIndex((f) => f.name === 'email');
  if (email < 0 || form.fields[email]!.type !== 'email') problems.push({ path: '/fields', message: 'a form needs a field named "email" of type email: it names the contact' });
  const seen = new Set<string>();
  form.fields.forEach((f, i) => {
    if ((HOSTED_PAGE_FIELDS as readonly string[]).includes(f.name)) problems.push({ path: `/fields/${i}/name`, message: `"${f.name}" is used by the hosted form page itself` });
    if (seen.has(f.name)) problems.push({ path: `/fields/${i}/name`, message: `"${f.name}" is used by an earlier field` });
    seen.add(f.name);
    if (f.type === 'select' && !f.options) problems.push({ path: `/fields/${i}/options`, message: 'a select field needs options' });
    if (f.type !== 'select' && f.options) problems.push({ path: `/fields/${i}/options`, message: 'only select fields have options' });
    if (f.pattern) {
      try {
        new RegExp(f.pattern);
      } catch {
        problems.push({ path: `/fields/${i}/pattern`, message: 'is not a valid regular expression' });
      }
    }
    if (form.hidden && f.name in form.hidden) problems.push({ path: `/hidden/${f.name}`, message: `"${f.name}" is also a visible field` });
  });
  if (form.thankYou && form.redirectUrl) problems.push({ path: '/redirectUrl', message: 'give a thank-you message or a redirect URL, not both' });
  return problems;
}

const answered = (contact: Contact | undefined, name: string) => {
  const v = contact?.attributes[name];
  return v !== undefined && v !== null && v !== '';
};

/**
 * The fields to show this visitor. Without `maxFields`, all. With it, progressive
 * profiling: the email field always (prefilled, so a typo can be corrected), then the
 * fields the contact has not answered yet, in the form's order, up to `maxFields`.
 */
export function fieldsToShow(form: FormInput, contact?: Contact): (FormField & { value?: string })[] {
  const withEmail = (f: FormField) => (f.name === 'email' && contact?.email ? { ...f, value: contact.email } : f);
  if (!form.maxFields) return form.fields.map(withEmail);
  const room = form.maxFields - 1;
  const others = form.fields.filter((f) => f.name !== 'email' && !answered(contact, f.name)).slice(0, Math.max(0, room));
  return form.fields.filter((f) => f.name === 'email' || others.includes(f)).map(withEmail);
}

export interface Submission {
  values: Record<string, unknown>;
  hidden?: Record<string, unknown>;
  /** The field names the visitor was shown (progressive profiling); all fields when absent. */
  shown?: string[];
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const TEL = /^\+?[0-9 ()-]{3,30}$/;
const truthy = (v: unknown) => v === true || v === 'true' || v === 'on' || v === '1';

/**
 * Checks a submission against the form; returns the clean answers (checkboxes as
 * booleans, text trimmed, empty optional answers left out) or the problems, each
 * naming its field as `/values/<name>`.
 */
export function checkSubmission(form: FormInput, s: Submission): { answers: Record<string, string | boolean>; hidden: Record<string, string>; problems: FieldError[] } {
  const problems: FieldError[] = [];
  const answers: Record<string, string | boolean> = {};
  const byName = new Map(form.fields.map((f) => [f.name, f]));
  for (const name of Object.keys(s.values)) {
    if (!byName.has(name)) problems.push({ path: `/values/${name}`, message: 'is not a field of this form' });
  }
  const shown = new Set(s.shown ?? form.fields.map((f) => f.name));
  shown.add('email');
  for (const f of form.fields) {
    if (!shown.has(f.name)) continue;
    const path = `/values/${f.name}`;
    const raw = s.values[f.name];
    if (f.type === 'checkbox') {
      const on = truthy(raw);
      if (f.required && !on) problems.push({ path, message: `${f.label} must be ticked` });
      answers[f.name] = on;
      continue;
    }
    if (raw !== undefined && raw !== null && typeof raw !== 'string') {
      problems.push({ path, message: 'must be text' });
      continue;
    }
    const value = (raw ?? '').trim();
    if (!value) {
      if (f.required || f.name === 'email') problems.push({ path, message: `${f.label} is required` });
      continue;
    }
    if (value.length > 2000) problems.push({ path, message: 'is longer than 2000 characters' });
    else if (f.type === 'email' && !EMAIL.test(value)) problems.push({ path, message: `"${value}" is not an email address` });
    else if (f.type === 'tel' && !TEL.test(value)) problems.push({ path, message: `"${value}" is not a phone number` });
    else if (f.type === 'select' && !f.options!.includes(value)) problems.push({ path, message: `must be one of: ${f.options!.join(', ')}` });
    else if (f.pattern && !new RegExp(`^(?:${f.pattern})$`).test(value)) problems.push({ path, message: f.patternMessage ?? `does not have the expected format` });
    else answers[f.name] = f.name === 'email' ? normaliseEmail(value) : value;
  }
  // Hidden fields: the form's values; a page may override one it declares, nothing else.
  const hidden: Record<string, string> = { ...form.hidden };
  for (const [name, v] of Object.entries(s.hidden ?? {})) {
    if (form.hidden && name in form.hidden && typeof v === 'string') hidden[name] = v.slice(0, 500);
  }
  return { answers, hidden, problems };
}

const toForm = (r: FormRow<FormInput>): Form => ({ ...r.definition, name: r.name, id: r.id, createdAt: r.created_at.toISOString(), updatedAt: r.updated_at.toISOString() });

export async function insertForm(db: Queryable, form: FormInput): Promise<Form> {
  return toForm(await insertFormRow(db, form));
}

export async function updateForm(db: Queryable, id: string, form: FormInput): Promise<Form | undefined> {
  const row = await updateFormRow(db, id, form);
  return row ? toForm(row) : undefined;
}

export async function getForm(db: Queryable, id: string): Promise<Form | undefined> {
  const row = await formRow<FormInput>(db, id);
  return row ? toForm(row) : undefined;
}

export async function listForms(db: Queryable): Promise<Form[]> {
  return (await formRows<FormInput>(db)).map(toForm);
}

export async function archiveForm(db: Queryable, id: string): Promise<boolean> {
  return archiveFormRow(db, id);
}
