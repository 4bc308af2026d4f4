/**
 * Settings shared by every view on the page: a toggle in one output's
 * toolbar changes all of them (and the renderer stores it in VS Code's
 * renderer state).
 */

export interface Preferences {
  /** Draw plots on white whatever the editor's theme. */
  keepLight: boolean;
}

type Listener = (preferences: Preferences) => void;

const current: Preferences = { keepLight: false };
const listeners = new Set<Listener>();

export function preferences(): Preferences {
  return { ...current };
}

/** Changes some settings and tells every listener. */
export function setPreferences(changes: Partial<Preferences>): void {
  Object.assign(current, changes);
  for (const listener of listeners) listener(preferences());
}

/** Calls `listener` on every change; returns the unsubscribe. */
export function onPreferences(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
