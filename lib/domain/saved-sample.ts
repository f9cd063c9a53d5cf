import type { MessageAttribute } from "./filter-policy/types";

/** A message an operator saved to test filter policies with: a body and its message attributes. */
export interface SavedSampleMessage {
  id: number;
  name: string;
  body: string;
  attributes: Record<string, MessageAttribute>;
  createdBy: string;
  createdAt: string;
}
