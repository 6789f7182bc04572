// The engine in use, always visible in the Docker view's header, and the switch to any other the machine knows:
// the docker CLI's own (automatic), DOCKER_HOST, each context (local, ssh://, tcp:// with TLS) and Podman's sockets.
import { useCallback, useEffect, useState } from 'react';
import type { EndpointSummary, EngineStatus } from '../../../../main/docker/contract.ts';
import { asServiceError } from '../../api/connect.ts';
import { useApi } from '../../api/context.tsx';
import { useNotices } from '../../components/Notices.tsx';

const automatic = '';

function endpointLabel(e: EndpointSummary): string {
  const name = e.source === 'podman' ? `Podman (${e.id.endsWith('rootful') ? 'rootful' : 'rootless'})` : (e.context ?? e.source);
  return `${name} — ${e.host}${e.tls ? ' (TLS)' : ''}${e.warning ? ' (insecure)' : ''}`;
}

interface Props {
  status: EngineStatus | null;
  onChanged(status: EngineStatus): void;
}

export function EnginePicker({ status, onChanged }: Props) {
  const api = useApi();
  const notices = useNotices();
  const [endpoints, setEndpoints] = useState<EndpointSummary[]>([]);
  const [busy, setBusy] = useState(false);

  const load = useCallback(() => {
    api.docker.endpoints({}).then(
      (r) => setEndpoints(r.endpoints),
      () => setEndpoints([]),
    );
  }, [api]);
  useEffect(load, [load, status?.endpointId]);

  const pick = (id: string) => {
    setBusy(true);
    api.docker
      .chooseEndpoint({ id: id === automatic ? null : id })
      .then(onChanged, (error: unknown) => notices.showError(asServiceError(error), 'Switching the engine'))
      .finally(() => setBusy(false));
  };

  const value = status?.chosen ? status.endpointId : automatic;
  return (
    <label className="engine-picker muted small">
      Engine{' '}
      <select value={value} disabled={busy || endpoints.length === 0} onChange={(e) => pick(e.target.value)} aria-label="Docker engine">
        <option value={automatic}>Automatic (as the docker CLI)</option>
        {endpoints.map((e) => (
          <option key={e.id} value={e.id}>
            {endpointLabel(e)}
          </option>
        ))}
      </select>
      {busy && <span className="spinner" aria-label="switching" />}
    </label>
  );
}
