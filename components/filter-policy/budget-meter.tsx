/** How much of AWS's limits the policy uses: 5 keys, 150 combinations ("Filter policy constraints"). */
export function BudgetMeter({
  keys,
  maxKeys,
  combinations,
  maxCombinations,
}: {
  keys: number;
  maxKeys: number;
  combinations: number;
  maxCombinations: number;
}) {
  return (
    <div className="budget" aria-label="Policy limits">
      <Meter label="Keys" used={keys} max={maxKeys} />
      <Meter label="Combinations" used={combinations} max={maxCombinations} />
    </div>
  );
}

function Meter({ label, used, max }: { label: string; used: number; max: number }) {
  const over = used > max;
  return (
    <div className={over ? "meter meter-over" : "meter"}>
      <span>
        {label}: {used} of {max}
      </span>
      <meter min={0} max={max} value={Math.min(used, max)} high={max * 0.8} optimum={0} aria-label={`${label} used`} />
    </div>
  );
}
