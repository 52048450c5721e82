import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeJwt } from "jose";
import { generateSigningKeyPair } from "@brandpool/tokens";
import { devTokenRoute } from "./dev-token.route.js";
import type { DevIssuerKeys } from "./dev-token.route.js";

async function serve(keys: DevIssuerKeys | undefined): Promise<{ url: string; close(): Promise<void> }> {
  const route = devTokenRoute(keys);
  const server = http.createServer((req, res) => {
    void route(req, res).then((handled) => {
      if (!handled) {
        res.statusCode = 418;
        res.end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe("the development token route", () => {
  let dev: Awaited<ReturnType<typeof serve>>;
  let production: Awaited<ReturnType<typeof serve>>;

  beforeAll(async () => {
    const teabar = await generateSigningKeyPair();
    dev = await serve({ brands: { teabar: teabar.privateJwk } });
    production = await serve(undefined);
  });
  afterAll(async () => {
    await dev.close();
    await production.close();
  });

  it("is 404 on a gateway without the development issuers' keys (BRANDPOOL_DEV unset), for listing and for minting", async () => {
    expect((await fetch(`${production.url}/dev/identities`)).status).toBe(404);
    const minted = await fetch(`${production.url}/dev/token`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ brand: "teabar", role: "admin" }) });
    expect(minted.status).toBe(404);
    expect(await minted.text()).not.toMatch(/eyJ/);
  });

  it("mints a token of the brand's development issuer for a demo identity", async () => {
    const response = await fetch(`${dev.url}/dev/token`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ brand: "teabar", role: "approver" }) });
    const { token } = (await response.json()) as { token: string };
    expect(decodeJwt(token)).toMatchObject({ iss: "urn:brandpool:dev-issuer:brand:teabar", brand: "teabar", role: "approver" });
    expect(response.headers.get("cache-control")).toBe("no-store");
  });

  it("refuses a GET of /dev/token, a brand it has no key for and the platform without its key (bad input)", async () => {
    expect((await fetch(`${dev.url}/dev/token`)).status).toBe(400);
    const post = (body: unknown) => fetch(`${dev.url}/dev/token`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    expect((await post({ brand: "pieshop", role: "analyst" })).status).toBe(400);
    expect((await post({ brand: null, role: "auditor" })).status).toBe(400);
  });

  it("leaves every other path alone", async () => {
    expect((await fetch(`${dev.url}/graphql`)).status).toBe(418);
  });
});
