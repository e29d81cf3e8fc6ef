// Templates are written by marketers and fed contact data from anyone: they cannot
// reach prototypes or the process, and contact data is escaped in HTML.
import { expect, test } from 'vitest';
import { createRenderer } from './templates.js';

const render = createRenderer();
const scope = { contact: { email: 'a@example.com', attributes: { name: '<img src=x onerror=alert(1)>', note: '{{constructor}}' } } };

test.each([
  '{{constructor}}',
  '{{constructor.constructor}}',
  '{{contact.constructor.constructor "return process"}}',
  '{{#with contact}}{{__proto__}}{{/with}}',
  '{{lookup contact "constructor"}}',
  '{{lookup (lookup contact "constructor") "constructor"}}',
  '{{contact.__proto__.polluted}}',
])('%s renders nothing from prototypes', (template) => {
  let out = '';
  try {
    out = render(template, scope);
  } catch (err) {
    // Refusing to render is as good as rendering nothing.
    expect(String(err)).not.toMatch(/process|function/i);
  }
  expect(out).not.toMatch(/function|native code|\[object/i);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
});

test('contact data is escaped in HTML and never evaluated as a template', () => {
  const html = render('<p>Hi {{contact.attributes.name}} {{contact.attributes.note}}</p>', scope);
  expect(html).toBe('<p>Hi &lt;img src&#x3D;x onerror&#x3D;alert(1)&gt; {{constructor}}</p>');
  expect(render('{{contact.attributes.name}}', scope, { escape: false })).toBe('<img src=x onerror=alert(1)>'); // plain text parts (subjects, JSON bodies) are not HTML
});

test('a JSON webhook body written naturally renders to JSON ("}}}" after a value closes the object)', async () => {
  const { separateClosingBraces } = await import('./templates.js');
  const out = createRenderer()('{"score":{{contact.score}},"who":{"email":"{{contact.email}}","tier":{{json contact.tier}}}}', { contact: { score: 42, email: 'a@example.com', tier: 'gold' } }, { escape: false });
  expect(JSON.parse(out)).toEqual({ score: 42, who: { email: 'a@example.com', tier: 'gold' } });
  expect(separateClosingBraces('{{{raw}}} {{x}}}')).toBe('{{{raw}}} {{x}} }');
});
