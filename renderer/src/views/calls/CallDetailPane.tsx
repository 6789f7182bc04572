// The open call: a summary line, "Export call", the ladder with the picked message in full beside it, and a
// card per RTP stream. Fetched again when the list's version changes, so a live call grows in place.
import { useEffect, useState } from 'react';
import type { CallDetail, ExportResult } from '../../../../main/calls/contract.ts';
import { asServiceError } from '../../api/connect.ts';
import { useApi } from '../../api/context.tsx';
import { useNotices } from '../../components/Notices.tsx';
import { durationText, stateText } from './figures.ts';
import { LadderDiagram } from './LadderDiagram.tsx';
import { MessageText } from './MessageText.tsx';
import { StreamCard } from './StreamCard.tsx';

/** A Call-ID as a file name: anything but letters, digits, dot, dash and underscore becomes "_". */
const msText = (ms: number | null) => (ms === null ? '—' : `${Math.round(ms)} ms`);
const fileNameOf = (id: string) => id.replace(/[^\w.-]/g, '_').slice(0, 80);

export function CallDetailPane({ id, version, dataDir }: { id: string; version: number; dataDir: string | null }) {
  const api = useApi();
  const notices = useNotices();
  const [detail, setDetail] = useState<CallDetail | null>(null);
  const [picked, setPicked] = useState(0);
  const [output, setOutput] = useState('');
  const [exported, setExported] = useState<{ path: string; result: ExportResult } | null>(null);
  const [exporting, setExporting] = useState(false);

  // The parent keys this pane by call, so a new call starts fresh; `version` refetches a call that grew.
  // biome-ignore lint/correctness/useExhaustiveDependencies: version is the refetch trigger
  useEffect(() => {
    let stale = false;
    api.calls.detail({ id }).then(
      (d) => !stale && setDetail(d),
      (e: unknown) => !stale && notices.showError(asServiceError(e), 'Open call'),
    );
    return () => {
      stale = true;
    };
  }, [api, id, version, notices]);

  if (!detail || detail.id !== id) return <p className="muted">Loading the call…</p>;
  const path = output || `${dataDir ?? '~'}/calls/${fileNameOf(id)}.pcapng`;
  const exportCall = async () => {
    setExporting(true);
    try {
      setExported({ path, result: await api.calls.export({ id, output: path }) });
    } catch (error) {
      notices.showError(asServiceError(error), 'Export call');
    } finally {
      setExporting(false);
    }
  };
  const openInWireshark = async (file: string) => {
    try {
      const { command } = await api.calls.openInWireshark({ path: file });
      notices.showInfo(`Started ${command.join(' ')}`);
    } catch (error) {
      notices.showError(asServiceError(error), 'Open in Wireshark');
    }
  };
  const message = detail.messages[Math.min(picked, detail.messages.length - 1)];

  return (
    <div className="call-detail" data-call={detail.id}>
      <div className="call-summary">
        <div>
          <p className="call-title mono">
            {detail.from} → {detail.to}
          </p>
          <p className="muted small">
            <span className="mono">{detail.id}</span> · {stateText(detail)}
            {detail.reason ? ` (${detail.reason})` : ''} · ring {msText(detail.ringMs)} · answer {msText(detail.answerMs)} · duration{' '}
            {durationText(detail.durationMs)}
            {detail.hungUpBy ? ` · ${detail.hungUpBy} hung up` : ''} · {detail.messageCount} messages
            {detail.retransmissions ? `, ${detail.retransmissions} retransmitted` : ''}
            {detail.messagesDropped ? ` (${detail.messagesDropped} past the per-call limit not kept)` : ''}
            {detail.legs.length ? ` · other legs: ${detail.legs.join(', ')}` : ''}
          </p>
        </div>
        <form
          className="call-export"
          aria-label="Export call"
          onSubmit={(e) => {
            e.preventDefault();
            void exportCall();
          }}
        >
          <input className="mono" aria-label="Export to" value={path} onChange={(e) => setOutput(e.target.value)} spellCheck={false} />
          <button type="submit" className="button" disabled={exporting}>
            {exporting ? 'Exporting…' : 'Export call'}
          </button>
        </form>
      </div>
      {exported && (
        <p className="small call-exported" data-testid="exported">
          Wrote {exported.result.packets} packets ({exported.result.sip} SIP, {exported.result.media} media) to{' '}
          <code className="mono">{exported.path}</code>{' '}
          <button type="button" className="link-button" onClick={() => void openInWireshark(exported.path)}>
            Open in Wireshark
          </button>
        </p>
      )}
      <div className="call-flow">
        <LadderDiagram messages={detail.messages} selected={picked} onSelect={setPicked} />
        {message && <MessageText message={message} />}
      </div>
      {detail.rtp.length > 0 ? (
        <div className="stream-cards">
          {detail.rtp.map((s) => (
            <StreamCard key={s.id} stream={s} />
          ))}
        </div>
      ) : (
        <p className="muted small">No RTP for this call.</p>
      )}
    </div>
  );
}
