import { Component, type ErrorInfo, type ReactNode } from 'react';

type State = { failed: boolean };

/**
 * A kiosk screen that fails (a read refused as the tab locks, say) shows "Ask your tutor", never a
 * blank or half-drawn page. Keyed by the kiosk's screen, so the next screen starts afresh; a reload
 * always lands on the kiosk's PIN screen.
 */
export class KioskErrorBoundary extends Component<{ children: ReactNode }, State> {
  override state: State = { failed: false };

  static getDerivedStateFromError(): State {
    return { failed: true };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo): void {
    console.error('A kiosk screen failed', error, info.componentStack);
  }

  override render(): ReactNode {
    if (!this.state.failed) return this.props.children;
    return (
      <div className="kiosk">
        <h1>Ask your tutor</h1>
        <p className="lead">Something went wrong on this tablet.</p>
        <button type="button" className="button button--large" onClick={() => window.location.reload()}>
          Start again
        </button>
      </div>
    );
  }
}
