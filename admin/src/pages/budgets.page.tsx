import { Empty } from "../components/states.js";

export function BudgetsPage() {
  return <Empty>…</Empty>;
}
