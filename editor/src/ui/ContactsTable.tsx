// The contacts list's table with the columns a person chooses: the contact's fields and
// any attribute this Tend's data holds (from the catalogue), kept in this browser.
// @tanstack/react-table owns the columns and their visibility; the server owns the rows
// (a page at a time), so the table does no sorting or paging of its own.
import { useMemo, useState } from 'react';
import { columnVisibilityFeature, createColumnHelper, tableFeatures, useTable, type ColumnVisibilityState } from '@tanstack/react-table';
import type { Contact } from '../api.js';
import { formatValue } from '../model/summary.js';
import { linkTo } from '../router.js';
import { ago, when } from './format.js';
import { useCatalogue } from './useCatalogue.js';

const features = tableFeatures({ columnVisibilityFeature });
const helper = createColumnHelper<typeof features, Contact>();
const STORED = 'tend.contacts.columns';
/** Shown until a person chooses otherwise. */
const DEFAULT_VISIBLE: ColumnVisibilityState = { email: true, externalId: true, score: true, tags: true, createdAt: true, phone: false, timezone: false };

const baseColumns = [
  helper.accessor((c) => c.email, {
    id: 'email', header: 'Email', enableHiding: false,
    cell: (info) => <a href={`/contacts/${info.row.original.id}`} onClick={linkTo(`/contacts/${info.row.original.id}`)}>{info.getValue() ?? <span className="muted">(no email)</span>}</a>,
  }),
  helper.accessor((c) => c.externalId, { id: 'externalId', header: 'External id', cell: (info) => info.getValue() ?? '—' }),
  helper.accessor((c) => c.score, { id: 'score', header: 'Score', meta: { numeric: true } }),
  helper.accessor((c) => c.tags, { id: 'tags', header: 'Tags', cell: (info) => info.getValue().map((t) => <span key={t} className="pill">{t}</span>) }),
  helper.accessor((c) => c.phone ?? null, { id: 'phone', header: 'Phone', cell: (info) => info.getValue() ?? '—' }),
  helper.accessor((c) => c.timezone ?? null, { id: 'timezone', header: 'Time zone', cell: (info) => info.getValue() ?? '—' }),
  helper.accessor((c) => c.createdAt, { id: 'createdAt', header: 'Created', cell: (info) => <span title={when(info.getValue())}>{ago(info.getValue())}</span> }),
];

function storedVisibility(): ColumnVisibilityState {
  try {
    const saved = JSON.parse(localStorage.getItem(STORED) ?? 'null') as unknown;
    return saved && typeof saved === 'object' && !Array.isArray(saved) ? { ...DEFAULT_VISIBLE, ...(saved as ColumnVisibilityState) } : DEFAULT_VISIBLE;
  } catch {
    return DEFAULT_VISIBLE;
  }
}

export function ContactsTable({ contacts }: { contacts: Contact[] }) {
  const catalogue = useCatalogue();
  const attributes = useMemo(() => (catalogue?.attributes ?? []).map((a) => a.path.slice('contact.attributes.'.length)).sort(), [catalogue]);
  const columns = useMemo(() => helper.columns([
    ...baseColumns,
    // Attribute columns start hidden: there may be dozens.
    ...attributes.map((name) => helper.accessor((c) => c.attributes[name], { id: `attr:${name}`, header: name, cell: (info) => formatValue(info.getValue()) || '—' })),
  ]), [attributes]);
  const [columnVisibility, setColumnVisibility] = useState<ColumnVisibilityState>(storedVisibility);
  const table = useTable({
    features, columns, data: contacts, getRowId: (c) => c.id,
    state: { columnVisibility: { ...Object.fromEntries(attributes.map((a) => [`attr:${a}`, false])), ...columnVisibility } },
    onColumnVisibilityChange: (updater) => setColumnVisibility((before) => {
      const next = typeof updater === 'function' ? updater(before) : updater;
      localStorage.setItem(STORED, JSON.stringify(next));
      return next;
    }),
  });

  return (
    <>
      <details className="columns-menu">
        <summary>Columns</summary>
        <fieldset aria-label="Columns shown">
          {table.getAllLeafColumns().filter((c) => c.getCanHide()).map((c) => (
            <label key={c.id} className="check"><input type="checkbox" checked={c.getIsVisible()} onChange={(e) => c.toggleVisibility(e.target.checked)} /> {String(c.columnDef.header)}{c.id.startsWith('attr:') ? <span className="muted small"> attribute</span> : null}</label>
          ))}
        </fieldset>
      </details>
      <table className="table" aria-label="Contacts">
        <thead>
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id}>{group.headers.map((h) => <th key={h.id} className={(h.column.columnDef.meta as { numeric?: boolean } | undefined)?.numeric ? 'num' : undefined}>{h.isPlaceholder ? null : <table.FlexRender header={h} />}</th>)}</tr>
          ))}
        </thead>
        <tbody>
          {table.getRowModel().rows.map((row) => (
            <tr key={row.id} data-testid="contact-row">
              {row.getVisibleCells().map((cell) => <td key={cell.id} className={(cell.column.columnDef.meta as { numeric?: boolean } | undefined)?.numeric ? 'num' : undefined}><table.FlexRender cell={cell} /></td>)}
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
