// One placeholder: free text with live suggestions from the engine (names, tags, status), or a choice.
import { useEffect, useMemo, useState } from 'react';
import type { Placeholder, Suggestion } from '../../../../main/docker/contract.ts';
import { useApi } from '../../api/context.tsx';

interface Props {
  placeholder: Placeholder;
  value: string;
  missing: boolean;
  /** Bumped by engine events so container lists stay live. */
  refresh: number;
  autoFocus: boolean;
  onChange(value: string): void;
  /** Enter: this field is settled (with this value); the form moves on to the next empty field, or runs. */
  onSubmit(value: string): void;
}

const kindLabel: Record<Placeholder['kind'], string> = {
  container: 'container',
  image: 'image',
  volume: 'volume',
  network: 'network',
  context: 'docker context',
  path: 'path',
  port: 'port',
  choice: 'choice',
  text: 'text',
};

export function PlaceholderField({ placeholder, value, missing, refresh, autoFocus, onChange, onSubmit }: Props) {
  const api = useApi();
  const [suggestions, setSuggestions] = useState<Suggestion[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const [open, setOpen] = useState(false);
  const [highlight, setHighlight] = useState(0);
  const id = `ph-${placeholder.name}`;

  useEffect(() => {
    let live = true;
    api.docker
      .suggest({
        kind: placeholder.kind,
        ...(placeholder.state ? { state: placeholder.state } : {}),
        ...(placeholder.choices ? { choices: placeholder.choices } : {}),
      })
      .then(
        (list) => live && (setSuggestions(list), setProblem(null)),
        (error: { message?: string }) => live && (setSuggestions([]), setProblem(error.message ?? 'no suggestions')),
      );
    return () => {
      live = false;
    };
  }, [api, placeholder, refresh]);

  const shown = useMemo(() => {
    const typed = value.trim().toLowerCase();
    const matching =
      typed && !suggestions.some((s) => s.value === value)
        ? suggestions.filter((s) => `${s.label} ${s.detail}`.toLowerCase().includes(typed))
        : suggestions;
    return matching.slice(0, 8);
  }, [suggestions, value]);

  const pick = (s: Suggestion) => {
    onChange(s.value);
    setOpen(false);
  };

  return (
    <div className={missing ? 'field missing' : 'field'} data-placeholder={placeholder.name}>
      <label htmlFor={id}>
        <span className="field-name mono">&lt;{placeholder.name}&gt;</span>
        <span className="muted small">
          {kindLabel[placeholder.kind]}
          {placeholder.kind === 'container' ? ` · ${placeholder.state === 'running' ? 'running' : 'any'}` : ''}
          {placeholder.description ? ` — ${placeholder.description}` : ''}
        </span>
      </label>
      <div className="field-input">
        <input
          id={id}
          className="input mono"
          value={value}
          autoFocus={autoFocus}
          autoComplete="off"
          spellCheck={false}
          placeholder={placeholder.default ?? (suggestions[0] ? suggestions[0].value : '')}
          role="combobox"
          aria-expanded={open && shown.length > 0}
          aria-controls={`${id}-list`}
          onFocus={() => setOpen(true)}
          onBlur={() => setTimeout(() => setOpen(false), 120)}
          onChange={(e) => {
            onChange(e.target.value);
            setOpen(true);
            setHighlight(0);
          }}
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown') {
              e.preventDefault();
              setOpen(true);
              setHighlight((h) => Math.min(h + 1, shown.length - 1));
            } else if (e.key === 'ArrowUp') {
              e.preventDefault();
              setHighlight((h) => Math.max(h - 1, 0));
            } else if (e.key === 'Escape') setOpen(false);
            else if (e.key === 'Enter' && !e.ctrlKey && !e.metaKey) {
              e.preventDefault();
              const chosen = open && shown[highlight] ? shown[highlight] : !value && !placeholder.default ? shown[0] : undefined;
              if (chosen) pick(chosen);
              setOpen(false);
              onSubmit(chosen ? chosen.value : value);
            }
          }}
        />
        {open && shown.length > 0 && (
          <ul className="suggestions" role="listbox" id={`${id}-list`}>
            {shown.map((s, i) => (
              <li
                key={`${s.value}-${i}`}
                role="option"
                aria-selected={i === highlight}
                className={i === highlight ? 'active' : ''}
                onMouseDown={(e) => (e.preventDefault(), pick(s))}
              >
                <span className="mono">{s.label}</span>
                <span className="muted small ellipsis">{s.detail}</span>
              </li>
            ))}
          </ul>
        )}
      </div>
      {problem && ['container', 'image', 'volume', 'network'].includes(placeholder.kind) && (
        <p className="muted small">No live values: {problem}</p>
      )}
    </div>
  );
}
