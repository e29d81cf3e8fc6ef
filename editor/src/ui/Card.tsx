// A figure with its label (and a note under it) for the dashboard and a program's results.
export function Card({ label, value, note, testId }: { label: string; value: string; note?: string; testId: string }) {
  return (
    <div className="card" data-testid={testId}>
      <div className="card-label">{label}</div>
      <div className="card-value">{value}</div>
      {note && <div className="muted small">{note}</div>}
    </div>
  );
}
