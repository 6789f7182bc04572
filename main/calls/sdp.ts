// SDP (RFC 4566 / 8866) as far as media tracking needs it: where each side wants to receive RTP, which
// payload types mean which codec, and whether the stream is held. One pass over the lines, bounded.

export type MediaDirection = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

export interface SdpCodec {
  name: string;
  clockRate: number;
}

export interface SdpMedia {
  kind: string;
  /** Where this side receives the media (the connection address, media-level c= over session-level). */
  address: string;
  port: number;
  /** a=rtcp when given, else port + 1 (RFC 3605); equal to port with a=rtcp-mux. */
  rtcpPort: number;
  payloadTypes: number[];
  codecs: Map<number, SdpCodec>;
  direction: MediaDirection;
}

export interface Sdp {
  media: SdpMedia[];
  /** RFC 3264 §8.4 hold: every stream sendonly/inactive, or the old-style c=0.0.0.0. */
  hold: boolean;
}

/** Lines read from one body; a body with more is cut there. */
const maxLines = 512;
const maxMedia = 16;

/** RFC 3551 static payload types, for an m= line without a=rtpmap. */
export const staticCodecs: ReadonlyMap<number, SdpCodec> = new Map([
  [0, { name: 'PCMU', clockRate: 8000 }],
  [3, { name: 'GSM', clockRate: 8000 }],
  [4, { name: 'G723', clockRate: 8000 }],
  [5, { name: 'DVI4', clockRate: 8000 }],
  [6, { name: 'DVI4', clockRate: 16000 }],
  [7, { name: 'LPC', clockRate: 8000 }],
  [8, { name: 'PCMA', clockRate: 8000 }],
  [9, { name: 'G722', clockRate: 8000 }],
  [10, { name: 'L16', clockRate: 44100 }],
  [11, { name: 'L16', clockRate: 44100 }],
  [12, { name: 'QCELP', clockRate: 8000 }],
  [13, { name: 'CN', clockRate: 8000 }],
  [14, { name: 'MPA', clockRate: 90000 }],
  [15, { name: 'G728', clockRate: 8000 }],
  [18, { name: 'G729', clockRate: 8000 }],
  [26, { name: 'JPEG', clockRate: 90000 }],
  [31, { name: 'H261', clockRate: 90000 }],
  [32, { name: 'MPV', clockRate: 90000 }],
  [34, { name: 'H263', clockRate: 90000 }],
]);

/** A media section while its lines are read: whether it set its own address and direction. */
type DraftMedia = SdpMedia & { explicitAddress: boolean; explicitDirection: boolean };

export function parseSdp(text: string): Sdp | null {
  if (!text.startsWith('v=')) return null;
  let sessionAddress = '';
  let sessionDirection: MediaDirection = 'sendrecv';
  const media: DraftMedia[] = [];
  let current: DraftMedia | null = null;
  let at = 0;
  for (let n = 0; n < maxLines && at < text.length; n++) {
    let end = text.indexOf('\n', at);
    if (end < 0) end = text.length;
    const line = text.slice(at, text.charCodeAt(end - 1) === 13 ? end - 1 : end);
    at = end + 1;
    if (line.length < 2 || line.charCodeAt(1) !== 0x3d) continue;
    const value = line.slice(2);
    switch (line.charCodeAt(0)) {
      case 0x63: {
        // c=IN IP4 192.0.2.1[/ttl]
        const address = connectionAddress(value);
        if (current) {
          current.address = address;
          current.explicitAddress = true;
        } else sessionAddress = address;
        break;
      }
      case 0x6d: {
        // m=audio 49170 RTP/AVP 0 8 101
        if (media.length >= maxMedia) return finish(media, sessionAddress, sessionDirection);
        const parts = value.split(' ', 40);
        const port = Number(parts[1]?.split('/')[0]);
        if (parts.length < 3 || !Number.isInteger(port) || port < 0 || port > 65535) {
          current = null;
          continue;
        }
        const payloadTypes = parts
          .slice(3)
          .map(Number)
          .filter((pt) => Number.isInteger(pt) && pt >= 0 && pt < 128);
        current = {
          kind: parts[0]!,
          address: '',
          port,
          rtcpPort: port + 1,
          payloadTypes,
          codecs: new Map(),
          direction: 'sendrecv',
          explicitAddress: false,
          explicitDirection: false,
        };
        media.push(current);
        break;
      }
      case 0x61:
        attribute(value, current, (d) => {
          sessionDirection = d;
        });
        break;
    }
  }
  return finish(media, sessionAddress, sessionDirection);
}

function attribute(value: string, current: DraftMedia | null, setSessionDirection: (d: MediaDirection) => void): void {
  if (value === 'sendrecv' || value === 'sendonly' || value === 'recvonly' || value === 'inactive') {
    if (current) {
      current.direction = value;
      current.explicitDirection = true;
    } else setSessionDirection(value);
    return;
  }
  if (!current) return;
  if (value.startsWith('rtpmap:')) {
    // a=rtpmap:101 telephone-event/8000[/channels]
    const space = value.indexOf(' ');
    const pt = Number(value.slice(7, space));
    if (space < 0 || !Number.isInteger(pt) || pt < 0 || pt > 127) return;
    const [name = '', rate = ''] = value.slice(space + 1).split('/', 3);
    const clockRate = Number(rate);
    if (name && Number.isInteger(clockRate) && clockRate > 0) current.codecs.set(pt, { name, clockRate });
  } else if (value.startsWith('rtcp:')) {
    const port = Number(value.slice(5).split(' ', 1)[0]);
    if (Number.isInteger(port) && port > 0 && port < 65536) current.rtcpPort = port;
  } else if (value === 'rtcp-mux') current.rtcpPort = current.port;
}

/** The c= address, IPv6 written as captures writes packet addresses (RFC 5952), so the two compare equal. */
function connectionAddress(value: string): string {
  const parts = value.split(' ', 4);
  const address = (parts[2] ?? '').split('/', 1)[0]!;
  if (!address.includes(':')) return address;
  try {
    return new URL(`http://[${address}]/`).hostname.slice(1, -1);
  } catch {
    return address.toLowerCase();
  }
}

function finish(media: DraftMedia[], sessionAddress: string, sessionDirection: MediaDirection): Sdp {
  const out: SdpMedia[] = [];
  for (const m of media) {
    // Named fields, not a rest spread: that copy showed in the file path's profile (one per SDP).
    const done: SdpMedia = {
      kind: m.kind,
      address: m.explicitAddress ? m.address : sessionAddress,
      port: m.port,
      rtcpPort: m.rtcpPort,
      payloadTypes: m.payloadTypes,
      codecs: m.codecs,
      direction: m.explicitDirection ? m.direction : sessionDirection,
    };
    for (const pt of done.payloadTypes) {
      const known = staticCodecs.get(pt);
      if (!done.codecs.has(pt) && known) done.codecs.set(pt, known);
    }
    out.push(done);
  }
  const live = out.filter((m) => m.port !== 0);
  const hold = live.length > 0 && live.every((m) => m.direction === 'sendonly' || m.direction === 'inactive' || m.address === '0.0.0.0');
  return { media: out, hold };
}
