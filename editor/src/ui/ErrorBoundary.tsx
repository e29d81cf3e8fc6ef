// A render error in one screen shows a way back instead of a blank page.
import { Component, type ReactNode } from 'react';

export class ErrorBoundary extends Component<{ children: ReactNode }, { error?: Error }> {
  state: { error?: Error } = {};

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  render() {
    if (!this.state.error) return this.props.children;
    return (
      <main className="center" role="alert">
        <h2>Something went wrong in the editor</h2>
        <p className="muted">{this.state.error.message}</p>
        <p className="muted small">Your last autosaved draft is safe on the server.</p>
        <button className="primary" onClick={() => location.reload()}>Reload</button>
      </main>
    );
  }
}
