// Every view: its nav entry, its palette actions, and its code, loaded when the view is first opened
// so the shell paints before any view's libraries (xterm, charts) are fetched.
import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import { views, type ViewId } from '../../../main/contract/tools.ts';
import type { PaletteCommand } from '../components/CommandPalette.tsx';
import * as events from './view-events.ts';

export interface ViewDefinition {
  id: ViewId;
  label: string;
  icon: string;
  Component: LazyExoticComponent<ComponentType>;
  /** Load the view's code (also what Component waits for). */
  load(): Promise<unknown>;
  /** Palette commands the view offers; each runs once the view is shown. */
  actions: Omit<PaletteCommand, 'group'>[];
}

const fire = (name: string) => () => window.dispatchEvent(new Event(name));

function lazyView(load: () => Promise<ComponentType>): Pick<ViewDefinition, 'Component' | 'load'> {
  let loading: Promise<ComponentType> | null = null;
  const once = () => (loading ??= load());
  return { load: once, Component: lazy(async () => ({ default: await once() })) };
}

const definitions: Record<ViewId, Omit<ViewDefinition, 'id' | 'label'>> = {
  certs: {
    icon: '◎',
    ...lazyView(async () => (await import('./certs/CertsView.tsx')).CertsView),
    actions: [{ id: 'certs.new', title: 'New certificate', run: fire(events.newCertFocusEvent) }],
  },
  history: {
    icon: '⟲',
    ...lazyView(async () => (await import('./history/HistoryView.tsx')).HistoryView),
    actions: [
      { id: 'history.search', title: 'Search shell history', run: fire(events.historyFocusEvent) },
      { id: 'history.stats', title: 'History stats', run: fire(events.historyStatsEvent) },
      { id: 'history.settings', title: 'History hooks, pause and secrets', run: fire(events.historySettingsEvent) },
    ],
  },
  docker: {
    icon: '◈',
    ...lazyView(async () => (await import('./docker/DockerView.tsx')).DockerView),
    actions: [
      { id: 'docker.search', title: 'Search Docker cheats', run: fire(events.dockerSearchEvent) },
      { id: 'docker.containers', title: 'Show containers', run: fire(events.dockerContainersEvent) },
    ],
  },
  terminal: {
    icon: '›_',
    ...lazyView(async () => (await import('./terminal/TerminalView.tsx')).TerminalView),
    actions: [
      { id: 'terminal.new', title: 'New terminal tab', run: fire(events.terminalNewTabEvent) },
      { id: 'terminal.close', title: 'Close terminal tab', run: fire(events.terminalCloseTabEvent) },
    ],
  },
  captures: {
    icon: '⇶',
    ...lazyView(async () => (await import('./captures/CapturesView.tsx')).CapturesView),
    actions: [
      { id: 'captures.toggle', title: 'Start or stop the TZSP listener', run: fire(events.capturesToggleEvent) },
      { id: 'captures.wireshark', title: 'Open the live capture in Wireshark', run: fire(events.capturesWiresharkEvent) },
    ],
  },
  doctor: {
    icon: '✚',
    ...lazyView(async () => (await import('./doctor/DoctorView.tsx')).DoctorView),
    actions: [
      { id: 'doctor.rerun', title: 'Run the checks again', run: fire(events.doctorRerunEvent) },
      { id: 'doctor.copy', title: 'Copy the report as JSON', run: fire(events.doctorCopyEvent) },
    ],
  },
};

export const registry: ViewDefinition[] = views.map((v) => ({ ...v, ...definitions[v.id] }));
