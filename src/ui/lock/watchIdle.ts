// The idle timer: pointer, touch, keyboard, wheel and scroll activity (in this tab or, as reported,
// another) restarts it; when the app has gone unused for the whole time, `onIdle` runs. Measured with
// the clock rather than trusted to one timer, so a tab whose timers the browser slowed down, or a
// tablet waking from sleep, locks as soon as it runs again.
import { onActivityInAnotherTab, shareActivity } from './tabLock';

const ACTIVITY_EVENTS = ['pointerdown', 'pointermove', 'keydown', 'touchstart', 'wheel', 'scroll'] as const;

/** Starts watching; returns the stop. */
export function watchIdle(idleMs: number, onIdle: () => void): () => void {
  let lastActivity = Date.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;

  const check = () => {
    if (stopped) return;
    clearTimeout(timer);
    const idleFor = Date.now() - lastActivity;
    if (idleFor >= idleMs) {
      stop();
      onIdle();
      return;
    }
    timer = setTimeout(check, idleMs - idleFor);
  };
  const onActivity = () => {
    lastActivity = Date.now();
    shareActivity(lastActivity);
  };
  const onActivityElsewhere = () => {
    lastActivity = Date.now();
  };
  const onVisibility = () => {
    if (document.visibilityState === 'visible') check();
  };

  for (const type of ACTIVITY_EVENTS) {
    window.addEventListener(type, onActivity, { capture: true, passive: true });
  }
  document.addEventListener('visibilitychange', onVisibility);
  const stopListeningElsewhere = onActivityInAnotherTab(onActivityElsewhere);
  timer = setTimeout(check, idleMs);

  function stop(): void {
    stopped = true;
    clearTimeout(timer);
    for (const type of ACTIVITY_EVENTS) window.removeEventListener(type, onActivity, { capture: true });
    document.removeEventListener('visibilitychange', onVisibility);
    stopListeningElsewhere();
  }
  return stop;
}
