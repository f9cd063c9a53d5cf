import { useMemo } from "react";
import { useQueryClient } from "@tanstack/react-query";
import type { DeadLetterMessage } from "@/lib/domain/dead-letter-message";
import { failingExceptionOf, groupByFailure, type FailureKey } from "@/lib/domain/failure-groups";
import { traceKeys, type MessageStoryView } from "@/lib/queries/traces";

/**
 * The shown letters grouped by why they failed. A letter's exception comes from its story when the
 * reader already loaded it ("View trace"); scanning traces for every letter of a lease would cost up
 * to 1,500 traces each, so the others are grouped by payload shape.
 */
export function useFailureGroups(queue: string, letters: DeadLetterMessage[]) {
  const queryClient = useQueryClient();
  return useMemo(() => {
    const exceptionOf = (letter: DeadLetterMessage) => {
      const header = letter.system.traceHeader;
      if (!header) return undefined;
      const view = queryClient.getQueryData<MessageStoryView>(traceKeys.story(header, queue, letter.messageId));
      return view ? failingExceptionOf(view.story) : undefined;
    };
    const groups = groupByFailure(letters, exceptionOf);
    const failureById = new Map<string, FailureKey>();
    for (const group of groups) for (const id of group.messageIds) failureById.set(id, group);
    return { groups, failureById };
  }, [queue, letters, queryClient]);
}
