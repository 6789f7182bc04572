// Where the live stream goes: recordings (with rotation), Wireshark hand-offs, pipes; each can be stopped alone.
import { useState, type FormEvent } from 'react';
import type { OutputInfo, RecordSettings } from '../../../../main/captures/contract.ts';
import { bytes, count } from './format.ts';

const kindLabel: Record<OutputInfo['kind'], string> = {
  file: 'Recording',
  fifo: 'Pipe',
  stdout: 'Standard output',
  tcp: 'TCP stream',
  wireshark: 'Wireshark',
};

interface Props {
  outputs: OutputInfo[];
  defaultPath: string;
  running: boolean;
  onRecord(settings: RecordSettings): void;
  onClose(id: string): void;
}

export function OutputsPanel({ outputs, defaultPath, running, onRecord, onClose }: Props) {
  const [path, setPath] = useState('');
  const [rotateMb, setRotateMb] = useState('');
  const [rotateSeconds, setRotateSeconds] = useState('');
  const [ring, setRing] = useState('');

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const settings: RecordSettings = { path: path.trim() || defaultPath };
    if (Number(rotateMb) > 0) settings.rotateBytes = Math.round(Number(rotateMb) * 1e6);
    if (Number(rotateSeconds) > 0) settings.rotateSeconds = Math.round(Number(rotateSeconds));
    if (Number(ring) > 0 && (settings.rotateBytes || settings.rotateSeconds)) settings.ring = Math.round(Number(ring));
    onRecord(settings);
  };

  return (
    <div className="outputs">
      {outputs.length > 0 && (
        <ul className="output-list" aria-label="Outputs">
          {outputs.map((o) => (
            <li key={o.id} data-output={o.kind}>
              <span className="badge badge-ok">{kindLabel[o.kind]}</span>
              <span className="mono ellipsis" title={o.files.join('\n') || o.label}>
                {o.files.length > 1 ? `${o.files.at(-1)} (${o.files.length} files)` : o.label}
              </span>
              <span className="muted">
                {count(o.packets)} packets · {bytes(o.bytes)}
              </span>
              <span className={o.drops ? 'bad' : 'muted'}>{count(o.drops)} dropped</span>
              {o.error && <span className="bad small">{o.error}</span>}
              <button type="button" className="button small-button" onClick={() => onClose(o.id)}>
                Stop
              </button>
            </li>
          ))}
        </ul>
      )}
      <form className="record-form" onSubmit={submit} aria-label="Record to file">
        <label className="field grow">
          <span className="field-name">Record to</span>
          <input className="input mono" value={path} onChange={(e) => setPath(e.target.value)} placeholder={defaultPath} />
        </label>
        <label className="field narrow">
          <span className="field-name">New file every (MB)</span>
          <input
            className="input mono"
            inputMode="decimal"
            value={rotateMb}
            onChange={(e) => setRotateMb(e.target.value)}
            placeholder="—"
          />
        </label>
        <label className="field narrow">
          <span className="field-name">or every (s)</span>
          <input
            className="input mono"
            inputMode="numeric"
            value={rotateSeconds}
            onChange={(e) => setRotateSeconds(e.target.value)}
            placeholder="—"
          />
        </label>
        <label className="field narrow">
          <span className="field-name">Keep last N files</span>
          <input className="input mono" inputMode="numeric" value={ring} onChange={(e) => setRing(e.target.value)} placeholder="all" />
        </label>
        <button type="submit" className="button" disabled={!running}>
          Record to file
        </button>
      </form>
    </div>
  );
}
