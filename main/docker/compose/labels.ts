// The Compose labels on a container, as Compose v1 and v2 both write them. They differ in details read here:
// v2 names containers `proj-svc-1` (v1 `proj_svc_1`), writes absolute config files joined with ",", writes
// `depends_on` as "svc:condition:restart,…" (older v2 "svc:condition"), and its own version.
import type { ComposeLabels } from '../../docker/contract.ts';

export const composeLabel = {
  project: 'com.docker.compose.project',
  service: 'com.docker.compose.service',
  workingDir: 'com.docker.compose.project.working_dir',
  configFiles: 'com.docker.compose.project.config_files',
  oneoff: 'com.docker.compose.oneoff',
  dependsOn: 'com.docker.compose.depends_on',
  version: 'com.docker.compose.version',
} as const;

/** The services named by a depends_on label: each entry's part before its first ":", once each, in order. */
export function dependsOnServices(label: string | undefined): string[] {
  const found = new Set<string>();
  for (const entry of (label ?? '').split(',')) {
    const colon = entry.indexOf(':');
    const service = (colon < 0 ? entry : entry.slice(0, colon)).trim();
    if (service) found.add(service);
  }
  return [...found];
}

const isDigits = (text: string) => text.length > 0 && [...text].every((c) => c >= '0' && c <= '9');

/**
 * The service in a container name Compose made, for a container whose service label is missing: `proj-svc-1`
 * (v2) or `proj_svc_1` (v1); one-offs `proj-svc-run-0123abcd` (v2) or `proj_svc_run_1` (v1). '' when the name
 * is not of that shape.
 */
export function serviceFromName(project: string, name: string, oneoff: boolean): string {
  for (const sep of ['-', '_']) {
    if (!name.startsWith(project + sep)) continue;
    const rest = name.slice(project.length + 1);
    const last = rest.lastIndexOf(sep);
    if (last <= 0) continue;
    const head = rest.slice(0, last);
    const run = `${sep}run`;
    if (oneoff && head.endsWith(run) && head.length > run.length) return head.slice(0, -run.length);
    if (isDigits(rest.slice(last + 1))) return head;
  }
  return '';
}

export function composeLabels(labels: Record<string, string> | null | undefined, name = ''): ComposeLabels | null {
  const project = labels?.[composeLabel.project];
  if (!labels || !project) return null;
  const oneoff = (labels[composeLabel.oneoff] ?? '').toLowerCase() === 'true';
  return {
    project,
    service: labels[composeLabel.service] || serviceFromName(project, name, oneoff),
    workingDir: labels[composeLabel.workingDir] || null,
    // Compose joins the files with ","; a file name holding one is not told apart (Compose itself cannot either).
    configFiles: (labels[composeLabel.configFiles] ?? '').split(',').filter(Boolean),
    oneoff,
    dependsOn: dependsOnServices(labels[composeLabel.dependsOn]),
    version: labels[composeLabel.version] || null,
  };
}
