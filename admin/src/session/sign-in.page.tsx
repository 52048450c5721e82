import { useEffect, useId, useState } from "react";
import type { FormEvent } from "react";
import type { MessageKey } from "../i18n/en.js";
import { useI18n } from "../i18n/i18n.js";
import { LanguageSwitch } from "../components/language-switch.js";
import { useSessionState } from "./session.js";

interface DevIdentity {
  brand: string | null;
  role: string;
}

/** The development issuer's identities, when the gateway offers them (BRANDPOOL_DEV=1 only). */
async function loadDevIdentities(): Promise<DevIdentity[] | null> {
  try {
    const response = await fetch("/dev/identities", { headers: { accept: "application/json" } });
    if (!response.ok) return null;
    return ((await response.json()) as { identities: DevIdentity[] }).identities;
  } catch {
    return null;
  }
}

export function SignInPage() {
  const { t } = useI18n();
  const { signIn, expired } = useSessionState();
  const [identities, setIdentities] = useState<DevIdentity[] | null | undefined>(undefined);
  const [choice, setChoice] = useState("");
  const [token, setToken] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const identityId = useId();
  const tokenId = useId();

  useEffect(() => {
    void loadDevIdentities().then((list) => {
      setIdentities(list);
      if (list?.[0]) setChoice(`${list[0].brand ?? ""}|${list[0].role}`);
    });
  }, []);

  const attempt = async (getToken: () => Promise<string>) => {
    setBusy(true);
    setError(null);
    try {
      await signIn(await getToken());
    } catch (e) {
      setError(t("signIn.badToken", { message: e instanceof Error ? e.message : String(e) }));
    } finally {
      setBusy(false);
    }
  };

  const signInAsDemo = (event: FormEvent) => {
    event.preventDefault();
    const [brand = "", role = ""] = choice.split("|");
    void attempt(async () => {
      const response = await fetch("/dev/token", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ brand: brand || null, role }),
      });
      const body = (await response.json()) as { token?: string; errors?: { message: string }[] };
      if (!body.token) throw new Error(body.errors?.[0]?.message ?? `HTTP ${response.status}`);
      return body.token;
    });
  };

  const signInWithToken = (event: FormEvent) => {
    event.preventDefault();
    void attempt(async () => token.trim());
  };

  const label = (identity: DevIdentity) => `${identity.brand ?? t("app.platform")} · ${t(`role.${identity.role}` as MessageKey)}`;

  return (
    <main className="sign-in" id="main">
      <div className="sign-in-top">
        <LanguageSwitch />
      </div>
      <h1>{t("signIn.title")}</h1>
      {expired && (
        <p className="state state-error" role="alert">
          {t("state.expired")}
        </p>
      )}
      {identities && identities.length > 0 && (
        <form onSubmit={signInAsDemo} className="card" aria-labelledby={`${identityId}-intro`}>
          <p id={`${identityId}-intro`}>{t("signIn.devIntro")}</p>
          <label htmlFor={identityId}>{t("signIn.identity")}</label>
          <select id={identityId} value={choice} onChange={(e) => setChoice(e.target.value)} data-testid="dev-identity">
            {identities.map((identity) => (
              <option key={`${identity.brand}|${identity.role}`} value={`${identity.brand ?? ""}|${identity.role}`}>
                {label(identity)}
              </option>
            ))}
          </select>
          <button type="submit" disabled={busy} className="primary">
            {busy ? t("signIn.checking") : t("signIn.submit")}
          </button>
        </form>
      )}
      <form onSubmit={signInWithToken} className="card">
        <p>{t("signIn.pasteIntro")}</p>
        <label htmlFor={tokenId}>{t("signIn.token")}</label>
        <textarea id={tokenId} value={token} onChange={(e) => setToken(e.target.value)} rows={4} spellCheck={false} autoComplete="off" />
        <button type="submit" disabled={busy || token.trim() === ""}>
          {busy ? t("signIn.checking") : t("signIn.submit")}
        </button>
      </form>
      {error && (
        <p className="state state-error" role="alert">
          {error}
        </p>
      )}
    </main>
  );
}
