// ACME: lego obtaining a certificate (a new account each time, http-01) from `lanyard acme serve` and from pebble
// (Debian's, PEBBLE_VA_NOSLEEP=1, its own DNS answering 127.0.0.1 as Lanyard's --resolve-local does), alternately in
// the same run; then renewals back to back against Lanyard: p50/p99 and the server's RSS growth, with a few pebble
// renewals beside them (pebble takes seconds each, so fewer).
// ACME_BENCH_SHORT=1: 3 obtains each, 10 renewals and 3 pebble renewals (about a minute); default 10, 100 and 10
// (about 3 minutes); ACME_BENCH_RENEWALS=N sets Lanyard's renewals.
import { type ChildProcess, execFile, spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { which } from '../../main/system/which.ts';
import { freePort } from '../support/free-port.ts';
import { rssMbOf } from '../support/proc-stat.ts';
import { percentile, report, withTempHome } from './support.ts';

const short = process.env.ACME_BENCH_SHORT === '1';
const obtains = short ? 3 : 10;
const renewals = Number(process.env.ACME_BENCH_RENEWALS ?? (short ? 10 : 100));
const pebbleRenewals = short ? 3 : 10;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = path.join(root, 'out', 'cli.js');
const [lego, pebble, challtestsrv] = [which('lego'), which('pebble'), which('pebble-challtestsrv')];
if (!lego || !pebble || !challtestsrv) {
  process.stdout.write('lego, pebble or pebble-challtestsrv missing (apt-get install lego pebble): skipped\n');
  process.exit(0);
}
process.stdout.write(
  `load average (1, 5 min): ${os
    .loadavg()
    .slice(0, 2)
    .map((l) => l.toFixed(2))
    .join(', ')} on ${os.availableParallelism()} cores\n`,
);

/** Start a child and wait until its output matches. */
function started(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  ready: RegExp,
): Promise<{ child: ChildProcess; match: RegExpExecArray }> {
  const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${command} not ready in 20 s:\n${text}`)), 20_000);
    const onData = (chunk: Buffer) => {
      text += chunk.toString();
      const match = ready.exec(text);
      if (match) {
        clearTimeout(timer);
        resolve({ child, match });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`${command} exited ${code}:\n${text}`)));
  });
}

await withTempHome(async (home) => {
  const env = { ...process.env, LANYARD_HOME: path.join(home, 'lanyard'), CAROOT: '', HOME: home };
  const httpPort = await freePort();
  const lanyard = await started(
    process.execPath,
    [cli, 'acme', 'serve', '--port', '0', '--resolve-local', '--http-port', String(httpPort)],
    env,
    /ACME directory: (\S+)\n/,
  );
  const lanyardUrl = lanyard.match[1]!;
  const caFile = path.join(home, 'lanyard', 'ca', 'rootCA.pem');

  // Pebble's HTTPS certificate, from the same CA so lego trusts both servers through one bundle.
  spawnSync(process.execPath, [cli, 'cert', '-cert-file', 'pebble.pem', '-key-file', 'pebble-key.pem', 'localhost', '127.0.0.1'], {
    cwd: home,
    env,
  });
  const [pebblePort, managementPort, dnsPort] = [await freePort(), await freePort(), await freePort()];
  writeFileSync(
    path.join(home, 'pebble.json'),
    JSON.stringify({
      pebble: {
        listenAddress: `127.0.0.1:${pebblePort}`,
        managementListenAddress: `127.0.0.1:${managementPort}`,
        certificate: path.join(home, 'pebble.pem'),
        privateKey: path.join(home, 'pebble-key.pem'),
        httpPort,
        tlsPort: await freePort(),
        ocspResponderURL: '',
        externalAccountBindingRequired: false,
      },
    }),
  );
  const dns = spawn(
    challtestsrv,
    [
      '-defaultIPv4',
      '127.0.0.1',
      '-defaultIPv6',
      '',
      '-dns01',
      `127.0.0.1:${dnsPort}`,
      '-http01',
      '',
      '-https01',
      '',
      '-tlsalpn01',
      '',
      '-management',
      `127.0.0.1:${await freePort()}`,
    ],
    { stdio: 'ignore' },
  );
  // No sleep before validating; no nonces rejected on purpose (pebble's default 5 % would cost lego retries).
  const pebbleServer = await started(
    pebble,
    ['-config', path.join(home, 'pebble.json'), '-dnsserver', `127.0.0.1:${dnsPort}`],
    { ...process.env, PEBBLE_VA_NOSLEEP: '1', PEBBLE_WFE_NONCEREJECT: '0' },
    /Listening on/,
  );
  const pebbleUrl = `https://127.0.0.1:${pebblePort}/dir`;

  let n = 0;
  // lego runs asynchronously: the servers' log pipes must keep draining meanwhile (pebble logs every request, and a
  // full pipe stopped it after ~7 obtains when lego ran with spawnSync).
  const run = promisify(execFile);
  const legoRun = async (server: string, args: string[], legoPath: string) => {
    const start = performance.now();
    try {
      await run(
        lego,
        [
          '--accept-tos',
          '--email',
          'bench@app.test',
          '--server',
          server,
          '--path',
          legoPath,
          '--domains',
          'app.test',
          '--http',
          '--http.port',
          `127.0.0.1:${httpPort}`,
          ...args,
        ],
        { env: { ...process.env, LEGO_CA_CERTIFICATES: caFile }, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 },
      );
    } catch (error) {
      throw new Error(`lego against ${server} failed:\n${(error as { stderr?: string }).stderr ?? error}`);
    }
    return performance.now() - start;
  };
  const fromLanyard: number[] = [];
  const fromPebble: number[] = [];
  for (let i = 0; i < obtains; i++) {
    fromLanyard.push(await legoRun(lanyardUrl, ['run'], path.join(home, `lego-l${n++}`)));
    fromPebble.push(await legoRun(pebbleUrl, ['run'], path.join(home, `lego-p${n++}`)));
  }
  const lanyardMedian = percentile(
    fromLanyard.sort((a, b) => a - b),
    50,
  );
  const pebbleMedian = percentile(
    fromPebble.sort((a, b) => a - b),
    50,
  );
  report(`lego new account + http-01, Lanyard (median of ${obtains})`, lanyardMedian, 'ms');
  report(`lego new account + http-01, pebble (median of ${obtains})`, pebbleMedian, 'ms');
  report('ratio Lanyard / pebble', lanyardMedian / pebbleMedian, 'x', { below: 1.0 });

  const renewPath = path.join(home, 'lego-renew');
  await legoRun(lanyardUrl, ['run'], renewPath);
  const rssBefore = rssMbOf(lanyard.child.pid!);
  const times: number[] = [];
  for (let i = 0; i < renewals; i++) times.push(await legoRun(lanyardUrl, ['renew', '--days', '100000', '--no-random-sleep'], renewPath));
  const rssAfter = rssMbOf(lanyard.child.pid!);
  times.sort((a, b) => a - b);
  report(`lego renew, Lanyard, p50 of ${renewals}`, percentile(times, 50), 'ms');
  report(`lego renew, Lanyard, p99 of ${renewals}`, percentile(times, 99), 'ms');
  report(`lanyard acme serve RSS growth over ${renewals} renewals`, rssAfter - rssBefore, 'MB');
  report('lanyard acme serve RSS after', rssAfter, 'MB');

  const pebbleRenewPath = path.join(home, 'lego-renew-pebble');
  await legoRun(pebbleUrl, ['run'], pebbleRenewPath);
  const pebbleTimes: number[] = [];
  for (let i = 0; i < pebbleRenewals; i++)
    pebbleTimes.push(await legoRun(pebbleUrl, ['renew', '--days', '100000', '--no-random-sleep'], pebbleRenewPath));
  pebbleTimes.sort((a, b) => a - b);
  report(`lego renew, pebble, p50 of ${pebbleRenewals}`, percentile(pebbleTimes, 50), 'ms');
  report('renew p50 ratio Lanyard / pebble', percentile(times, 50) / percentile(pebbleTimes, 50), 'x', { below: 1.0 });

  lanyard.child.kill('SIGINT');
  pebbleServer.child.kill('SIGTERM');
  dns.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 300));
});
