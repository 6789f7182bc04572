import { useCallback, useEffect, useRef, useState } from 'react';
import type { CheckGroup, ToolCheck } from '../../../../main/contract/index.ts';
import type { DoctorReport } from '../../../../main/doctor/contract.ts';
import type { ServiceError } from '../../../../main/contract/errors.ts';
import { useApi } from '../../api/context.tsx';

export interface DoctorRun {
  running: boolean;
  /** The report's headings (one per tool with checks), from the run's start. */
  groups: CheckGroup[];
  pending: { id: string; name: string; group: string }[];
  checks: ToolCheck[];
  report: DoctorReport | null;
  error: ServiceError | null;
  rerun(): void;
}

/** Streams doctor.run: rows appear as each check finishes, the report when all are done. */
export function useDoctorRun(): DoctorRun {
  const api = useApi();
  const [state, setState] = useState<Omit<DoctorRun, 'rerun'>>({
    running: true,
    groups: [],
    pending: [],
    checks: [],
    report: null,
    error: null,
  });
  const stop = useRef<(() => void) | null>(null);

  const rerun = useCallback(() => {
    stop.current?.();
    // Earlier results stay on screen until the new run has started, so a failed run never blanks the page.
    setState((s) => ({ ...s, running: true, error: null }));
    stop.current = api.doctor.run(
      {},
      {
        next: (event) => {
          if (event.type === 'started') setState((s) => ({ ...s, groups: event.groups, pending: event.pending, checks: [] }));
          else if (event.type === 'check') setState((s) => ({ ...s, checks: [...s.checks, event.check] }));
          else setState((s) => ({ ...s, report: event.report, running: false }));
        },
        error: (error) => setState((s) => ({ ...s, running: false, error })),
      },
    );
  }, [api]);

  useEffect(() => {
    rerun();
    return () => stop.current?.();
  }, [rerun]);

  return { ...state, rerun };
}
