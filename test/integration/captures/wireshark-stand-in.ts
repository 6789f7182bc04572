// Stands in for the Wireshark GUI, which cannot run here: the real tshark, given Wireshark's `-k -i TARGET`,
// capturing `count` packets into a file.
import { chmodSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { tshark } from './tshark.ts';

export function wiresharkStandIn(dir: string, name: string, count: number): { script: string; file: string } {
  const file = path.join(dir, `${name}.pcapng`);
  const script = path.join(dir, `${name}.sh`);
  writeFileSync(
    script,
    `#!/bin/sh\n# called as: wireshark -k -i TARGET\nexec '${tshark}' -i "$3" -c ${count} -w '${file}' 2>'${file}.log'\n`,
  );
  chmodSync(script, 0o755);
  return { script, file };
}
