import { useCallback, useEffect, useMemo, useState } from "react";
import { useQueryClient } from "@tanstack/react-query";
import type { DeadLetterMessage } from "@/lib/domain/dead-letter-message";
import { failingExceptionOf, groupByFailure, type FailureKey } from "@/lib/domain/failure-groups";
import { useApi } from "@/lib/queries/scope";
import { messageStoryQuery, traceKeys, type MessageStoryView } from "@/lib/queries/traces";

/**
 * Letters whose traces one "Read their traces" reads: each is a scan of up to 1,500 traces in X-Ray,
 * which AWS bills per trace retrieved, so it is asked for, and bounded.
 */
export const TRACE_READS = 25;

export interface TraceReading {
  done: number;
  total: number;
  failed: number;
}

/**
 * The shown letters grouped by why they failed. A letter's exception comes from its story once it
 * is read: by "View trace", or by `readTraces` (up to TRACE_READS letters not read yet, one at a
 * time); the others are grouped by payload shape. Groups follow the story cache as it fills.
 */
export function useFailureGroups(queue: string, letters: DeadLetterMessage[]) {
  const queryClient = useQueryClient();
  const api = useApi();
  // A story added to the cache (here or by the letter's own View trace) regroups the letters.
  const [stories, setStories] = useState(0);
  useEffect(
    () =>
      queryClient.getQueryCache().subscribe((event) => {
        if (event.type === "updated" && event.query.queryKey[1] === "story") setStories((n) => n + 1);
      }),
    [queryClient],
  );
  const storyOf = useCallback(
    (letter: DeadLetterMessage) => {
      const header = letter.system.traceHeader;
      return header
        ? queryClient.getQueryData<MessageStoryView>(traceKeys.story(header, queue, letter.messageId))
        : undefined;
    },
    [queryClient, queue],
  );
  const grouped = useMemo(() => {
    void stories;
    const exceptionOf = (letter: DeadLetterMessage) => {
      const view = storyOf(letter);
      return view ? failingExceptionOf(view.story) : undefined;
    };
    const groups = groupByFailure(letters, exceptionOf);
    const failureById = new Map<string, FailureKey>();
    for (const group of groups) for (const id of group.messageIds) failureById.set(id, group);
    return { groups, failureById };
  }, [letters, storyOf, stories]);

  const unread = letters.filter((l) => l.system.traceHeader && !storyOf(l));
  const [reading, setReading] = useState<TraceReading>();
  const readTraces = async () => {
    const batch = unread.slice(0, TRACE_READS);
    let failed = 0;
    setReading({ done: 0, total: batch.length, failed });
    for (const [i, letter] of batch.entries()) {
      try {
        await queryClient.fetchQuery(messageStoryQuery(api, letter.system.traceHeader, queue, letter.messageId));
      } catch {
        failed++;
      }
      setReading({ done: i + 1, total: batch.length, failed });
    }
  };
  return { ...grouped, unreadTraces: unread.length, reading, readTraces };
}
