// Add or edit one of your own cheats (saved as a file under $LANYARD_HOME/cheats), or import navi / tldr files.
import { useMemo, useState } from 'react';
import { placeholderKind, templatePlaceholders, type CheatFileEntry, type Placeholder } from '../../../../main/docker/contract.ts';
import type { Cheat } from '../../../../main/docker/contract.ts';
import { asServiceError } from '../../api/connect.ts';
import { useApi } from '../../api/context.tsx';
import { useNotices } from '../../components/Notices.tsx';

interface Props {
  /** The cheat to edit (a built-in one is saved as a copy), or null for a new one. */
  from: Cheat | null;
  onSaved(id: string): void;
  onClose(): void;
}

const blank: CheatFileEntry = { id: '', title: '', description: '', tags: [], template: 'docker ', placeholders: [], danger: false };

function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9.-]+/g, '-')
    .replace(/^[^a-z0-9]+|-+$/g, '');
}

export function CheatEditor({ from, onSaved, onClose }: Props) {
  const api = useApi();
  const notices = useNotices();
  const copying = from?.source === 'builtin';
  const [entry, setEntry] = useState<CheatFileEntry>(() => {
    if (!from) return blank;
    const { source: _source, file: _file, ...rest } = from;
    return copying ? { ...rest, id: `my-${from.id}` } : rest;
  });
  const [tags, setTags] = useState(entry.tags.join(', '));
  const [saving, setSaving] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  // The placeholders follow the template: new names appear (as text), removed ones go, settings are kept.
  const placeholders = useMemo<Placeholder[]>(
    () => templatePlaceholders(entry.template).map((name) => entry.placeholders.find((p) => p.name === name) ?? { name, kind: 'text' }),
    [entry.template, entry.placeholders],
  );
  const setPlaceholder = (name: string, change: Partial<Placeholder>) =>
    setEntry((e) => ({ ...e, placeholders: placeholders.map((p) => (p.name === name ? { ...p, ...change } : p)) }));

  const save = () => {
    setSaving(true);
    setProblem(null);
    const cheat: CheatFileEntry = {
      ...entry,
      id: entry.id || slug(entry.title),
      tags: tags
        .split(',')
        .map((t) => t.trim())
        .filter(Boolean),
      placeholders,
    };
    api.docker
      .saveCheat({ cheat })
      .then(
        (saved) => {
          notices.showInfo(`Saved ${saved.file ?? saved.id}`);
          onSaved(saved.id);
        },
        (error: unknown) => setProblem(asServiceError(error).message),
      )
      .finally(() => setSaving(false));
  };

  return (
    <form
      className="cheat-form card cheat-editor"
      aria-label={from ? `Edit ${from.title}` : 'New cheat'}
      onSubmit={(e) => {
        e.preventDefault();
        save();
      }}
    >
      <header className="log-header">
        <h1>{from ? (copying ? `Copy of “${from.title}”` : `Edit “${from.title}”`) : 'New cheat'}</h1>
        <button type="button" className="icon-button" aria-label="Close the editor" onClick={onClose}>
          ×
        </button>
      </header>
      <div className="editor-grid">
        <label>
          Title
          <input className="input" required value={entry.title} onChange={(e) => setEntry({ ...entry, title: e.target.value })} autoFocus />
        </label>
        <label>
          Id
          <input
            className="input mono"
            value={entry.id}
            placeholder={slug(entry.title) || 'my-cheat'}
            readOnly={!!from && !copying}
            onChange={(e) => setEntry({ ...entry, id: e.target.value })}
          />
        </label>
        <label className="wide">
          Description
          <input className="input" value={entry.description} onChange={(e) => setEntry({ ...entry, description: e.target.value })} />
        </label>
        <label className="wide">
          Command, with &lt;placeholders&gt; (never inside quotes: Lanyard quotes each value)
          <input
            className="input mono"
            required
            value={entry.template}
            onChange={(e) => setEntry({ ...entry, template: e.target.value })}
            spellCheck={false}
          />
        </label>
        <label>
          Tags
          <input className="input" value={tags} placeholder="container, logs" onChange={(e) => setTags(e.target.value)} />
        </label>
        <label className="checkbox">
          <input type="checkbox" checked={entry.danger} onChange={(e) => setEntry({ ...entry, danger: e.target.checked })} /> Deletes or
          stops things (ask before running)
        </label>
      </div>
      {placeholders.length > 0 && (
        <table className="tools placeholder-table">
          <thead>
            <tr>
              <th>Placeholder</th>
              <th>Kind</th>
              <th>Default</th>
              <th>Choices / description</th>
            </tr>
          </thead>
          <tbody>
            {placeholders.map((p) => (
              <tr key={p.name}>
                <td className="mono">&lt;{p.name}&gt;</td>
                <td>
                  <select
                    aria-label={`Kind of ${p.name}`}
                    value={p.kind === 'container' ? `container:${p.state ?? 'any'}` : p.kind}
                    onChange={(e) => {
                      const [kind, state] = e.target.value.split(':') as [Placeholder['kind'], 'running' | 'any' | undefined];
                      const { state: _old, ...rest } = p;
                      setPlaceholder(p.name, state ? { ...rest, kind, state } : { ...rest, kind });
                    }}
                  >
                    {placeholderKind.options.flatMap((kind) =>
                      kind === 'container'
                        ? [
                            <option key="cr" value="container:running">
                              container (running)
                            </option>,
                            <option key="ca" value="container:any">
                              container (any)
                            </option>,
                          ]
                        : [
                            <option key={kind} value={kind}>
                              {kind}
                            </option>,
                          ],
                    )}
                  </select>
                </td>
                <td>
                  <input
                    className="input mono"
                    aria-label={`Default of ${p.name}`}
                    value={p.default ?? ''}
                    onChange={(e) => setPlaceholder(p.name, { default: e.target.value || undefined })}
                  />
                </td>
                <td>
                  {p.kind === 'choice' ? (
                    <input
                      className="input mono"
                      aria-label={`Choices of ${p.name}`}
                      placeholder="sh, bash, ash"
                      value={(p.choices ?? []).join(', ')}
                      onChange={(e) =>
                        setPlaceholder(p.name, {
                          choices: e.target.value
                            .split(',')
                            .map((c) => c.trim())
                            .filter(Boolean),
                        })
                      }
                    />
                  ) : (
                    <input
                      className="input"
                      aria-label={`Description of ${p.name}`}
                      value={p.description ?? ''}
                      onChange={(e) => setPlaceholder(p.name, { description: e.target.value || undefined })}
                    />
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {problem && <p className="field-error">{problem}</p>}
      <div className="view-actions">
        <button type="submit" className="button primary" disabled={saving || !entry.title}>
          {saving ? 'Saving…' : 'Save to my cheats'}
        </button>
        <button type="button" className="button" onClick={onClose}>
          Cancel
        </button>
      </div>
    </form>
  );
}

export function CheatImport({ onImported, onClose }: { onImported(): void; onClose(): void }) {
  const api = useApi();
  const notices = useNotices();
  const [format, setFormat] = useState<'navi' | 'tldr'>('navi');
  const [from, setFrom] = useState('');
  const [result, setResult] = useState<{ imported: string[]; skipped: string[] } | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <form
      className="cheat-form card"
      aria-label="Import cheats"
      onSubmit={(e) => {
        e.preventDefault();
        setBusy(true);
        api.docker
          .import({ format, path: from })
          .then(
            (r) => {
              setResult(r);
              onImported();
            },
            (error: unknown) => notices.showError(asServiceError(error), 'Import'),
          )
          .finally(() => setBusy(false));
      }}
    >
      <header className="log-header">
        <h1>Import cheats</h1>
        <button type="button" className="icon-button" aria-label="Close import" onClick={onClose}>
          ×
        </button>
      </header>
      <p className="muted">
        navi <code>.cheat</code> files (placeholders filled by a docker listing become typed), or tldr pages (<code>.md</code>, credited:
        tldr-pages, CC BY 4.0), from a file or a folder on this machine.
      </p>
      <div className="editor-grid">
        <label>
          Format
          <select value={format} onChange={(e) => setFormat(e.target.value as 'navi' | 'tldr')}>
            <option value="navi">navi .cheat</option>
            <option value="tldr">tldr pages</option>
          </select>
        </label>
        <label className="wide">
          File or folder
          <input
            className="input mono"
            required
            value={from}
            placeholder={format === 'navi' ? '~/.local/share/navi/cheats' : '~/tldr/pages/common'}
            onChange={(e) => setFrom(e.target.value)}
          />
        </label>
      </div>
      <div className="view-actions">
        <button type="submit" className="button primary" disabled={busy || !from}>
          {busy ? 'Importing…' : 'Import'}
        </button>
      </div>
      {result && (
        <p role="status">
          Imported {result.imported.length} cheat{result.imported.length === 1 ? '' : 's'}
          {result.skipped.length > 0 && (
            <span className="muted" title={result.skipped.join('\n')}>
              {' '}
              · skipped {result.skipped.length} that would put a value inside quotes
            </span>
          )}
        </p>
      )}
    </form>
  );
}
