// Certificates: the local CA and where it is trusted, a form for new certificates, and the inventory.
import { useEffect, useRef } from 'react';
import { expiryWarningDays } from '../../../../main/display/time-left.ts';
import { useNotices } from '../../components/Notices.tsx';
import { AcmeCard } from './AcmeCard.tsx';
import { CaCard } from './CaCard.tsx';
import './certs.css';
import { InventoryTable } from './InventoryTable.tsx';
import { NewCertForm } from './NewCertForm.tsx';
import { useCerts } from './useCerts.ts';

export function CertsView() {
  const data = useCerts();
  const notices = useNotices();
  const warned = useRef(false);
  // ACME certificates are short-lived by design and renewed by their clients: not a warning.
  const expiring = data.entries.filter((e) => e.daysLeft <= expiryWarningDays && !e.acme);

  // The warning, once per visit.
  useEffect(() => {
    if (warned.current || expiring.length === 0) return;
    warned.current = true;
    notices.showInfo(
      `${expiring.length} certificate${expiring.length === 1 ? '' : 's'} expire${expiring.length === 1 ? 's' : ''} within ${expiryWarningDays} days`,
    );
  }, [expiring.length, notices]);

  return (
    <section className="view certs-view" aria-labelledby="certs-title" aria-busy={data.loading}>
      <header className="view-header">
        <div>
          <h1 id="certs-title">Certificates</h1>
          <p className="muted">
            A local CA for development HTTPS, trusted where you choose; mkcert's files and flags, plus name constraints, an inventory and
            renewal.
          </p>
        </div>
      </header>
      {data.loading && !data.state && (
        <div className="progress" data-running="true">
          <div className="progress-fill" style={{ width: '40%' }} />
        </div>
      )}
      {data.state && (
        <CaCard
          state={data.state}
          stores={data.stores}
          scope={data.scopes ? data.scope : null}
          onScope={data.setScope}
          onChanged={data.refresh}
        />
      )}
      {data.state && <NewCertForm state={data.state} onIssued={data.refresh} />}
      {data.state && <AcmeCard onChanged={data.refresh} />}
      <section className="card" aria-labelledby="inventory-title">
        <div className="certs-stores-head">
          <h2 id="inventory-title">Issued ({data.entries.length})</h2>
          {expiring.length > 0 && (
            <span className="badge badge-warn">
              {expiring.length} expiring within {expiryWarningDays} days
            </span>
          )}
        </div>
        <InventoryTable entries={data.entries} onChanged={data.refresh} />
      </section>
    </section>
  );
}
