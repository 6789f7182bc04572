// Certificates: issuing a leaf with an existing CA, in-process (through the contract) and through the CLI,
// side by side with mkcert in the same run and against the same kind of root. Prints the ratios.
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { which } from '../../main/system/which.ts';
import { percentile, report, timeRuns, withTempHome } from './support.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = path.join(root, 'main', 'cli', 'bin.js');
const mkcert = which('mkcert');
// Wall times of whole processes move with whatever else the machine runs: say how busy it was.
process.stdout.write(
  `load average (1, 5 min): ${os
    .loadavg()
    .slice(0, 2)
    .map((l) => l.toFixed(2))
    .join(', ')} on ${os.availableParallelism()} cores\n`,
);
/** CLI and mkcert runs each: RSA key generation time varies a lot from key to key, so a median needs more than a few. */
const processRuns = 15;

await withTempHome(async (home) => {
  const env = { ...process.env, NO_COLOR: '1', CAROOT: '' };
  const outDir = path.join(home, 'out');
  const { startInProcess } = await import('../../main/host/in-process.ts');
  let n = 0;
  /** Median wall time, and CPU time per issue (steadier than wall time on a busy machine). */
  async function inProcess(caKey: 'ecdsa' | 'rsa', leafKey: 'ecdsa' | 'rsa', runs: number): Promise<number> {
    const { api } = startInProcess({ env: { ...env, LANYARD_HOME: path.join(home, `lanyard-${caKey}`) } });
    if (!(await api.certs.ca({})).ca) await api.certs.createCa({ keyType: caKey });
    const issue = () => api.certs.issue({ names: [`bench${n++}.test`, 'localhost', '127.0.0.1'], keyType: leafKey, dir: outDir });
    await issue(); // warm up: module loads, first WebCrypto import of the CA key
    const cpu = process.cpuUsage();
    const median = percentile(await timeRuns(runs, issue), 50);
    const used = process.cpuUsage(cpu);
    const label = `in-process ${leafKey === 'ecdsa' ? 'ECDSA' : 'RSA'} leaf/${caKey === 'ecdsa' ? 'ECDSA' : 'RSA'} root`;
    report(`${label} (median of ${runs})`, median, 'ms', leafKey === 'ecdsa' ? { below: 5 } : undefined);
    report(`${label}, CPU each`, (used.user + used.system) / 1000 / runs, 'ms');
    return median;
  }
  await inProcess('ecdsa', 'ecdsa', 50);
  // mkcert's root is RSA-3072: the same kind of root makes the side-by-side fair.
  const ecdsa = await inProcess('rsa', 'ecdsa', 50);
  await inProcess('rsa', 'rsa', 20);

  const run = (file: string, args: string[], runEnv: NodeJS.ProcessEnv) => () => {
    const r = spawnSync(file, args, { cwd: outDir, env: runEnv, stdio: 'ignore' });
    if (r.status !== 0) throw new Error(`${path.basename(file)} ${args.join(' ')} exited ${r.status}`);
  };
  // The CLI uses the RSA root too.
  const cliEnv = { ...env, LANYARD_HOME: path.join(home, 'lanyard-rsa') };
  const lanyardCli = (flags: string[]) => run(process.execPath, [cli, 'cert', ...flags, 'cli.test', 'localhost', '127.0.0.1'], cliEnv);
  const cliEcdsa = percentile(await timeRuns(processRuns, lanyardCli(['-ecdsa'])), 50);
  const cliRsa = percentile(await timeRuns(processRuns, lanyardCli(['--rsa'])), 50);
  report(`lanyard cert -ecdsa (CLI, median of ${processRuns})`, cliEcdsa, 'ms');
  report(`lanyard cert --rsa (CLI, median of ${processRuns})`, cliRsa, 'ms');

  if (!mkcert) {
    process.stdout.write('mkcert is not installed (apt-get install mkcert): no side-by-side figures\n');
    if (process.env.CI) process.exitCode = 1;
    return;
  }
  const mkcertEnv = { ...process.env, CAROOT: path.join(home, 'mkcert'), TRUST_STORES: 'none' };
  run(mkcert, ['warmup.test'], mkcertEnv)(); // creates mkcert's CA
  const mkEcdsa = percentile(await timeRuns(processRuns, run(mkcert, ['-ecdsa', 'cli.test', 'localhost', '127.0.0.1'], mkcertEnv)), 50);
  const mkRsa = percentile(await timeRuns(processRuns, run(mkcert, ['cli.test', 'localhost', '127.0.0.1'], mkcertEnv)), 50);
  report(`mkcert -ecdsa (median of ${processRuns})`, mkEcdsa, 'ms');
  report(`mkcert, RSA-2048 leaf (median of ${processRuns})`, mkRsa, 'ms');
  report('ratio CLI / mkcert, RSA', cliRsa / mkRsa, 'x', { below: 1.5 });
  report('ratio CLI / mkcert, ECDSA', cliEcdsa / mkEcdsa, 'x');
  report('ratio in-process / mkcert, ECDSA', ecdsa / mkEcdsa, 'x');
});
