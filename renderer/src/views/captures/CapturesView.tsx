// Captures: the TZSP listener — start/stop, live sensors, outputs (record, Wireshark), and the newest packets.
import { useEffect, useState } from 'react';
import type { RecordSettings } from '../../../../main/captures/contract.ts';
import { asServiceError } from '../../api/connect.ts';
import { useApi } from '../../api/context.tsx';
import { useNotices } from '../../components/Notices.tsx';
import { ListenerControls, type ListenForm } from './ListenerControls.tsx';
import { OutputsPanel } from './OutputsPanel.tsx';
import { PacketList } from './PacketList.tsx';
import { HepAgentTable } from './HepAgentTable.tsx';
import { SensorTable } from './SensorTable.tsx';
import { useCapturesLive } from './useCapturesLive.ts';
import './captures.css';
import { capturesToggleEvent, capturesWiresharkEvent } from './events.ts';

export function CapturesView() {
  const api = useApi();
  const notices = useNotices();
  const live = useCapturesLive();
  const [busy, setBusy] = useState<null | 'start' | 'stop' | 'wireshark'>(null);
  const [dataDir, setDataDir] = useState<string | null>(null);
  const [now, setNow] = useState(Date.now());
  const status = live.status;
  const running = status?.running ?? false;

  useEffect(() => {
    void api.app.info({}).then(
      (info) => setDataDir(info.dataDir),
      () => undefined,
    );
  }, [api]);
  useEffect(() => {
    if (live.error) notices.showError(live.error, 'Captures');
  }, [live.error, notices]);
  useEffect(() => setNow(Date.now()), [status]);

  const act = async <T,>(kind: 'start' | 'stop' | 'wireshark' | null, what: string, action: () => Promise<T>): Promise<T | undefined> => {
    if (kind) setBusy(kind);
    try {
      return await action();
    } catch (error) {
      notices.showError(asServiceError(error), what);
      return undefined;
    } finally {
      if (kind) setBusy(null);
    }
  };

  const start = (form: ListenForm) => void act('start', 'Start listening', () => api.captures.start(form));
  const stop = () =>
    void act('stop', 'Stop listening', async () => {
      const final = await api.captures.stop({});
      notices.showInfo(`Stopped: ${final.totals.packets} packets from ${final.sensors.length} sensor(s); every file and pipe flushed.`);
    });
  const openWireshark = () =>
    void act('wireshark', 'Open in Wireshark', async () => {
      const launched = await api.captures.openWireshark({ via: 'auto' });
      notices.showInfo(`Wireshark started: ${launched.command.join(' ')}`);
    });
  const record = (settings: RecordSettings) =>
    void act(null, 'Record to file', async () => {
      const output = await api.captures.record(settings);
      notices.showInfo(`Recording to ${output.files[0] ?? output.label}`);
    });
  const closeOutput = (id: string) => void act(null, 'Stop output', () => api.captures.closeOutput({ id }));

  useEffect(() => {
    const toggle = () =>
      running
        ? stop()
        : start({ port: status?.settings?.port ?? 37008, bind: status?.settings?.bind ?? '0.0.0.0', allow: status?.settings?.allow ?? [] });
    const wireshark = () => openWireshark();
    window.addEventListener(capturesToggleEvent, toggle);
    window.addEventListener(capturesWiresharkEvent, wireshark);
    return () => {
      window.removeEventListener(capturesToggleEvent, toggle);
      window.removeEventListener(capturesWiresharkEvent, wireshark);
    };
  });

  const stamp = new Date(now).toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
  const defaultPath = `${dataDir ?? '~'}/captures/tzsp-${stamp}.pcapng`;

  return (
    <section className="view captures-view" aria-labelledby="captures-title">
      <header className="view-header">
        <div>
          <h1 id="captures-title">Captures</h1>
          <p className="muted">TZSP from MikroTik, Scratch'n'Sniff or any sensor — one Wireshark interface per sensor.</p>
        </div>
        <div className="view-actions">
          <button type="button" className="button" onClick={openWireshark} disabled={!running || busy !== null}>
            {busy === 'wireshark' ? 'Opening…' : 'Open in Wireshark'}
          </button>
          {running && (
            <button type="button" className="button primary" onClick={stop} disabled={busy !== null}>
              {busy === 'stop' ? 'Stopping…' : 'Stop listening'}
            </button>
          )}
        </div>
      </header>
      {(busy === 'start' || busy === 'stop') && (
        <div className="progress" aria-label="Working">
          <div className="progress-fill indeterminate" />
        </div>
      )}

      {status?.error && !running && (
        <div className="notice notice-error" role="alert">
          <div className="notice-body">
            <strong>The capture stopped on its own</strong>
            <span>{status.error}</span>
            <span className="notice-hint">Start listening again; the files written so far are complete.</span>
          </div>
        </div>
      )}

      {status === null ? (
        <p className="muted">Connecting to the service…</p>
      ) : (
        <ListenerControls key={String(running)} status={status} busy={busy === 'start'} onStart={start} />
      )}

      <div className="card">
        <h2>Sensors</h2>
        <SensorTable sensors={status?.sensors ?? []} total={status?.sensorCount ?? 0} now={now} />
      </div>

      {status?.hep && (
        <div className="card">
          <h2>HEP agents</h2>
          <HepAgentTable agents={status.hep.agents} total={status.hep.agentCount} now={now} />
        </div>
      )}

      <div className="card">
        <h2>Outputs</h2>
        <OutputsPanel outputs={status?.outputs ?? []} defaultPath={defaultPath} running={running} onRecord={record} onClose={closeOutput} />
      </div>

      <div className="card">
        <div className="card-title-row">
          <h2>Recent packets</h2>
          <button type="button" className="link-button" onClick={live.clearPackets} disabled={live.packets.length === 0}>
            Clear
          </button>
        </div>
        <PacketList packets={live.packets} />
      </div>
    </section>
  );
}
