// A tiny authoritative DNS responder on loopback UDP for dns-01 tests: TXT answers come from files in a folder
// (one file per name, "_acme-challenge.app.test." holding the value), so a DNS hook script run by the ACME client
// (lego's exec provider) publishes a record by writing a file. Every name under `zone` gets an SOA so clients that
// look for the zone find it; anything else is answered empty. Queries are logged for the test to read.
import { createSocket, type Socket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import path from 'node:path';

export interface DnsResponder {
  /** "127.0.0.1:port" */
  address: string;
  queries: { name: string; type: number }[];
  close(): Promise<void>;
}

const TXT = 16;
const SOA = 6;

/** The question's name (lower case, with the trailing dot) and where the question's type starts; null when unreadable. */
function readQuestion(message: Buffer): { name: string; end: number } | null {
  const labels: string[] = [];
  let at = 12;
  while (at < message.length && labels.length < 128) {
    const length = message[at]!;
    if (length === 0) return at + 5 <= message.length ? { name: `${labels.join('.')}.`.toLowerCase(), end: at + 1 } : null;
    if (length > 63 || at + 1 + length > message.length) return null;
    labels.push(message.subarray(at + 1, at + 1 + length).toString('latin1'));
    at += 1 + length;
  }
  return null;
}

function record(type: number, rdata: Buffer): Buffer {
  const head = Buffer.alloc(12);
  head.writeUInt16BE(0xc00c, 0); // the name: a pointer to the question's
  head.writeUInt16BE(type, 2);
  head.writeUInt16BE(1, 4); // IN
  head.writeUInt32BE(0, 6); // TTL 0: nothing cached between attempts
  head.writeUInt16BE(rdata.length, 10);
  return Buffer.concat([head, rdata]);
}

function txtData(value: string): Buffer {
  const chunks: Buffer[] = [];
  const bytes = Buffer.from(value);
  for (let i = 0; i < bytes.length || i === 0; i += 255) {
    const part = bytes.subarray(i, i + 255);
    chunks.push(Buffer.from([part.length]), part);
  }
  return Buffer.concat(chunks);
}

function soaData(zone: string): Buffer {
  const name = (n: string) =>
    Buffer.concat([
      ...n
        .split('.')
        .filter(Boolean)
        .map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l)])),
      Buffer.from([0]),
    ]);
  const numbers = Buffer.alloc(20);
  for (const [i, n] of [1, 60, 60, 600, 0].entries()) numbers.writeUInt32BE(n, i * 4); // serial, refresh, retry, expire, minimum
  return Buffer.concat([name(`ns.${zone}`), name(`hostmaster.${zone}`), numbers]);
}

export function startDnsResponder(folder: string, zone: string): Promise<DnsResponder> {
  const socket: Socket = createSocket('udp4');
  const queries: DnsResponder['queries'] = [];
  const zoneDot = `${zone.toLowerCase()}.`;
  socket.on('message', (message, peer) => {
    if (message.length < 12) return;
    const question = readQuestion(message);
    if (!question) return;
    const type = message.readUInt16BE(question.end);
    queries.push({ name: question.name, type });
    const answers: Buffer[] = [];
    if (type === TXT) {
      try {
        answers.push(record(TXT, txtData(readFileSync(path.join(folder, question.name), 'utf8').trim())));
      } catch {
        // not published: an empty answer
      }
    } else if (type === SOA && (question.name === zoneDot || question.name.endsWith(`.${zoneDot}`))) {
      answers.push(record(SOA, soaData(zone)));
    }
    const header = Buffer.alloc(12);
    header.writeUInt16BE(message.readUInt16BE(0), 0);
    header.writeUInt16BE(0x8400 | (message.readUInt16BE(2) & 0x0100), 2); // response, authoritative, RD echoed
    header.writeUInt16BE(1, 4);
    header.writeUInt16BE(answers.length, 6);
    socket.send(Buffer.concat([header, message.subarray(12, question.end + 4), ...answers]), peer.port, peer.address);
  });
  return new Promise((resolve) => {
    socket.bind(0, '127.0.0.1', () =>
      resolve({
        address: `127.0.0.1:${socket.address().port}`,
        queries,
        close: () => new Promise((done) => socket.close(() => done())),
      }),
    );
  });
}
