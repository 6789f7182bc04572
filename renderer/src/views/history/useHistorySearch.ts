// Runs the search as the filters change (newest request wins) and again whenever new runs are ingested.
import { useEffect, useRef, useState } from 'react';
import type { SearchQueryInput, SearchResult } from '../../../../main/history/contract.ts';
import { asServiceError } from '../../api/connect.ts';
import { useApi } from '../../api/context.tsx';
import { useNotices } from '../../components/Notices.tsx';

export function useHistorySearch(query: SearchQueryInput): { result: SearchResult | null; loading: boolean; refresh: () => void } {
  const api = useApi();
  const notices = useNotices();
  const [result, setResult] = useState<SearchResult | null>(null);
  const [loading, setLoading] = useState(false);
  const [tick, setTick] = useState(0);
  const ticket = useRef(0);
  const key = JSON.stringify(query);

  useEffect(() => {
    const mine = ++ticket.current;
    setLoading(true);
    api.history.search(JSON.parse(key) as SearchQueryInput).then(
      (r) => {
        if (mine !== ticket.current) return;
        setResult(r);
        setLoading(false);
      },
      (error: unknown) => {
        if (mine !== ticket.current) return;
        setLoading(false);
        notices.showError(asServiceError(error), 'History search');
      },
    );
  }, [api, notices, key, tick]);

  useEffect(() => api.history.changes({}, { next: () => setTick((t) => t + 1) }), [api]);

  return { result, loading, refresh: () => setTick((t) => t + 1) };
}
