// The Compose labels on a container, as Compose v1 and v2 both write them.
import type { ComposeLabels } from '../../docker/contract.ts';

export const composeLabel = {
  project: 'com.docker.compose.project',
  service: 'com.docker.compose.service',
  workingDir: 'com.docker.compose.project.working_dir',
  configFiles: 'com.docker.compose.project.config_files',
  oneoff: 'com.docker.compose.oneoff',
} as const;

export function composeLabels(labels: Record<string, string> | null | undefined): ComposeLabels | null {
  const project = labels?.[composeLabel.project];
  if (!labels || !project) return null;
  return {
    project,
    service: labels[composeLabel.service] ?? '',
    workingDir: labels[composeLabel.workingDir] || null,
    // Compose joins the files with ","; a file name holding one is not told apart (Compose itself cannot either).
    configFiles: (labels[composeLabel.configFiles] ?? '').split(',').filter(Boolean),
    oneoff: (labels[composeLabel.oneoff] ?? '').toLowerCase() === 'true',
  };
}
