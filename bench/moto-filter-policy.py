"""moto's SNS filter-policy matcher over the filter-policy benchmark's evaluations (bench/filter-policy.ts).

Reads JSON lines on stdin, one per policy: {"scope", "policy", "messages": [{"attributes"?, "body"?}]}.
Calls FilterPolicyMatcher(policy, scope).matches(attributes, body) as moto does on Publish, the body's
JSON parse included; attribute policies and body policies apart, each as many times as its argument
says (1 by default), keeping the best run, timed in CPU seconds (time.process_time, as the engine's
side counts). Prints one JSON object: {"attributes": {"evaluations", "seconds"}, "bodies": {...},
"answers": "1" (delivered), "0" (filtered out) or "e" (moto raised) per evaluation, in input order}.
"""

import json
import sys
import time

from moto.sns.utils import FilterPolicyMatcher


def main() -> None:
    workloads = []
    for line in sys.stdin:
        if line.strip():
            w = json.loads(line)
            calls = [(m.get("attributes") or {}, m.get("body") or "") for m in w["messages"]]
            workloads.append((w["scope"], FilterPolicyMatcher(w["policy"], w["scope"]), calls))
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 1
    answers = [None] * len(workloads)
    timing = {}
    for scope, name in (("MessageAttributes", "attributes"), ("MessageBody", "bodies")):
        best = None
        for _ in range(rounds):
            evaluations = 0
            start = time.process_time()
            for i, (w_scope, matcher, calls) in enumerate(workloads):
                if w_scope != scope:
                    continue
                out = []
                for attributes, body in calls:
                    try:
                        out.append("1" if matcher.matches(attributes, body) else "0")
                    except Exception:
                        out.append("e")
                answers[i] = "".join(out)
                evaluations += len(calls)
            elapsed = time.process_time() - start
            best = elapsed if best is None else min(best, elapsed)
        timing[name] = {"evaluations": evaluations, "seconds": best}
    print(json.dumps({**timing, "answers": "".join(a or "" for a in answers)}))


main()
