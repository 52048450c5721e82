import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { I18nProvider } from "../i18n/i18n.js";
import { SessionProvider } from "../session/session.js";
import { Explorer } from "./explorer.js";
import "../styles.css";

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <I18nProvider>
      <SessionProvider>
        <Explorer />
      </SessionProvider>
    </I18nProvider>
  </StrictMode>,
);
