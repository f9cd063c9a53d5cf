/**
 * The SNS subscription filter-policy engine: validation with AWS's reasons, compilation to predicates,
 * evaluation with an explanation. Rules follow the Amazon SNS Developer Guide ("Amazon SNS message
 * filtering" and the pages under it); where AWS's own answers differ from the guide, AWS's answers win.
 */
export type {
  CompileResult,
  CompiledPolicy,
  ConditionResult,
  Evaluation,
  ExplanationNode,
  FilterMessage,
  FilterPolicyScope,
  KeyExplanation,
  MessageAttribute,
  PolicyBudget,
  PolicyProblem,
  Verdict,
} from "./types";
export { compileFilterPolicy } from "./compile";
export { evaluateFilterPolicy, explainFilterPolicy, policyMatches } from "./evaluate";
export { prepareMessage, type PreparedMessage } from "./message";
