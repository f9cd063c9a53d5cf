"use client";
import { Component, type ReactNode } from "react";
import { ErrorState } from "./error-state";

interface PanelProps {
  title: string;
  actions?: ReactNode;
  children: ReactNode;
}

/** A titled section with its own error boundary, so one failing panel leaves the rest of the page usable. */
export function Panel({ title, actions, children }: PanelProps) {
  const headingId = `panel-${title.toLowerCase().replace(/[^a-z0-9]+/g, "-")}`;
  return (
    <section className="panel" aria-labelledby={headingId}>
      <header className="panel-header">
        <h2 id={headingId}>{title}</h2>
        {actions}
      </header>
      <PanelBoundary>{children}</PanelBoundary>
    </section>
  );
}

class PanelBoundary extends Component<{ children: ReactNode }, { failed: boolean }> {
  state = { failed: false };

  static getDerivedStateFromError() {
    return { failed: true };
  }

  componentDidCatch(error: unknown) {
    console.error("[panel]", error);
  }

  render() {
    if (this.state.failed) return <ErrorState onRetry={() => this.setState({ failed: false })} />;
    return this.props.children;
  }
}
