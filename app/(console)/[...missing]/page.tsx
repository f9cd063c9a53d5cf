import { notFound } from "next/navigation";

/** Any path no page answers: the 404 of the console, inside its shell (./not-found.tsx). */
export default function MissingPage() {
  notFound();
}
