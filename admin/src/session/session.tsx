import { createContext, useCallback, useContext, useEffect, useMemo, useState } from "react";
import type { ReactNode } from "react";
import { GraphQLCallError, graphql, graphqlOk } from "../api/graphql.js";
import { TAGS, VIEWER } from "../api/operations.js";
import type { TaxonomyTag } from "../expression/check-expression.js";

export interface Viewer {
  kind: string;
  subject: string;
  brandId: string | null;
  role: string | null;
}

export interface BrandInfo {
  id: string;
  name: string;
  nameZh: string | null;
  admitted: boolean;
  timeZone: string;
}

export interface Session {
  token: string;
  viewer: Viewer;
  brands: BrandInfo[];
  taxonomy: ReadonlyMap<string, TaxonomyTag>;
  /** An operation as the signed-in identity; an expired sign-in ends the session. */
  ask<T>(query: string, variables?: Record<string, unknown>): Promise<T>;
  askAll<T>(query: string, variables?: Record<string, unknown>): Promise<{ data: T | null; errors: GraphQLCallError[] }>;
  signOut(): void;
}

// The token lives for the tab only (sessionStorage): closing the tab signs out.
const TOKEN_KEY = "brandpool.token";

interface SessionState {
  session: Session | null;
  restoring: boolean;
  expired: boolean;
  signIn(token: string): Promise<void>;
}

const SessionContext = createContext<SessionState | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session | null>(null);
  const [restoring, setRestoring] = useState(() => sessionStorage.getItem(TOKEN_KEY) !== null);
  const [expired, setExpired] = useState(false);

  const signOut = useCallback(() => {
    sessionStorage.removeItem(TOKEN_KEY);
    setSession(null);
  }, []);

  const signIn = useCallback(
    async (token: string) => {
      const [{ viewer, brands }, { tags }] = await Promise.all([
        graphqlOk<{ viewer: Viewer; brands: BrandInfo[] }>(token, VIEWER),
        graphqlOk<{ tags: TaxonomyTag[] }>(token, TAGS),
      ]);
      sessionStorage.setItem(TOKEN_KEY, token);
      const onExpired = (errors: GraphQLCallError[]) => {
        if (errors.some((error) => error.code === "UNAUTHENTICATED")) {
          sessionStorage.removeItem(TOKEN_KEY);
          setExpired(true);
          setSession(null);
        }
      };
      setExpired(false);
      setSession({
        token,
        viewer,
        brands,
        taxonomy: new Map(tags.map((tag) => [tag.key, tag])),
        async ask<T>(query: string, variables?: Record<string, unknown>) {
          const result = await graphql<T>(token, query, variables);
          onExpired(result.errors);
          const [first] = result.errors;
          if (first) throw first;
          if (!result.data) throw new GraphQLCallError("INTERNAL", "The gateway answered without data.");
          return result.data;
        },
        async askAll<T>(query: string, variables?: Record<string, unknown>) {
          const result = await graphql<T>(token, query, variables);
          onExpired(result.errors);
          return result;
        },
        signOut,
      });
    },
    [signOut],
  );

  useEffect(() => {
    const stored = sessionStorage.getItem(TOKEN_KEY);
    if (!stored) return;
    signIn(stored)
      .catch(() => sessionStorage.removeItem(TOKEN_KEY))
      .finally(() => setRestoring(false));
  }, [signIn]);

  const value = useMemo(() => ({ session, restoring, expired, signIn }), [session, restoring, expired, signIn]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSessionState(): SessionState {
  const value = useContext(SessionContext);
  if (!value) throw new Error("useSessionState outside SessionProvider");
  return value;
}

/** The signed-in session; only rendered inside the signed-in shell. */
export function useSession(): Session {
  const { session } = useSessionState();
  if (!session) throw new Error("useSession while signed out");
  return session;
}
