// Creating the CA: key type, optional name constraints (proposed names and ranges as chips), optional passphrase.
import { useState, type FormEvent } from 'react';
import type { KeyType } from '../../../../main/certs/contract.ts';
import type { ServiceError } from '../../../../main/contract/errors.ts';
import { useApi } from '../../api/context.tsx';
import { useNotices } from '../../components/Notices.tsx';
import { ChipInput } from './ChipInput.tsx';

export function CreateCaForm({ proposed, own, onCreated }: { proposed: string[]; own: string[]; onCreated: () => Promise<void> }) {
  const api = useApi();
  const notices = useNotices();
  const [keyType, setKeyType] = useState<KeyType>('ecdsa');
  const [constrain, setConstrain] = useState(true);
  // The standard names and ranges start selected; the user's own domains are offered, one click away.
  const [permits, setPermits] = useState(() => [
    ...proposed.map((value) => ({ value, selected: true })),
    ...own.map((value) => ({ value, selected: false })),
  ]);
  const [passphrase, setPassphrase] = useState('');
  const [working, setWorking] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setWorking(true);
    try {
      const chosen = permits.filter((p) => p.selected).map((p) => p.value);
      await api.certs.createCa({ keyType, ...(constrain ? { permits: chosen } : {}), ...(passphrase ? { passphrase } : {}) });
      notices.showInfo('CA created');
      await onCreated();
    } catch (error) {
      notices.showError(error as ServiceError, 'Create CA');
    } finally {
      setWorking(false);
    }
  };

  return (
    <form className="certs-form" onSubmit={(e) => void submit(e)}>
      <div className="certs-row">
        <label htmlFor="ca-key">Key</label>
        <select id="ca-key" value={keyType} onChange={(e) => setKeyType(e.target.value as KeyType)}>
          <option value="ecdsa">ECDSA P-256 (recommended)</option>
          <option value="rsa">RSA 3072</option>
        </select>
      </div>
      <div className="certs-row">
        <label htmlFor="ca-constrain">Name constraints</label>
        <div>
          <label className="certs-check">
            <input id="ca-constrain" type="checkbox" checked={constrain} onChange={(e) => setConstrain(e.target.checked)} /> Only let this
            CA vouch for these names and ranges (browsers enforce it)
          </label>
          {constrain && (
            <ChipInput
              id="ca-permits"
              label="Permitted names and ranges"
              placeholder="add your own domain or CIDR"
              chips={permits}
              onAdd={(values) =>
                setPermits((list) => [
                  ...list,
                  ...values.filter((v) => !list.some((p) => p.value === v)).map((value) => ({ value, selected: true })),
                ])
              }
              onRemove={(value) => setPermits((list) => list.filter((p) => p.value !== value))}
              onToggle={(value) => setPermits((list) => list.map((p) => (p.value === value ? { ...p, selected: !p.selected } : p)))}
            />
          )}
        </div>
      </div>
      <div className="certs-row">
        <label htmlFor="ca-pass">Key passphrase</label>
        <input
          id="ca-pass"
          type="password"
          autoComplete="new-password"
          placeholder="optional — asked for on every issue"
          value={passphrase}
          onChange={(e) => setPassphrase(e.target.value)}
        />
      </div>
      <div className="certs-row">
        <span />
        <button type="submit" className="button primary" disabled={working}>
          {working ? (
            <>
              <span className="spinner" aria-hidden="true" /> Creating…
            </>
          ) : (
            'Create CA'
          )}
        </button>
      </div>
    </form>
  );
}
