/** Screen state of a drill around the wizard: briefing, naming the cause, debrief. No Ink here. */
export type DrillScreen = 'briefing' | 'wizard' | 'verdict' | 'scoring' | 'debrief';

export interface CauseOption {
  id: string;
  title: string;
}

export interface DrillUi {
  screen: DrillScreen;
  /** Typed letters that narrow the cause list. */
  filter: string;
  cursor: number;
  error?: string;
}

export type DrillAction =
  | { type: 'start' }
  | { type: 'verdict' }
  | { type: 'back-to-wizard' }
  | { type: 'type'; ch: string }
  | { type: 'erase' }
  | { type: 'move'; delta: number; count: number }
  | { type: 'scoring' }
  | { type: 'debrief' }
  | { type: 'error'; message: string };

export const initialDrillUi: DrillUi = { screen: 'briefing', filter: '', cursor: 0 };

export function drillReducer(s: DrillUi, a: DrillAction): DrillUi {
  switch (a.type) {
    case 'start':
      return { ...s, screen: 'wizard' };
    case 'verdict':
      return { ...s, screen: 'verdict', filter: '', cursor: 0, error: undefined };
    case 'back-to-wizard':
      return { ...s, screen: 'wizard', error: undefined };
    case 'type':
      return { ...s, filter: s.filter + a.ch, cursor: 0, error: undefined };
    case 'erase':
      return { ...s, filter: s.filter.slice(0, -1), cursor: 0, error: undefined };
    case 'move':
      return a.count ? { ...s, cursor: (s.cursor + a.delta + a.count) % a.count } : s;
    case 'scoring':
      return { ...s, screen: 'scoring' };
    case 'debrief':
      return { ...s, screen: 'debrief' };
    case 'error':
      return { ...s, screen: 'verdict', error: a.message };
  }
}

/** Causes whose title or id holds every typed word; sorted by title so the order hints at nothing. */
export function filterCauses(causes: readonly CauseOption[], filter: string): CauseOption[] {
  const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
  return [...causes]
    .filter((c) => words.every((w) => c.title.toLowerCase().includes(w) || c.id.includes(w)))
    .sort((a, b) => a.title.localeCompare(b.title));
}
