// One SIP message in full: the start line, the headers (names set apart), and the body; an SDP body is
// highlighted, its m= and c= lines (where the media goes) strongest.
import type { SipMessage } from '../../../../main/calls/contract.ts';
import { clockText, endpointText } from '../../../../main/display/call-ladder.ts';

export function MessageText({ message }: { message: SipMessage }) {
  const text = message.text.replace(/\r\n/g, '\n');
  const split = text.indexOf('\n\n');
  const head = split < 0 ? text : text.slice(0, split);
  const body = split < 0 ? '' : text.slice(split + 2).replace(/\n$/, '');
  const [start = '', ...headers] = head.split('\n');
  return (
    <section className="message-text" aria-label="SIP message">
      <p className="muted small mono">
        {clockText(message.ts)} · {endpointText(message.src, message.sport)} → {endpointText(message.dst, message.dport)} ·{' '}
        {message.transport.toUpperCase()} · {message.source}
        {message.retransmission ? ' · retransmission' : ''}
      </p>
      <pre className="mono">
        <strong>{start}</strong>
        {'\n'}
        {headers.map((h, i) => {
          const colon = h.indexOf(':');
          return (
            // biome-ignore lint/suspicious/noArrayIndexKey: header lines have no identity beyond their place
            <span key={i}>
              {colon > 0 ? (
                <>
                  <span className="sip-header">{h.slice(0, colon)}</span>
                  {h.slice(colon)}
                </>
              ) : (
                h
              )}
              {'\n'}
            </span>
          );
        })}
        {body && '\n'}
        {body &&
          (message.hasSdp ? (
            <span className="sdp" data-testid="sdp">
              {body.split('\n').map((line, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: SDP lines have no identity beyond their place
                <span key={i} className={/^[mc]=/.test(line) ? 'sdp-media' : undefined}>
                  {line}
                  {'\n'}
                </span>
              ))}
            </span>
          ) : (
            body
          ))}
      </pre>
    </section>
  );
}
