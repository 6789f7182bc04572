/** The app's views, in navigation order. Only views that work are listed. Shared by the renderer and Electron's menu. */
export const views = [
  { id: 'certs', label: 'Certificates' },
  { id: 'history', label: 'History' },
  { id: 'docker', label: 'Docker' },
  { id: 'terminal', label: 'Terminal' },
  { id: 'captures', label: 'Captures' },
  { id: 'doctor', label: 'Doctor' },
] as const;

export type ViewId = (typeof views)[number]['id'];
