"use client";
import { useSyncExternalStore, type ComponentType, type ReactNode } from "react";

interface Loaded<P> {
  component?: ComponentType<P>;
  error?: unknown;
}

const notYet = {};

/**
 * A component whose code loads when it is first drawn (or `preload`ed), with `fallback` in its place
 * until then; rendered on the server as the fallback. It is drawn as soon as its code is in: next/dynamic
 * (React.lazy under Suspense) reveals it as a Suspense retry, which React holds back until 300 ms after
 * the fallback appeared, so a graph whose code arrived just after its data waited for nothing. Here the
 * code's arrival is an ordinary store update, rendered at once. A failed load shows an error with a retry.
 */
export function lazyComponent<P extends object>(load: () => Promise<ComponentType<P>>, fallback: () => ReactNode) {
  let loaded: Loaded<P> = notYet;
  let pending: Promise<void> | undefined;
  const listeners = new Set<() => void>();
  const settle = (next: Loaded<P>) => {
    loaded = next;
    for (const listener of listeners) listener();
  };
  const preload = (): Promise<void> =>
    (pending ??= load().then(
      (component) => settle({ component }),
      (error: unknown) => {
        pending = undefined;
        settle({ error });
      },
    ));
  const subscribe = (listener: () => void) => {
    listeners.add(listener);
    if (!loaded.component) void preload();
    return () => listeners.delete(listener);
  };
  const retry = () => {
    settle(notYet);
    void preload();
  };

  function LazyComponent(props: P) {
    const { component: Component, error } = useSyncExternalStore(
      subscribe,
      () => loaded,
      () => notYet as Loaded<P>,
    );
    if (Component) return <Component {...props} />;
    if (error !== undefined)
      return (
        <div className="state state-error" role="alert">
          <p className="state-title">This part of the page did not load</p>
          <p>The network failed, or the console was updated since the page opened. Retry, or reload the page.</p>
          <div className="state-actions">
            <button type="button" className="button" onClick={retry}>
              Retry
            </button>
          </div>
        </div>
      );
    return <>{fallback()}</>;
  }
  return Object.assign(LazyComponent, { preload });
}
