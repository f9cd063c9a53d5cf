import { redirect } from "next/navigation";
import { START_PAGE } from "@/lib/domain/callback-url";

export default function Home() {
  redirect(START_PAGE);
}
