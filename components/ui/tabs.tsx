export interface Tab<T extends string> {
  value: T;
  label: string;
}

/** A row of tab buttons that switch a view in place; the chosen one is marked for the eye and for screen readers. */
export function Tabs<T extends string>({
  label,
  tabs,
  selected,
  onSelect,
}: {
  label: string;
  tabs: readonly Tab<T>[];
  selected: T;
  onSelect(value: T): void;
}) {
  return (
    <div className="tabs" role="tablist" aria-label={label}>
      {tabs.map((tab) => (
        <button
          key={tab.value}
          type="button"
          role="tab"
          aria-selected={tab.value === selected}
          className={tab.value === selected ? "tab active" : "tab"}
          onClick={() => onSelect(tab.value)}
        >
          {tab.label}
        </button>
      ))}
    </div>
  );
}
