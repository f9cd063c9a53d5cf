"use client";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useEffect, useId, useRef, useState, type KeyboardEvent } from "react";
import type { EnvironmentListing } from "@/lib/domain/environments";
import { LAST_SCOPE_COOKIE, lastScopeCookie, scopedPagePath, splitScopedPath } from "@/lib/domain/scope";
import type { CurrentEnvironment } from "./console-shell";

interface Option {
  environment: EnvironmentListing;
  region: string;
  label: string;
}

/**
 * The environment and region of every page, and the way to another: a button opening a list that
 * typing filters (arrows move, Enter goes, Escape closes). Going keeps the page and its query, so the
 * same queue or subscription opens in the other environment; the choice is remembered for the next
 * visit to the start page (a cookie naming the user).
 */
export function EnvironmentSwitcher({
  user,
  environments,
  current,
}: {
  user: string;
  environments: EnvironmentListing[];
  current: CurrentEnvironment;
}) {
  const router = useRouter();
  const pathname = usePathname();
  const search = useSearchParams();
  const [open, setOpen] = useState(false);
  const [filter, setFilter] = useState("");
  const [active, setActive] = useState(0);
  const button = useRef<HTMLButtonElement>(null);
  const popover = useRef<HTMLDivElement>(null);
  const listId = useId();

  const options: Option[] = environments.flatMap((environment) =>
    environment.regions.map((region) => ({ environment, region, label: `${environment.name} · ${region}` })),
  );
  const here = options.find((o) => o.environment.id === current.environment && o.region === current.region);
  const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
  const shown = options.filter((o) => {
    const text = `${o.label} ${o.environment.id} ${o.environment.kind} ${o.environment.accountId ?? ""}`.toLowerCase();
    return words.every((w) => text.includes(w));
  });

  useEffect(() => {
    if (!open) return;
    const onPointer = (e: PointerEvent) => {
      if (!popover.current?.contains(e.target as Node) && !button.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener("pointerdown", onPointer);
    return () => document.removeEventListener("pointerdown", onPointer);
  }, [open]);

  const close = () => {
    setOpen(false);
    button.current?.focus();
  };
  const choose = (o: Option) => {
    const scope = { environment: o.environment.id, region: o.region };
    document.cookie = `${LAST_SCOPE_COOKIE}=${lastScopeCookie(user, scope)}; path=/; max-age=31536000; samesite=lax`;
    setOpen(false);
    const query = search.toString();
    router.push(scopedPagePath(scope, splitScopedPath(pathname).path + (query ? `?${query}` : "")));
  };
  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      const step = e.key === "ArrowDown" ? 1 : -1;
      setActive((a) => (shown.length ? (a + step + shown.length) % shown.length : 0));
    } else if (e.key === "Enter") {
      e.preventDefault();
      const chosen = shown[active];
      if (chosen) choose(chosen);
    } else if (e.key === "Escape") {
      e.preventDefault();
      close();
    }
  };

  const label = here?.label ?? `${current.environment} · ${current.region}`;
  return (
    <div className="env-switcher">
      <button
        ref={button}
        type="button"
        className={`env-current kind-${current.kind}`}
        aria-haspopup="listbox"
        aria-expanded={open}
        aria-label={`Environment: ${label}. Change environment`}
        data-testid="environment-switcher"
        disabled={options.length < 2}
        onClick={() => {
          setFilter("");
          setActive(0);
          setOpen((o) => !o);
        }}
      >
        <span className="kind-dot" aria-hidden="true" />
        {label}
        {options.length > 1 && <span aria-hidden="true"> ▾</span>}
      </button>
      {open && (
        <div ref={popover} className="env-popover">
          <input
            autoFocus
            type="text"
            role="combobox"
            aria-label="Filter environments"
            aria-expanded="true"
            aria-controls={listId}
            aria-activedescendant={shown[active] ? `${listId}-${active}` : undefined}
            placeholder="Type to filter: name, region, account…"
            value={filter}
            onChange={(e) => {
              setFilter(e.target.value);
              setActive(0);
            }}
            onKeyDown={onKey}
          />
          <ul id={listId} role="listbox" aria-label="Environments">
            {shown.map((o, i) => {
              const isHere = o === here;
              return (
                <li
                  key={`${o.environment.id}/${o.region}`}
                  id={`${listId}-${i}`}
                  role="option"
                  aria-selected={i === active}
                  className={i === active ? "env-option env-option-active" : "env-option"}
                  onPointerDown={(e) => e.preventDefault()}
                  onClick={() => choose(o)}
                >
                  <span className={`kind-dot kind-${o.environment.kind}`} aria-hidden="true" />
                  <span className="env-option-name">{o.label}</span>
                  <span className="muted">
                    {o.environment.kind}
                    {o.environment.accountId ? ` · ${o.environment.accountId}` : ""} · {o.environment.role}
                    {o.environment.readOnly ? " · read-only" : ""}
                    {isHere ? " · current" : ""}
                  </span>
                </li>
              );
            })}
            {shown.length === 0 && <li className="muted env-option">No environment matches “{filter}”.</li>}
          </ul>
        </div>
      )}
    </div>
  );
}
