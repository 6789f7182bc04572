import { createContext, useContext } from 'react';
import type { LanyardApi } from '../../../main/contract/api.ts';

export const ApiContext = createContext<LanyardApi | null>(null);

export function useApi(): LanyardApi {
  const api = useContext(ApiContext);
  if (!api) throw new Error('useApi outside <ApiContext.Provider>');
  return api;
}
