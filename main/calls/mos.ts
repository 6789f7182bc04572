// An E-model MOS estimate (ITU-T G.107) from what a passive observer knows: codec, loss and jitter.
// The simplification, stated: R = R0 − Is − Id − Ie,eff + A with the G.107 defaults folded into
// R0 − Is = 93.2 and A = 0; Ie,eff = Ie + (95 − Ie)·Ppl / (Ppl + Bpl) (random loss, BurstR = 1) with Ie and
// Bpl per codec from ITU-T G.113 Appendix I (packet-loss-concealment variants); Id from the one-way delay by
// the Cole–Rosenbluth fit of G.107's curve, Id = 0.024·d + 0.11·(d − 177.3)·H(d − 177.3), where d is not
// measured (a passive tap cannot) but taken as the packet time plus a jitter buffer of twice the max jitter
// plus a nominal 40 ms network path. Then G.107 Annex B: MOS = 1 + 0.035R + R(R − 60)(100 − R)·7·10⁻⁶.

interface Impairment {
  ie: number;
  bpl: number;
}

/** G.113 Appendix I, by the SDP codec name (upper-cased). Wideband codecs are scored on the narrowband scale. */
const impairments: Record<string, Impairment> = {
  PCMU: { ie: 0, bpl: 25.1 },
  PCMA: { ie: 0, bpl: 25.1 },
  G722: { ie: 0, bpl: 25.1 },
  G729: { ie: 11, bpl: 19 },
  G723: { ie: 15, bpl: 16.1 },
  GSM: { ie: 20, bpl: 10 },
  ILBC: { ie: 11, bpl: 32 },
  OPUS: { ie: 0, bpl: 25.1 },
};
/** A codec the table does not know is scored as G.729 would be (a middling, not a flattering, guess). */
const unknownCodec: Impairment = { ie: 11, bpl: 19 };

const nominalNetworkMs = 40;

export function rFactor(codec: string, lossPercent: number, maxJitterMs: number, packetMs = 20): number {
  const { ie, bpl } = impairments[codec.toUpperCase()] ?? unknownCodec;
  const ppl = Math.min(100, Math.max(0, lossPercent));
  const ieEff = ie + ((95 - ie) * ppl) / (ppl + bpl);
  const d = packetMs + 2 * Math.max(0, maxJitterMs) + nominalNetworkMs;
  const id = 0.024 * d + (d > 177.3 ? 0.11 * (d - 177.3) : 0);
  return 93.2 - id - ieEff;
}

export function mosFromR(r: number): number {
  if (r <= 0) return 1;
  if (r >= 100) return 4.5;
  return 1 + 0.035 * r + r * (r - 60) * (100 - r) * 7e-6;
}

export function mos(codec: string, lossPercent: number, maxJitterMs: number, packetMs?: number): number {
  return Math.round(mosFromR(rFactor(codec, lossPercent, maxJitterMs, packetMs)) * 100) / 100;
}
