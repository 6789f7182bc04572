// Builds the UDP batch receive addon (native/udp-batch, Linux only) with the node-gyp in node_modules against Node
// headers already on disk — nothing is downloaded. Node-API is ABI-stable, so any recent Node's headers serve,
// and the one binary loads in Node and in Electron. Compiled once; later builds copy it while it is newer than
// its sources. Without a compiler the app receives with Node's dgram instead: one line says so.
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { which } from '../system/which.ts';

export const udpBatchFile = 'udp-batch.node';

/** A folder holding include/node (node_api.h, common.gypi), as node-gyp's --nodedir wants it. */
function nodeHeaders(root: string): string | null {
  const candidates = [
    path.join(root, 'node_modules', 'node', 'node_modules', `node-linux-${process.arch}`),
    path.resolve(process.execPath, '..', '..'),
    '/usr',
  ];
  return (
    candidates.find((dir) => ['node_api.h', 'common.gypi', 'uv.h'].every((f) => existsSync(path.join(dir, 'include', 'node', f)))) ?? null
  );
}

function newer(file: string, than: string[]): boolean {
  if (!existsSync(file)) return false;
  const built = statSync(file).mtimeMs;
  return than.every((source) => statSync(source).mtimeMs <= built);
}

/** Builds (or reuses) the addon and copies it into `outDir`; returns a line to print when it could not. */
export async function buildUdpBatch(root: string, outDir: string): Promise<string | null> {
  if (process.platform !== 'linux') return null;
  const dir = path.join(root, 'native', 'udp-batch');
  const binary = path.join(dir, 'build', 'Release', 'udp_batch.node');
  const sources = ['udp-batch.c', 'binding.gyp'].map((f) => path.join(dir, f));
  if (!newer(binary, sources)) {
    const missing = ['cc', 'make', 'python3'].filter((tool) => !which(tool));
    const fallback = 'UDP receive uses Node dgram (slower).';
    if (missing.length > 0)
      return `lanyard: udp-batch addon not built: ${missing.join(', ')} missing (Debian: apt-get install g++ make python3); ${fallback}`;
    const headers = nodeHeaders(root);
    if (!headers) return `lanyard: udp-batch addon not built: no Node headers found (include/node/node_api.h); ${fallback}`;
    const gyp = path.join(root, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
    try {
      await promisify(execFile)(process.execPath, [gyp, 'rebuild', `--nodedir=${headers}`, `--directory=${dir}`, '--loglevel=error'], {
        maxBuffer: 16 << 20,
      });
    } catch (error) {
      const e = error as { stderr?: string; message: string };
      const first = (e.stderr ?? e.message).split('\n').find((l) => /error/i.test(l)) ?? e.message.split('\n')[0];
      return `lanyard: udp-batch addon failed to build (${first?.trim()}); ${fallback}`;
    }
  }
  copyFileSync(binary, path.join(outDir, udpBatchFile));
  return null;
}
