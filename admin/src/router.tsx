import { useEffect, useState } from "react";
import type { MouseEvent, ReactNode } from "react";

export const PAGES = ["inbox", "requests", "members", "budgets", "rules", "audit"] as const;
export type Page = (typeof PAGES)[number];

/** Which pages each role uses (the gateway and nodes decide what each may do; this is the menu). */
export const PAGES_BY_ROLE: Readonly<Record<string, readonly Page[]>> = {
  approver: ["inbox"],
  analyst: ["requests", "members", "budgets"],
  admin: ["inbox", "requests", "members", "budgets", "rules"],
  auditor: ["audit", "budgets"],
  "platform-auditor": ["audit"],
};

export function pagesFor(role: string | null, brandId: string | null): readonly Page[] {
  if (!brandId) return role === "auditor" ? (PAGES_BY_ROLE["platform-auditor"] ?? []) : [];
  return PAGES_BY_ROLE[role ?? ""] ?? [];
}

const BASE = "/admin/";

function pageFromPath(): Page | null {
  const name = location.pathname.startsWith(BASE) ? location.pathname.slice(BASE.length).split("/")[0] : "";
  return (PAGES as readonly string[]).includes(name ?? "") ? (name as Page) : null;
}

export function usePage(): [Page | null, (page: Page) => void] {
  const [page, setPage] = useState<Page | null>(pageFromPath);
  useEffect(() => {
    const onPop = () => setPage(pageFromPath());
    addEventListener("popstate", onPop);
    return () => removeEventListener("popstate", onPop);
  }, []);
  const go = (next: Page) => {
    history.pushState(null, "", `${BASE}${next}`);
    setPage(next);
  };
  return [page, go];
}

export function PageLink({ page, current, go, children }: { page: Page; current: boolean; go: (page: Page) => void; children: ReactNode }) {
  const onClick = (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    go(page);
  };
  return (
    <a href={`${BASE}${page}`} aria-current={current ? "page" : undefined} onClick={onClick}>
      {children}
    </a>
  );
}
