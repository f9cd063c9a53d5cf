import { useCallback, useMemo, useState } from "react";
import { matchesSearch } from "@/lib/domain/dead-letter-message";
import { useLease } from "@/lib/queries/dead-letter-messages";
import { showToast } from "../ui/toaster";

/**
 * The reader's lease on a queue and what the page does with the leased letters: how many to load,
 * the search, the selection, the open letter, and the letters already acted on (hidden until reload).
 */
export function useLeasedLetters(queue: string) {
  const [confirmSourceRead, setConfirmSourceRead] = useState(false);
  const [max, setMax] = useState(100);
  const lease = useLease(queue, { enabled: true, confirmSourceRead, max, onRenewRefused: showToast });
  const [search, setSearch] = useState("");
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [activeId, setActiveId] = useState<string>();
  const [gone, setGone] = useState<ReadonlySet<string>>(new Set());

  const loaded = lease.data?.messages;
  const shown = useMemo(
    () => (loaded ?? []).filter((m) => !gone.has(m.messageId) && matchesSearch(m, search)),
    [loaded, gone, search],
  );
  const active = shown.find((m) => m.messageId === activeId);
  const selectedIds = [...selected].filter((id) => shown.some((m) => m.messageId === id));

  /** Letters replayed, deleted, purged, released or taken over: out of the list and the selection. */
  const forget = useCallback((ids: string[]) => {
    setGone((prev) => new Set([...prev, ...ids]));
    setSelected((prev) => new Set([...prev].filter((id) => !ids.includes(id))));
  }, []);
  const forgetAll = useCallback(() => forget((loaded ?? []).map((m) => m.messageId)), [forget, loaded]);
  /** Letters still leased to the reader. */
  const held = (loaded ?? []).filter((m) => !gone.has(m.messageId)).length;
  const reload = () => void lease.refetch().then(() => setGone(new Set()));

  const toggle = (id: string) =>
    setSelected((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  /** Exactly these letters, e.g. one failure group, so the toolbar's actions apply to them. */
  const selectOnly = (ids: string[]) => setSelected(new Set(ids));
  const toggleAll = () =>
    setSelected((prev) =>
      shown.length > 0 && shown.every((m) => prev.has(m.messageId))
        ? new Set()
        : new Set(shown.map((m) => m.messageId)),
    );

  return {
    lease,
    loaded,
    held,
    max,
    setMax,
    confirmSourceRead: () => setConfirmSourceRead(true),
    search,
    setSearch,
    shown,
    active,
    activeId,
    setActiveId,
    selected,
    selectedIds,
    toggle,
    toggleAll,
    selectOnly,
    forget,
    forgetAll,
    reload,
  };
}
