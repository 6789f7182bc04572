// "New certificate": names as chips checked by the service as you type them, key type, validity presets,
// server/client, .p12, output folder. Issuing creates the CA first when there is none.
import { useEffect, useState, type FormEvent } from 'react';
import type { CaState, IssueResult, KeyType } from '../../../../main/certs/contract.ts';
import { defaultP12Password } from '../../../../main/certs/contract-defaults.ts';
import type { ServiceError } from '../../../../main/contract/errors.ts';
import { useApi } from '../../api/context.tsx';
import { useNotices } from '../../components/Notices.tsx';
import { ChipInput, type Chip } from './ChipInput.tsx';
import { newCertFocusEvent } from './events.ts';

const presets = [
  { id: 'default', label: 'mkcert default (2 years 3 months)', days: undefined },
  { id: '14', label: '14 days (WebTransport serverCertificateHashes)', days: 14 },
  { id: '90', label: '90 days', days: 90 },
  { id: '365', label: '1 year', days: 365 },
  { id: 'custom', label: 'Custom…', days: undefined },
] as const;
type PresetId = (typeof presets)[number]['id'];

export function NewCertForm({ state, onIssued }: { state: CaState; onIssued: () => Promise<void> }) {
  const api = useApi();
  const notices = useNotices();
  const [chips, setChips] = useState<Chip[]>([]);
  const [keyType, setKeyType] = useState<KeyType>('ecdsa');
  const [preset, setPreset] = useState<PresetId>('default');
  const [customDays, setCustomDays] = useState('30');
  const [client, setClient] = useState(false);
  const [pkcs12, setPkcs12] = useState(false);
  const [p12Password, setP12Password] = useState(defaultP12Password);
  const [dir, setDir] = useState(state.defaultDir);
  const [caPassphrase, setCaPassphrase] = useState('');
  const [working, setWorking] = useState(false);
  const [last, setLast] = useState<IssueResult | null>(null);

  useEffect(() => {
    const focus = () => document.getElementById('cert-names')?.focus();
    window.addEventListener(newCertFocusEvent, focus);
    return () => window.removeEventListener(newCertFocusEvent, focus);
  }, []);

  const add = async (values: string[]) => {
    const fresh = values.filter((v) => !chips.some((c) => c.value === v));
    if (fresh.length === 0) return;
    setChips((list) => [...list, ...fresh.map((value) => ({ value }))]);
    try {
      const checked = await api.certs.checkNames({ names: fresh });
      setChips((list) =>
        list.map((c) => {
          const r = checked.find((x) => x.input === c.value);
          if (!r) return c;
          if (r.error) return { ...c, error: r.error };
          if (r.forbidden) return { ...c, error: "Outside the CA's name constraints" };
          return { ...c, error: null, display: r.name!.value === c.value ? c.value : `${c.value} → ${r.name!.value}` };
        }),
      );
    } catch (error) {
      notices.showError(error as ServiceError, 'Check names');
    }
  };

  const days = preset === 'custom' ? Number(customDays) : presets.find((p) => p.id === preset)!.days;
  const invalid = chips.some((c) => c.error) || chips.length === 0 || (preset === 'custom' && !(Number.isInteger(days) && days! > 0));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (invalid) return;
    setWorking(true);
    try {
      const result = await api.certs.issue({
        names: chips.map((c) => c.value),
        keyType,
        client,
        dir,
        pkcs12,
        ...(pkcs12 ? { p12Password } : {}),
        ...(days !== undefined ? { days } : {}),
        ...(caPassphrase ? { caPassphrase } : {}),
      });
      setLast(result);
      setChips([]);
      void onIssued();
    } catch (error) {
      notices.showError(error as ServiceError, 'Issue certificate');
    } finally {
      setWorking(false);
    }
  };

  return (
    <section className="card" aria-labelledby="new-cert-title">
      <h2 id="new-cert-title">New certificate</h2>
      <form className="certs-form" onSubmit={(e) => void submit(e)}>
        <div className="certs-row">
          <label htmlFor="cert-names">Names</label>
          <ChipInput
            id="cert-names"
            label="Names"
            placeholder="localhost 127.0.0.1 ::1 *.app.test dev@example.test"
            chips={chips}
            onAdd={(v) => void add(v)}
            onRemove={(value) => setChips((l) => l.filter((c) => c.value !== value))}
          />
        </div>
        <div className="certs-row">
          <label htmlFor="cert-key">Key</label>
          <div className="certs-inline">
            <select id="cert-key" value={keyType} onChange={(e) => setKeyType(e.target.value as KeyType)}>
              <option value="ecdsa">ECDSA P-256</option>
              <option value="rsa">RSA 2048</option>
            </select>
            <label className="certs-check">
              <input type="checkbox" checked={client} onChange={(e) => setClient(e.target.checked)} /> Client certificate (clientAuth)
            </label>
          </div>
        </div>
        <div className="certs-row">
          <label htmlFor="cert-validity">Validity</label>
          <div className="certs-inline">
            <select id="cert-validity" value={preset} onChange={(e) => setPreset(e.target.value as PresetId)}>
              {presets.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.label}
                </option>
              ))}
            </select>
            {preset === 'custom' && (
              <input
                aria-label="Days"
                className="certs-days"
                type="number"
                min={1}
                max={3650}
                value={customDays}
                onChange={(e) => setCustomDays(e.target.value)}
              />
            )}
            {preset === 'custom' && Number(customDays) > 825 && <span className="badge badge-warn">Over Apple's 825-day limit</span>}
          </div>
        </div>
        <div className="certs-row">
          <label htmlFor="cert-p12">Format</label>
          <div className="certs-inline">
            <label className="certs-check">
              <input id="cert-p12" type="checkbox" checked={pkcs12} onChange={(e) => setPkcs12(e.target.checked)} /> PKCS#12 (.p12) instead
              of PEM files
            </label>
            {pkcs12 && <input aria-label=".p12 password" value={p12Password} onChange={(e) => setP12Password(e.target.value)} />}
          </div>
        </div>
        <div className="certs-row">
          <label htmlFor="cert-dir">Folder</label>
          <input id="cert-dir" className="mono" value={dir} onChange={(e) => setDir(e.target.value)} />
        </div>
        {state.ca?.encrypted && (
          <div className="certs-row">
            <label htmlFor="cert-ca-pass">CA passphrase</label>
            <input
              id="cert-ca-pass"
              type="password"
              autoComplete="current-password"
              value={caPassphrase}
              onChange={(e) => setCaPassphrase(e.target.value)}
            />
          </div>
        )}
        <div className="certs-row">
          <span />
          <button type="submit" className="button primary" disabled={working || invalid}>
            {working ? (
              <>
                <span className="spinner" aria-hidden="true" /> Issuing…
              </>
            ) : (
              'Issue certificate'
            )}
          </button>
        </div>
      </form>
      {last && (
        <div className="certs-issued" role="status">
          <strong>Issued</strong> for {last.entry.names.map((n) => n.value).join(', ')}
          {last.createdCa ? ' (and created the CA)' : ''}.{last.entry.certFile && <div className="mono small">{last.entry.certFile}</div>}
          {last.entry.keyFile && last.entry.keyFile !== last.entry.certFile && <div className="mono small">{last.entry.keyFile}</div>}
          {last.entry.p12File && (
            <div className="mono small">
              {last.entry.p12File} — password “{last.p12Password}”
            </div>
          )}
          {last.warnings.map((w) => (
            <div key={w} className="muted small">
              ⚠ {w}
            </div>
          ))}
        </div>
      )}
    </section>
  );
}
