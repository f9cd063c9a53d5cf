/** A request's query parameters as an object for a schema, empty values dropped: an empty form field means "any". */
export const queryOf = (url: string) => Object.fromEntries([...new URL(url).searchParams].filter(([, v]) => v !== ""));
