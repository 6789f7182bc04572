// One row per HEP agent (Kamailio, FreeSWITCH, captagent…): its capture id and node name as it sends them, where
// it sends from, what it sent and how many of its messages a wrong auth key cost.
import type { HepAgent } from '../../../../main/captures/contract.ts';
import { RecentRowsCaption } from './RecentRowsCaption.tsx';
import { ago, count } from './format.ts';

/** `total` is the table's row count: a status carries only the most recently seen rows. */
export function HepAgentTable({ agents, total, now }: { agents: HepAgent[]; total: number; now: number }) {
  if (agents.length === 0) {
    return (
      <p className="muted empty" data-testid="no-hep-agents">
        No HEP agent has sent anything yet. Kamailio:{' '}
        <span className="mono">modparam("siptrace", "duplicate_uri", "sip:THIS-HOST:PORT")</span> with{' '}
        <span className="mono">hep_mode_on</span> set.
      </p>
    );
  }
  return (
    <table className="sensors" aria-label="HEP agents">
      <RecentRowsCaption shown={agents.length} total={total} noun="agents" />
      <thead>
        <tr>
          <th className="num">Agent id</th>
          <th>Node name</th>
          <th>Address</th>
          <th>HEP</th>
          <th className="num">Messages</th>
          <th className="num">Wrong key</th>
          <th>Last seen</th>
        </tr>
      </thead>
      <tbody>
        {agents.map((a) => (
          <tr key={a.id} data-agent={a.id}>
            <td className="num mono" data-field="capture-id">
              {a.captureId}
            </td>
            <td className="mono" data-field="node-name">
              {a.nodeName ?? <span className="muted">—</span>}
            </td>
            <td className="mono" data-field="address">
              {a.address}
            </td>
            <td data-field="version">v{a.version}</td>
            <td className="num mono" data-field="messages">
              {count(a.messages)}
            </td>
            <td
              className={`num mono ${a.authFailed ? 'warn' : ''}`}
              data-field="auth-failed"
              title="messages dropped for a missing or wrong auth key"
            >
              {count(a.authFailed)}
            </td>
            <td className="muted">{ago(a.lastSeen, now)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
