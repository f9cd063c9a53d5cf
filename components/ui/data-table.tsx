import type { ReactNode } from "react";
import { TableScroll } from "./table-scroll";

/** A column heading: its text, or the text with a class, or a name only screen readers hear (an actions column). */
export type DataTableColumn = string | { label: string; className?: string; visuallyHidden?: boolean };

export interface DataTableProps {
  /** Names the scrolling region, and the table too unless it has a caption. */
  label: string;
  columns: readonly DataTableColumn[];
  /** A caption names the table; a hidden one is for screen readers only. */
  caption?: ReactNode;
  captionHidden?: boolean;
  /** Classes beside `table`. */
  className?: string;
  /** The body's rows. */
  children: ReactNode;
}

/** A table of the console: scrolls inside itself on a narrow screen, named, one heading per column. */
export function DataTable({ label, columns, caption, captionHidden, className, children }: DataTableProps) {
  return (
    <TableScroll label={label}>
      <table
        className={className ? `table ${className}` : "table"}
        {...(caption === undefined ? { "aria-label": label } : {})}
      >
        {caption === undefined ? null : (
          <caption className={captionHidden ? "visually-hidden" : "caption"}>{caption}</caption>
        )}
        <thead>
          <tr>
            {columns.map((column) => {
              const head: Exclude<DataTableColumn, string> = typeof column === "string" ? { label: column } : column;
              return (
                <th key={head.label} scope="col" className={head.className}>
                  {head.visuallyHidden ? <span className="visually-hidden">{head.label}</span> : head.label}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </TableScroll>
  );
}
