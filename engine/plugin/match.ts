// Whether an incoming event is the one a waiting contact waits for. Pure: it runs
// inside the workflow.
import { evaluate, readPath } from './conditions.js';
import type { EventMatch } from './index.js';

/** The event as signalled to a running enrollment. */
export interface SignalledEvent {
  id: string;
  type: string;
  properties: Record<string, unknown>;
  occurredAt: string;
}

export function matchesEvent(match: EventMatch, event: SignalledEvent): boolean {
  if (event.type !== match.type) return false;
  if (match.correlate && String(readPath(event, match.correlate.path) ?? '') !== match.correlate.value) return false;
  return !match.where || evaluate(match.where, { event });
}
