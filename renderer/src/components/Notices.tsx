// The error surface: service errors as readable notices (title, what happened, what to do), dismissable.
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import type { ServiceError } from '../../../main/contract/errors.ts';
import { errorTitle } from '../api/errors.ts';

interface Notice {
  id: number;
  title: string;
  message: string;
  hint?: string;
  tone: 'error' | 'info';
}

interface Notices {
  showError(error: ServiceError, context?: string): void;
  showInfo(message: string): void;
}

const NoticeContext = createContext<Notices | null>(null);

export function useNotices(): Notices {
  const notices = useContext(NoticeContext);
  if (!notices) throw new Error('useNotices outside <NoticeProvider>');
  return notices;
}

let nextId = 1;

export function NoticeProvider({ children }: { children: ReactNode }) {
  const [items, setItems] = useState<Notice[]>([]);
  const dismiss = useCallback((id: number) => setItems((list) => list.filter((n) => n.id !== id)), []);
  const push = useCallback(
    (notice: Omit<Notice, 'id'>, ttlMs: number | null) => {
      const id = nextId++;
      // The same problem reported twice (a retry that fails the same way) shows once, as the newest.
      const same = (n: Notice) => n.title === notice.title && n.message === notice.message;
      setItems((list) => [...list.filter((n) => !same(n)).slice(-3), { ...notice, id }]);
      if (ttlMs) setTimeout(() => dismiss(id), ttlMs);
    },
    [dismiss],
  );
  const api = useMemo<Notices>(
    () => ({
      showError: (error, context) =>
        push(
          {
            tone: 'error',
            title: context ? `${context} — ${errorTitle[error.code]}` : errorTitle[error.code],
            message: error.message,
            ...(error.hint ? { hint: error.hint } : {}),
          },
          null,
        ),
      showInfo: (message) => push({ tone: 'info', title: message, message: '' }, 2500),
    }),
    [push],
  );
  return (
    <NoticeContext.Provider value={api}>
      {children}
      <div className="notices" aria-live="polite">
        {items.map((n) => (
          <div key={n.id} className={`notice notice-${n.tone}`} role={n.tone === 'error' ? 'alert' : 'status'}>
            <div className="notice-body">
              <strong>{n.title}</strong>
              {n.message && <p>{n.message}</p>}
              {n.hint && <p className="notice-hint">{n.hint}</p>}
            </div>
            <button type="button" className="icon-button" aria-label="Dismiss" onClick={() => dismiss(n.id)}>
              ×
            </button>
          </div>
        ))}
      </div>
    </NoticeContext.Provider>
  );
}
