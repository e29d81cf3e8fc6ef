// Comments on a program or one node: threads, replies, @mentions picked from the team
// (each gets an email), deleting your own. A viewer reads them; writing is for those
// who may change the program.
import { useRef, useState } from 'react';
import { api, ApiError, session, type CommentsAnswer, type ProgramComment } from '../api.js';
import { mentionQuery, mentionsIn, threadsOf } from '../model/comments.js';
import { ago, precise } from './format.js';
import { useToast } from './toast.js';
import { useCaretAfterChange } from './caret.js';

interface Props {
  programId: string;
  /** null: the program as a whole. */
  nodeId: string | null;
  data: CommentsAnswer;
  onChanged: () => void;
}

export function CommentThreads({ programId, nodeId, data, onChanged }: Props) {
  const threads = threadsOf(data.comments, nodeId);
  const [replyTo, setReplyTo] = useState<string | null>(null);
  const toast = useToast();
  const me = session.person();
  const remove = async (c: ProgramComment) => {
    try { await api('DELETE', `/api/flows/${programId}/comments/${c.id}`); onChanged(); } catch (e) { toast((e as Error).message, 'error'); }
  };
  const line = (c: ProgramComment) => (
    <div className="comment" data-testid="comment" key={c.id}>
      <div className="comment-head">
        <strong>{c.author.name}</strong> <time className="muted small" title={precise(c.createdAt)}>{ago(c.createdAt)}</time>
        {!c.deletedAt && (me ? c.author.kind === 'user' && c.author.id === me.id : false) && <button className="link small comment-delete" onClick={() => void remove(c)}>Delete</button>}
      </div>
      {c.deletedAt ? <p className="muted small">This comment was deleted.</p> : <p className="comment-body">{c.body}</p>}
    </div>
  );
  return (
    <section className="comments" aria-label={nodeId ? 'Comments on this node' : 'Comments on the program'}>
      <h3>Comments {threads.length > 0 && <span className="muted">({threads.length})</span>}</h3>
      {threads.length === 0 && <p className="muted small">No comments yet.</p>}
      {threads.map((t) => (
        <div className="thread" key={t.first.id} data-testid="thread">
          {line(t.first)}
          {t.replies.length > 0 && <div className="replies">{t.replies.map(line)}</div>}
          {session.may('write') && (replyTo === t.first.id
            ? <Composer programId={programId} nodeId={nodeId} threadId={t.first.id} data={data} placeholder="Reply…" onDone={() => { setReplyTo(null); onChanged(); }} onCancel={() => setReplyTo(null)} />
            : <button className="link small" onClick={() => setReplyTo(t.first.id)}>Reply</button>)}
        </div>
      ))}
      {session.may('write')
        ? <Composer programId={programId} nodeId={nodeId} threadId={null} data={data} placeholder={nodeId ? 'Comment on this node… (@ to mention someone)' : 'Comment on the program… (@ to mention someone)'} onDone={onChanged} />
        : <p className="muted small">A {session.person()?.role ?? 'viewer'} reads comments; writing them is for those who build programs.</p>}
    </section>
  );
}

function Composer({ programId, nodeId, threadId, data, placeholder, onDone, onCancel }: {
  programId: string; nodeId: string | null; threadId: string | null; data: CommentsAnswer; placeholder: string; onDone: () => void; onCancel?: () => void;
}) {
  const [body, setBody] = useState('');
  const [picked, setPicked] = useState<{ id: string; name: string }[]>([]);
  const [cursor, setCursor] = useState(0);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const field = useRef<HTMLTextAreaElement>(null);
  const placeCaret = useCaretAfterChange(field, body);
  const query = mentionQuery(body, cursor);
  const matches = query === undefined ? [] : data.mentionable.filter((p) => p.name.toLowerCase().includes(query.toLowerCase())).slice(0, 6);

  const pick = (p: { id: string; name: string }) => {
    const before = body.slice(0, cursor).replace(/@[^\s@]*$/, `@${p.name} `);
    const next = before + body.slice(cursor);
    setBody(next);
    setPicked((old) => [...old, p]);
    setCursor(before.length);
    placeCaret(before.length);
  };
  const send = async () => {
    if (!body.trim()) return;
    setBusy(true);
    setError('');
    try {
      await api('POST', `/api/flows/${programId}/comments`, { body, ...(nodeId && !threadId ? { nodeId } : {}), ...(threadId ? { threadId } : {}), mentions: mentionsIn(body, picked) });
      setBody('');
      setPicked([]);
      onDone();
    } catch (e) {
      setError(e instanceof ApiError ? e.problems.map((p) => p.message).join('; ') || e.title : (e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="composer">
      <textarea ref={field} rows={2} value={body} placeholder={placeholder} aria-label={threadId ? 'Reply' : 'New comment'} maxLength={4000}
        onChange={(e) => { setBody(e.target.value); setCursor(e.target.selectionStart); }}
        onSelect={(e) => setCursor(e.currentTarget.selectionStart)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && matches.length && query !== undefined) { e.preventDefault(); pick(matches[0]!); }
          else if (e.key === 'Enter' && (e.metaKey || e.ctrlKey)) { e.preventDefault(); void send(); }
          else if (e.key === 'Escape' && onCancel) onCancel();
        }} />
      {matches.length > 0 && (
        <ul className="mention-list" role="listbox" aria-label="Mention someone">
          {matches.map((p) => <li key={p.id} role="option" aria-selected={false}><button type="button" className="link" onMouseDown={(e) => { e.preventDefault(); pick(p); }}>@{p.name}</button></li>)}
        </ul>
      )}
      {error && <p className="error small" role="alert">{error}</p>}
      <div className="composer-actions">
        {onCancel && <button onClick={onCancel}>Cancel</button>}
        <button className="primary" disabled={busy || !body.trim()} onClick={() => void send()}>{threadId ? 'Reply' : 'Comment'}</button>
      </div>
    </div>
  );
}
