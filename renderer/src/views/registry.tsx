// Every view: its nav entry (label and order from the tool list), its palette actions, and its code, loaded when the
// view is first opened so the shell paints before any view's libraries (xterm, charts) are fetched. Each view folder
// registers itself in its index.ts, found here by Vite's import.meta.glob: adding a view is adding its folder.
import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import { views, type ViewId } from '../../../main/contract/tools.ts';
import type { PaletteCommand } from '../components/CommandPalette.tsx';
import type { ViewRegistration } from './view-registration.ts';

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

const folders = import.meta.glob<ViewRegistration>('./*/index.ts', { eager: true, import: 'view' });

function define(id: ViewId, label: string): ViewDefinition {
  const registration = folders[`./${id}/index.ts`];
  if (!registration) throw new Error(`The tool "${id}" has no view: add renderer/src/views/${id}/index.ts exporting \`view\`.`);
  let loading: Promise<ComponentType> | null = null;
  const load = () => (loading ??= registration.load());
  return {
    id,
    label,
    icon: registration.icon,
    actions: registration.actions,
    load,
    Component: lazy(async () => ({ default: await load() })),
  };
}

export const registry: ViewDefinition[] = views.map((v) => define(v.id, v.label));
