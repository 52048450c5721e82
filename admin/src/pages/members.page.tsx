import { Empty } from "../components/states.js";

export function MembersPage() {
  return <Empty>…</Empty>;
}
