import { notFound } from "next/navigation";

/**
 * Any path no page answers: the console's 404 inside its shell. It lives outside app/(console) so
 * that group's loading boundary does not stream a 200 before the 404 is known.
 */
export default function MissingPage() {
  notFound();
}
