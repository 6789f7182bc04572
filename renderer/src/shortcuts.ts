// The app-wide shortcuts, in one place: the shell handles them, and views that own the keyboard (the terminal)
// let them through. Ctrl/Cmd+1…9 switch views; Ctrl/Cmd+K and F1 open the palette — except that inside a
// terminal Ctrl+K stays with the shell (readline's kill-line), where F1 still works.

export const isMac = typeof navigator !== 'undefined' && (navigator.platform.startsWith('Mac') || /Mac OS X/.test(navigator.userAgent));
export const modLabel = isMac ? '⌘' : 'Ctrl+';

export type AppShortcut = { kind: 'palette' } | { kind: 'view'; index: number };

export function appShortcut(event: KeyboardEvent, where: 'app' | 'terminal' = 'app'): AppShortcut | null {
  if (event.type !== 'keydown' || event.altKey) return null;
  if (event.key === 'F1' && !event.ctrlKey && !event.metaKey && !event.shiftKey) return { kind: 'palette' };
  const mod = isMac ? event.metaKey && !event.ctrlKey : event.ctrlKey && !event.metaKey;
  if (!mod || event.shiftKey) return null;
  if (event.key.toLowerCase() === 'k') return where === 'app' ? { kind: 'palette' } : null;
  if (/^[1-9]$/.test(event.key)) return { kind: 'view', index: Number(event.key) - 1 };
  return null;
}
