// `lanyard cert trust --container NAME [--yes]` and `--dockerfile`: the Lanyard CA where the servers run. The
// docker commands are shown first; nothing changes in the container without --yes.
import { readFileSync } from 'node:fs';
import { type ContainerFamily, dockerfileLines } from '../container-trust.ts';
import { applyContainerTrust, ContainerTrustError, containerTrusts, planContainerTrust } from '../container-trust-run.ts';
import { shownCommand } from '../../system/user-shell.ts';
import { bold, dim, green, red, yellow } from '../../system/terminal-style.ts';
import { UsageError } from '../../system/command-line.ts';

const out = (text: string) => process.stdout.write(text);
const families = ['debian', 'alpine', 'rhel'] as const;

function printDockerfile(family: (typeof families)[number] | null): void {
  out(`\n${bold('Dockerfile')} ${dim('(put rootCA.pem in the build context first: cp "$(lanyard cert -CAROOT)/rootCA.pem" .)')}\n`);
  for (const f of family ? [family] : families) {
    if (!family) out(dim(`# ${f === 'rhel' ? 'RHEL, Fedora, CentOS, Rocky, Alma' : f === 'debian' ? 'Debian, Ubuntu' : 'Alpine'}\n`));
    out(`${dockerfileLines(f).join('\n')}\n`);
  }
}

export async function runContainerTrust(options: {
  container?: string;
  yes: boolean;
  dockerfile: boolean;
  rootFile: string;
}): Promise<number> {
  const { container, rootFile } = options;
  if (!container) {
    if (!options.dockerfile) throw new UsageError('cert trust takes --container NAME (and --yes to change it), or --dockerfile');
    printDockerfile(null);
    return 0;
  }
  try {
    const { probe, steps } = await planContainerTrust(container, rootFile, process.env);
    const known =
      probe.family !== 'unknown' && probe.family !== 'bundle-only'
        ? (probe.family as Exclude<ContainerFamily, 'unknown' | 'bundle-only'>)
        : null;
    out(
      `${bold('Container')} ${container}: ${probe.name} ${dim(`(${probe.family} family${probe.updateTool ? '' : ', no update tool'})`)}\n`,
    );
    if (steps.length === 0) {
      out(
        `${yellow('Lanyard does not know how this container trusts certificates')} (no os-release, no update-ca-certificates or update-ca-trust, no /etc/ssl/certs bundle: busybox or scratch?).\n` +
          'Point its programs at the root instead: mount rootCA.pem and set SSL_CERT_FILE (OpenSSL), NODE_EXTRA_CA_CERTS (Node) or REQUESTS_CA_BUNDLE (Python).\n',
      );
      return 1;
    }
    const rootPem = readFileSync(rootFile, 'utf8');
    if (await containerTrusts(container, probe, rootPem, process.env)) {
      out(`${green('✓')} ${probe.bundle} already holds the Lanyard CA: nothing to do.\n`);
      if (options.dockerfile) printDockerfile(known);
      return 0;
    }
    out(
      `\nThese commands put the Lanyard CA into its trust store:\n${steps.map((s) => `  ${dim('$')} ${shownCommand(s.argv)}\n`).join('')}`,
    );
    if (options.dockerfile) printDockerfile(known);
    if (!options.yes) {
      out(`\nNothing was changed. Run again with --yes to run them (or run them yourself).\n`);
      return 0;
    }
    out('\n');
    await applyContainerTrust(steps, process.env, (step) => out(`${dim('…')} ${step.summary}\n`));
    const ok = await containerTrusts(container, probe, rootPem, process.env);
    out(
      ok
        ? `${green('✓')} ${probe.bundle} now holds the Lanyard CA.\n`
        : `${red('✗')} the commands ran but ${probe.bundle} does not hold the Lanyard CA.\n`,
    );
    out(dim('A container made again from its image loses this: add the Dockerfile lines (--dockerfile) to the image.\n'));
    return ok ? 0 : 1;
  } catch (error) {
    if (error instanceof ContainerTrustError) {
      out(`${red('✗')} ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}
