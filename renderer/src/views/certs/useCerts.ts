// The Certificates view's data: CA state, trust-store status and the inventory, refreshed together.
import { useCallback, useEffect, useState } from 'react';
import type { CaState, InventoryEntry, StoreStatus } from '../../../../main/certs/contract.ts';
import type { ServiceError } from '../../../../main/contract/errors.ts';
import { useApi } from '../../api/context.tsx';
import { useNotices } from '../../components/Notices.tsx';

export type Scope = 'system' | 'user';

export interface CertsData {
  /** macOS and Windows have a machine-wide and a per-user store; elsewhere there is one scope. */
  scopes: boolean;
  scope: Scope;
  setScope(scope: Scope): void;
  state: CaState | null;
  stores: StoreStatus[] | null;
  entries: InventoryEntry[];
  loading: boolean;
  refresh(): Promise<void>;
}

export function useCerts(): CertsData {
  const api = useApi();
  const notices = useNotices();
  const [state, setState] = useState<CaState | null>(null);
  const [stores, setStores] = useState<StoreStatus[] | null>(null);
  const [entries, setEntries] = useState<InventoryEntry[]>([]);
  const [loading, setLoading] = useState(true);
  const [scopes, setScopes] = useState(false);
  const [scope, setScope] = useState<Scope>('system');

  useEffect(() => {
    api.app.info({}).then(
      (info) => setScopes(info.platform === 'darwin' || info.platform === 'win32'),
      () => undefined,
    );
  }, [api]);

  const refresh = useCallback(async () => {
    setLoading(true);
    try {
      const [s, e] = await Promise.all([api.certs.ca({}), api.certs.list({})]);
      setState(s);
      setEntries(e);
      // Store checks run outside tools (certutil, keytool): show the rest first.
      setStores(await api.certs.trustStatus({ scope }));
    } catch (error) {
      notices.showError(error as ServiceError, 'Certificates');
    } finally {
      setLoading(false);
    }
  }, [api, notices, scope]);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  return { scopes, scope, setScope, state, stores, entries, loading, refresh };
}

export const shortDate = (iso: string) => new Date(iso).toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
