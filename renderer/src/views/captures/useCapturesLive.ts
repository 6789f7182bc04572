// The live side of the Captures view: status about once a second and the newest decoded packets.
import { useEffect, useState } from 'react';
import type { CaptureStatus, PacketSummary } from '../../../../main/captures/contract.ts';
import type { ServiceError } from '../../../../main/contract/errors.ts';
import { useApi } from '../../api/context.tsx';

/** The view keeps the last few hundred packets; the host keeps a thousand. */
export const keptPackets = 500;

export interface CapturesLive {
  status: CaptureStatus | null;
  packets: PacketSummary[];
  error: ServiceError | null;
  clearPackets(): void;
}

export function useCapturesLive(): CapturesLive {
  const api = useApi();
  const [status, setStatus] = useState<CaptureStatus | null>(null);
  const [packets, setPackets] = useState<PacketSummary[]>([]);
  const [error, setError] = useState<ServiceError | null>(null);

  useEffect(() => {
    let startedAt: number | null = null;
    return api.captures.live(
      { intervalMs: 1000 },
      {
        next: (event) => {
          if (event.type === 'status') {
            // A new listener run numbers its packets from 1 again.
            if (event.status.startedAt !== startedAt) {
              startedAt = event.status.startedAt;
              if (event.status.running) setPackets([]);
            }
            setStatus(event.status);
          } else {
            setPackets((list) => [...list, ...event.packets].slice(-keptPackets));
          }
        },
        error: setError,
      },
    );
  }, [api]);

  return { status, packets, error, clearPackets: () => setPackets([]) };
}
