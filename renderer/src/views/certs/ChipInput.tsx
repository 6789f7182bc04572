// A list of values typed as chips: Enter, space, comma or paste adds; Backspace on an empty field removes the last.
import { useState, type ClipboardEvent, type KeyboardEvent } from 'react';

export interface Chip {
  value: string;
  /** Shown under the chip's text on hover; marks the chip invalid when set. */
  error?: string | null;
  /** Shown instead of the typed value (e.g. the ASCII form of an IDN). */
  display?: string;
  selected?: boolean;
}

export function ChipInput({
  id,
  chips,
  onAdd,
  onRemove,
  onToggle,
  placeholder,
  label,
}: {
  id: string;
  chips: Chip[];
  onAdd(values: string[]): void;
  onRemove(value: string): void;
  onToggle?(value: string): void;
  placeholder: string;
  label: string;
}) {
  const [draft, setDraft] = useState('');
  const commit = (text: string) => {
    const values = text
      .split(/[\s,]+/)
      .map((v) => v.trim())
      .filter(Boolean);
    if (values.length > 0) onAdd(values);
    setDraft('');
  };
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter' || e.key === ',' || e.key === ' ') {
      if (draft.trim()) {
        e.preventDefault();
        commit(draft);
      } else if (e.key !== 'Enter') e.preventDefault();
    } else if (e.key === 'Backspace' && draft === '' && chips.length > 0) onRemove(chips[chips.length - 1]!.value);
  };
  const onPaste = (e: ClipboardEvent<HTMLInputElement>) => {
    e.preventDefault();
    commit(draft + e.clipboardData.getData('text'));
  };
  return (
    <div className="chip-input" onClick={(e) => (e.currentTarget.querySelector('input') as HTMLInputElement | null)?.focus()}>
      {chips.map((c) => (
        <span
          key={c.value}
          className={`chip${c.error ? ' chip-bad' : ''}${c.selected === false ? ' chip-off' : ''}`}
          title={c.error ?? c.display ?? c.value}
        >
          {onToggle ? (
            <button type="button" className="chip-toggle" aria-pressed={c.selected !== false} onClick={() => onToggle(c.value)}>
              {c.display ?? c.value}
            </button>
          ) : (
            <span>{c.display ?? c.value}</span>
          )}
          <button type="button" className="chip-remove" aria-label={`Remove ${c.value}`} onClick={() => onRemove(c.value)}>
            ×
          </button>
        </span>
      ))}
      <input
        id={id}
        aria-label={label}
        value={draft}
        placeholder={chips.length === 0 ? placeholder : ''}
        onChange={(e) => setDraft(e.target.value)}
        onKeyDown={onKeyDown}
        onPaste={onPaste}
        onBlur={() => commit(draft)}
      />
    </div>
  );
}
