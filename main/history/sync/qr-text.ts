// A QR code for a terminal: two module rows per text row in half blocks, light modules drawn (so it reads on the
// usual dark terminal background), with a quiet zone.
import { qrMatrix } from './qr.ts';

export function renderQrText(text: string): string {
  const m = qrMatrix(text);
  const quiet = 2;
  const size = m.length + quiet * 2;
  const light = (x: number, y: number) => {
    const xx = x - quiet;
    const yy = y - quiet;
    return !(m[yy]?.[xx] ?? false);
  };
  const lines: string[] = [];
  for (let y = 0; y < size; y += 2) {
    let line = '';
    for (let x = 0; x < size; x++) {
      const top = light(x, y);
      const bottom = y + 1 < size ? light(x, y + 1) : false;
      line += top && bottom ? '█' : top ? '▀' : bottom ? '▄' : ' ';
    }
    lines.push(line);
  }
  return lines.join('\n');
}
