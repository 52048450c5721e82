import { Empty } from "../components/states.js";

export function AuditPage() {
  return <Empty>…</Empty>;
}
