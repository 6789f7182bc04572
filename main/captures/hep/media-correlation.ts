// Which call an RTCP packet belongs to, for the correlation id HOMER joins RTCP to SIP by (chunk 17): the SDP
// in forwarded SIP names each media address and port, RTCP uses the port after it (RFC 3550 §11) unless an
// `a=rtcp:` line (RFC 3605) says otherwise, or the RTP port itself with `a=rtcp-mux` (RFC 5761). The port + 1
// rule is heplify's correlator's. One pass over the message's
// lines; a bounded table, least recently used evicted.

const maxEndpoints = 8192;

/** An m= line: its address (c= inside it, else the session's), RTP port, RTCP port if given, and rtcp-mux. */
interface Medium {
  address: string | null;
  port: number;
  rtcp: number | null;
  mux: boolean;
}
/** SIP messages are read up to here; SDP past 64 KiB is not worth a lookup. */
const maxScan = 65_536;

export class MediaCorrelation {
  /** "address|port" of an RTCP endpoint → Call-ID. */
  readonly #calls = new Map<string, string>();
  evicted = 0;

  /** Learn the RTCP endpoints of a SIP message's SDP, if it has both a Call-ID and SDP. */
  learn(sip: Buffer): void {
    const end = Math.min(sip.length, maxScan);
    let callId: string | null = null;
    let inBody = false;
    let sessionAddress: string | null = null;
    let media: Medium | null = null;
    const endpoints: Medium[] = [];
    for (let at = 0; at < end; ) {
      let eol = sip.indexOf(10, at);
      if (eol < 0 || eol > end) eol = end;
      const line = sip.toString('latin1', at, eol > at && sip[eol - 1] === 13 ? eol - 1 : eol);
      at = eol + 1;
      if (!inBody) {
        if (line === '') inBody = true;
        else if (callId === null) callId = headerValue(line);
        continue;
      }
      if (line.startsWith('c=')) {
        const address = line.slice(line.lastIndexOf(' ') + 1).split('/')[0] ?? '';
        if (media) media.address = address;
        else sessionAddress = address;
      } else if (line.startsWith('m=')) {
        media = { address: null, port: Number.parseInt(line.slice(line.indexOf(' ') + 1), 10), rtcp: null, mux: false };
        endpoints.push(media);
      } else if (line.startsWith('a=rtcp:') && media) {
        media.rtcp = Number.parseInt(line.slice(7), 10);
      } else if (line === 'a=rtcp-mux' && media) {
        media.mux = true;
      }
    }
    if (!callId) return;
    for (const m of endpoints) {
      const address = m.address ?? sessionAddress;
      const port = m.mux ? m.port : (m.rtcp ?? m.port + 1);
      if (!address || !(m.port > 0) || !(port > 0 && port < 65536)) continue;
      this.#remember(`${address}|${port}`, callId);
    }
  }

  /** The Call-ID of the call whose SDP named either end of this packet, else null. */
  callId(src: string, sport: number, dst: string, dport: number): string | null {
    return this.#calls.get(`${src}|${sport}`) ?? this.#calls.get(`${dst}|${dport}`) ?? null;
  }

  #remember(key: string, callId: string): void {
    this.#calls.delete(key); // re-inserted last: the map stays in least-recently-used order
    if (this.#calls.size >= maxEndpoints) {
      this.#calls.delete(this.#calls.keys().next().value!);
      this.evicted++;
    }
    this.#calls.set(key, callId);
  }
}

/** A Call-ID header's value ("Call-ID:" or the compact "i:"), else null. */
function headerValue(line: string): string | null {
  const colon = line.indexOf(':');
  if (colon < 1 || colon > 8) return null;
  const name = line.slice(0, colon).trim().toLowerCase();
  if (name !== 'call-id' && name !== 'i') return null;
  const value = line.slice(colon + 1).trim();
  return value === '' ? null : value.slice(0, 255);
}
