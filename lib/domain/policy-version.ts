import type { FilterPolicyScope } from "./filter-policy/types";

/** A filter policy as it was saved through the console; `policy` null means none (deliver everything). */
export interface PolicyVersion {
  id: number;
  subscriptionArn: string;
  at: string;
  actor: string;
  scope: FilterPolicyScope;
  policy: string | null;
  note?: string;
}
