import type { ComponentType } from 'react';
import { views, type ViewId } from '../../../main/contract/views.ts';
import type { PaletteCommand } from '../components/CommandPalette.tsx';
import { CapturesView, capturesToggleEvent, capturesWiresharkEvent } from './captures/CapturesView.tsx';
import { CertsView, newCertFocusEvent } from './certs/CertsView.tsx';
import { DockerView, dockerContainersEvent, dockerSearchEvent } from './docker/DockerView.tsx';
import { DoctorView, doctorCopyEvent, doctorRerunEvent } from './doctor/DoctorView.tsx';
import { HistoryView, historyFocusEvent, historySettingsEvent, historyStatsEvent } from './history/HistoryView.tsx';
import { TerminalView, terminalCloseTabEvent, terminalNewTabEvent } from './terminal/TerminalView.tsx';

export interface ViewDefinition {
  id: ViewId;
  label: string;
  icon: string;
  Component: ComponentType;
  /** Palette commands the view offers; each runs after the view is shown. */
  actions: Omit<PaletteCommand, 'group'>[];
}

const fire = (name: string) => () => window.dispatchEvent(new Event(name));

const definitions: Record<ViewId, Omit<ViewDefinition, 'id' | 'label'>> = {
  history: {
    icon: '⟲',
    Component: HistoryView,
    actions: [
      { id: 'history.search', title: 'Search shell history', run: fire(historyFocusEvent) },
      { id: 'history.stats', title: 'History stats', run: fire(historyStatsEvent) },
      { id: 'history.settings', title: 'History hooks, pause and secrets', run: fire(historySettingsEvent) },
    ],
  },
  captures: {
    icon: '⇶',
    Component: CapturesView,
    actions: [
      { id: 'captures.toggle', title: 'Start or stop the TZSP listener', run: fire(capturesToggleEvent) },
      { id: 'captures.wireshark', title: 'Open the live capture in Wireshark', run: fire(capturesWiresharkEvent) },
    ],
  },
  certs: {
    icon: '◎',
    Component: CertsView,
    actions: [{ id: 'certs.new', title: 'New certificate', run: fire(newCertFocusEvent) }],
  },
  doctor: {
    icon: '✚',
    Component: DoctorView,
    actions: [
      { id: 'doctor.rerun', title: 'Run the checks again', run: fire(doctorRerunEvent) },
      { id: 'doctor.copy', title: 'Copy the report as JSON', run: fire(doctorCopyEvent) },
    ],
  },
  docker: {
    icon: '◈',
    Component: DockerView,
    actions: [
      { id: 'docker.search', title: 'Search Docker cheats', run: fire(dockerSearchEvent) },
      { id: 'docker.containers', title: 'Show containers', run: fire(dockerContainersEvent) },
    ],
  },
  terminal: {
    icon: '›_',
    Component: TerminalView,
    actions: [
      { id: 'terminal.new', title: 'New terminal tab', run: fire(terminalNewTabEvent) },
      { id: 'terminal.close', title: 'Close terminal tab', run: fire(terminalCloseTabEvent) },
    ],
  },
};

export const registry: ViewDefinition[] = views.map((v) => ({ ...v, ...definitions[v.id] }));
