// A cheat being filled in: its placeholders with live suggestions, the command previewed as you type
// (editable), then run in a terminal tab or copied. Dangerous cheats ask first.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Cheat } from '../../../../main/docker/contract.ts';
import { asServiceError } from '../../api/connect.ts';
import { useApi } from '../../api/context.tsx';
import { useNotices } from '../../components/Notices.tsx';
import type { ConfirmRequest } from './ConfirmDialog.tsx';
import { PlaceholderField } from './PlaceholderField.tsx';

interface Props {
  cheatId: string;
  refresh: number;
  /** The user chose this cheat (Enter, double-click): put the cursor in its first field. */
  focusFirst: boolean;
  onRun(run: { id: string; values: Record<string, string>; command?: string; confirmed: boolean }): void;
  confirm(request: ConfirmRequest): void;
  onEdit(cheat: Cheat): void;
  onDeleted(): void;
}

export function CheatForm({ cheatId, refresh, focusFirst, onRun, confirm, onEdit, onDeleted }: Props) {
  const api = useApi();
  const notices = useNotices();
  const [cheat, setCheat] = useState<Cheat | null>(null);
  const [values, setValues] = useState<Record<string, string>>({});
  const [preview, setPreview] = useState('');
  const [missing, setMissing] = useState<string[]>([]);
  const [edited, setEdited] = useState(false);
  const [invalid, setInvalid] = useState<string | null>(null);
  const formRef = useRef<HTMLFormElement>(null);

  useEffect(() => {
    let live = true;
    setCheat(null);
    setEdited(false);
    api.docker.cheat({ id: cheatId }).then(
      ({ cheat: loaded, lastUsed }) => {
        if (!live) return;
        setCheat(loaded);
        setValues(lastUsed);
      },
      (error: unknown) => notices.showError(asServiceError(error), 'Loading the cheat'),
    );
    return () => {
      live = false;
    };
  }, [api, cheatId, notices]);

  // The preview follows the values until the user edits it by hand.
  useEffect(() => {
    if (!cheat || edited) return;
    let live = true;
    api.docker.render({ id: cheat.id, values }).then(
      (rendered) => {
        if (!live) return;
        setPreview(rendered.command);
        setMissing(rendered.missing);
        setInvalid(null);
      },
      (error: unknown) => live && setInvalid(asServiceError(error).message),
    );
    return () => {
      live = false;
    };
  }, [api, cheat, values, edited]);

  const run = useCallback(
    (override?: Record<string, string>) => {
      if (!cheat) return;
      const all = { ...values, ...override };
      const stillMissing = edited ? [] : missing.filter((name) => !all[name]);
      if (stillMissing.length > 0) {
        formRef.current?.querySelector<HTMLInputElement>(`[data-placeholder="${stillMissing[0]}"] input`)?.focus();
        return;
      }
      const start = (confirmed: boolean) => onRun({ id: cheat.id, values: all, ...(edited ? { command: preview } : {}), confirmed });
      if (!cheat.danger) return start(false);
      // Re-render with the final values so the dialog shows exactly what runs.
      void api.docker
        .render({ id: cheat.id, values: all })
        .then((rendered) =>
          confirm({ title: cheat.title, command: edited ? preview : rendered.command, action: 'Run it', onConfirm: () => start(true) }),
        );
    },
    [api, cheat, values, missing, edited, preview, onRun, confirm],
  );

  if (!cheat) return <div className="cheat-form card muted">Loading…</div>;

  const copy = () => void navigator.clipboard?.writeText(preview).then(() => notices.showInfo('Command copied'));

  return (
    <form
      ref={formRef}
      className="cheat-form card"
      aria-label={cheat.title}
      onSubmit={(e) => {
        e.preventDefault();
        run();
      }}
      onKeyDown={(e) => {
        if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
          e.preventDefault();
          run();
        }
      }}
    >
      <header>
        <h1>
          {cheat.title} {cheat.danger && <span className="badge badge-error">asks first</span>}
        </h1>
        <p className="muted">{cheat.description}</p>
        <p className="muted small">
          <code>{cheat.template}</code> · {cheat.tags.join(', ')}
          {cheat.credit ? ` · ${cheat.credit}` : ''}
          <button type="button" className="link-button" onClick={() => onEdit(cheat)}>
            {cheat.source === 'builtin' ? 'Copy to my cheats' : 'Edit'}
          </button>
          {cheat.file && (
            <button
              type="button"
              className="link-button danger-text"
              onClick={() =>
                confirm({
                  title: `Delete “${cheat.title}”?`,
                  lead: 'This removes the cheat from its file:',
                  command: cheat.file!,
                  action: 'Delete',
                  onConfirm: () =>
                    void api.docker
                      .deleteCheat({ id: cheat.id })
                      .then(onDeleted, (error: unknown) => notices.showError(asServiceError(error), 'Deleting the cheat')),
                })
              }
            >
              Delete
            </button>
          )}
        </p>
      </header>
      {cheat.placeholders.map((p, index) => (
        <PlaceholderField
          key={`${cheat.id}-${p.name}`}
          placeholder={p}
          value={values[p.name] ?? ''}
          missing={missing.includes(p.name) && !values[p.name]}
          refresh={refresh}
          autoFocus={focusFirst && index === 0}
          onChange={(value) => {
            setEdited(false);
            setValues((v) => ({ ...v, [p.name]: value }));
          }}
          onSubmit={(value) => {
            const next = cheat.placeholders.slice(index + 1).find((q) => !values[q.name] && q.default === undefined);
            if (next) formRef.current?.querySelector<HTMLInputElement>(`[data-placeholder="${next.name}"] input`)?.focus();
            else run({ [p.name]: value });
          }}
        />
      ))}
      <div className="field">
        <label htmlFor="command-preview">
          <span className="field-name">Command</span>
          <span className="muted small">{edited ? 'edited by hand — ' : 'quoted for your shell; edit it if you like'}</span>
          {edited && (
            <button type="button" className="link-button" onClick={() => setEdited(false)}>
              reset
            </button>
          )}
        </label>
        <textarea
          id="command-preview"
          className="input mono command-preview"
          rows={Math.min(4, Math.max(1, Math.ceil(preview.length / 90)))}
          spellCheck={false}
          value={preview}
          onChange={(e) => {
            setEdited(true);
            setPreview(e.target.value);
          }}
        />
        {invalid && <p className="field-error">{invalid}</p>}
        {!edited && missing.length > 0 && <p className="muted small">Still to fill: {missing.map((m) => `<${m}>`).join(', ')}</p>}
      </div>
      <div className="view-actions">
        <button
          type="submit"
          className={cheat.danger ? 'button danger' : 'button primary'}
          disabled={!!invalid || (!edited && missing.length > 0)}
        >
          Run in terminal <kbd>Ctrl+Enter</kbd>
        </button>
        <button type="button" className="button" onClick={copy} disabled={!preview}>
          Copy
        </button>
      </div>
    </form>
  );
}
