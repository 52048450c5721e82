import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ACTIONS, isAction, type Action } from "./action.js";
import { Authorizer } from "./authorizer.js";
import { toCedarRequest, type AuthorizationRequest } from "./cedar-request.js";

type Folder = "ALLOW" | "DENY";

interface Fixture {
  folder: Folder;
  file: string;
  request: AuthorizationRequest;
}

const FOLDERS: readonly Folder[] = ["ALLOW", "DENY"];
const FIXTURES_URL = new URL("../fixtures/", import.meta.url);

function loadFixtures(): Fixture[] {
  return FOLDERS.flatMap((folder) => {
    const dir = new URL(`${folder}/`, FIXTURES_URL);
    return readdirSync(dir)
      .filter((file) => file.endsWith(".json"))
      .sort()
      .map((file) => {
        const raw: unknown = JSON.parse(readFileSync(new URL(file, dir), "utf8"));
        return { folder, file, request: raw as AuthorizationRequest };
      });
  });
}

const fixtures = loadFixtures();
const authorizer = Authorizer.load();

describe("policy fixtures", () => {
  const named = fixtures.map((f) => [`${f.folder}/${f.file}`, f] as const);

  it.each(named)("%s", (_name, fixture) => {
    const decision = authorizer.authorize(fixture.request);
    expect(decision.allowed, JSON.stringify(decision)).toBe(fixture.folder === "ALLOW");
    if (fixture.folder === "ALLOW") {
      expect(decision.errors).toEqual([]);
      expect(decision.reasons.length).toBeGreaterThan(0);
    }
  });

  // A typo in a DENY fixture would be denied for the typo and pass vacuously; so every fixture must
  // be well formed and named after what it holds.
  it.each(named)(
    "%s is well formed and named <principal>_<action>_<resource>.json",
    (_name, { file, request }) => {
      expect(Object.keys(request).sort()).toEqual(["action", "context", "principal", "resource"]);
      expect(isAction(request.action)).toBe(true);
      expect(toCedarRequest(request)).toMatchObject({ ok: true });
      const parts = file.replace(/\.json$/, "").split("_");
      expect(parts).toHaveLength(3);
      expect(parts[1]).toBe(request.action);
      const { resource } = request;
      expect(parts[2]).toBe(resource.kind === "platform" ? "platform" : resource.id);
    },
  );

  it("covers every action with at least one ALLOW and two DENY scenarios", () => {
    const count = (folder: Folder, action: Action) =>
      fixtures.filter((f) => f.folder === folder && f.request.action === action).length;
    const uncovered = ACTIONS.filter((a) => count("ALLOW", a) < 1 || count("DENY", a) < 2);
    expect(uncovered).toEqual([]);
  });
});
