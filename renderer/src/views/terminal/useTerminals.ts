import { useSyncExternalStore } from 'react';
import type { LanyardApi } from '../../../../main/contract/api.ts';
import { useApi } from '../../api/context.tsx';
import { createTerminalStore, type TerminalStore } from './terminal-store.ts';

const stores = new WeakMap<LanyardApi, TerminalStore>();

/** The one tab store per connection, shared by the Terminal view, the Docker view's run pane and History. */
export function terminalStoreFor(api: LanyardApi): TerminalStore {
  let store = stores.get(api);
  if (!store) stores.set(api, (store = createTerminalStore(api)));
  return store;
}

export function useTerminalStore(): TerminalStore {
  return terminalStoreFor(useApi());
}

export function useTerminalTabs(store: TerminalStore) {
  const tabs = useSyncExternalStore(store.subscribe, store.tabs);
  const active = useSyncExternalStore(store.subscribe, store.active);
  return { tabs, active };
}
