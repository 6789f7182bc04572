// Trust where the servers run: the Lanyard CA into a running container's trust store, and the Dockerfile lines
// that do the same for an image. Each step is a docker command (argv) shown to the user before anything runs;
// the container's family is read from a read-only probe (os-release and which tools exist).

export type ContainerFamily = 'debian' | 'alpine' | 'rhel' | 'bundle-only' | 'unknown';

export interface ContainerProbe {
  family: ContainerFamily;
  /** PRETTY_NAME from os-release, or what was found instead. */
  name: string;
  /** The bundle file that holds the trusted roots once the CA is in (null when there is none). */
  bundle: string | null;
  /** Whether the family's tool (update-ca-certificates / update-ca-trust) is there: Alpine has it only with ca-certificates. */
  updateTool: boolean;
}

/** Anchor file names: the .crt suffix is what update-ca-certificates picks up. */
const debianAnchor = '/usr/local/share/ca-certificates/lanyard-rootCA.crt';
const rhelAnchor = '/etc/pki/ca-trust/source/anchors/lanyard-rootCA.pem';
const debianBundle = '/etc/ssl/certs/ca-certificates.crt';
const rhelBundle = '/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem';
const staging = '/tmp/lanyard-rootCA.pem';

const marker = '--lanyard--';
/** Read-only: os-release, which trust tools exist, which bundle exists. Sections split by a marker line. */
export const probeScript = [
  'cat /etc/os-release 2>/dev/null',
  `echo ${marker}`,
  'command -v update-ca-certificates update-ca-trust 2>/dev/null',
  `echo ${marker}`,
  `for f in ${debianBundle} ${rhelBundle}; do [ -f "$f" ] && echo "$f"; done`,
  'true',
].join('; ');

/** The probe's answer is from inside the container: bounded, read line by line, unknown lines ignored. */
export function parseProbe(output: string): ContainerProbe {
  const [release = '', tools = '', bundles = ''] = output.slice(0, 64 * 1024).split(`${marker}\n`);
  const fields = new Map<string, string>();
  for (const line of release.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) fields.set(line.slice(0, eq), line.slice(eq + 1).replace(/^"(.*)"$/, '$1'));
  }
  const ids = `${fields.get('ID') ?? ''} ${fields.get('ID_LIKE') ?? ''}`.toLowerCase().split(/\s+/).filter(Boolean);
  const has = (tool: string) => tools.split('\n').some((l) => l.trim().endsWith(`/${tool}`));
  const bundleList = bundles.split('\n').map((l) => l.trim());
  const name = fields.get('PRETTY_NAME') ?? fields.get('ID') ?? 'no /etc/os-release';
  const is = (...names: string[]) => ids.some((id) => names.includes(id));
  if (is('rhel', 'fedora', 'centos', 'rocky', 'almalinux', 'amzn', 'ol') || (!ids.length && has('update-ca-trust')))
    return { family: 'rhel', name, bundle: rhelBundle, updateTool: has('update-ca-trust') };
  const updateTool = has('update-ca-certificates');
  if (is('alpine')) return { family: 'alpine', name, bundle: debianBundle, updateTool };
  if (is('debian', 'ubuntu') || updateTool) return { family: 'debian', name, bundle: debianBundle, updateTool };
  if (bundleList.includes(debianBundle)) return { family: 'bundle-only', name, bundle: debianBundle, updateTool };
  return { family: 'unknown', name, bundle: null, updateTool };
}

export interface TrustStep {
  /** What the step does, in a few words. */
  summary: string;
  argv: string[];
}

/**
 * The docker commands that put `rootFile` into the container's store. Alpine without update-ca-certificates (its
 * ca-certificates package not installed) and bundle-only images get the root appended to the bundle, once.
 */
export function containerTrustSteps(container: string, probe: ContainerProbe, rootFile: string): TrustStep[] {
  const exec = (script: string): string[] => ['docker', 'exec', '--user', '0', container, 'sh', '-c', script];
  switch (probe.family) {
    case 'debian':
    case 'alpine':
      // Slim Debian images and Alpine without its ca-certificates package have no update tool: append instead.
      if (!probe.updateTool) return appendSteps(container, rootFile, exec);
      return [
        { summary: 'copy the root as a local anchor', argv: ['docker', 'cp', rootFile, `${container}:${debianAnchor}`] },
        { summary: 'rebuild the bundle', argv: exec('update-ca-certificates') },
      ];
    case 'bundle-only':
      return appendSteps(container, rootFile, exec);
    case 'rhel':
      return [
        { summary: 'copy the root as an anchor', argv: ['docker', 'cp', rootFile, `${container}:${rhelAnchor}`] },
        { summary: 'rebuild the bundles', argv: exec('update-ca-trust extract') },
      ];
    case 'unknown':
      return [];
  }
}

function appendSteps(container: string, rootFile: string, exec: (script: string) => string[]): TrustStep[] {
  // The root's first base64 line holds its serial number: present already means appended already.
  const append = `mkdir -p /etc/ssl/certs && touch ${debianBundle} && { grep -qxF "$(sed -n 2p ${staging})" ${debianBundle} || cat ${staging} >> ${debianBundle}; } && rm -f ${staging}`;
  return [
    { summary: 'copy the root into the container', argv: ['docker', 'cp', rootFile, `${container}:${staging}`] },
    { summary: `append it to ${debianBundle} (no update-ca-certificates here)`, argv: exec(append) },
  ];
}

/** Lines for a Dockerfile whose build context holds rootCA.pem (copied from `lanyard cert -CAROOT`). */
export function dockerfileLines(family: Exclude<ContainerFamily, 'unknown' | 'bundle-only'>): string[] {
  switch (family) {
    case 'debian':
      return [
        'RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates && rm -rf /var/lib/apt/lists/*',
        `COPY rootCA.pem ${debianAnchor}`,
        'RUN update-ca-certificates',
      ];
    case 'alpine':
      return ['RUN apk add --no-cache ca-certificates', `COPY rootCA.pem ${debianAnchor}`, 'RUN update-ca-certificates'];
    case 'rhel':
      return [`COPY rootCA.pem ${rhelAnchor}`, 'RUN update-ca-trust extract'];
  }
}

/** True when `bundle` (the container's bundle file) holds the root `rootPem`, compared without line-ending noise. */
export function bundleHolds(bundle: string, rootPem: string): boolean {
  const body = (pem: string) => pem.replace(/\r/g, '').trim();
  return bundle.replace(/\r/g, '').includes(body(rootPem));
}
