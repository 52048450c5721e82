import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "@brandpool/postgres";
import { REPO_ROOT, graphqlOk, graphqlRequest, startServiceProcess } from "@brandpool/stack";
import type { ServiceProcess } from "@brandpool/stack";
import {
  CLOCK_SKEW_SECONDS,
  DEV_PLATFORM_ISSUER,
  GATEWAY_AUDIENCE,
  devBrandIssuer,
  generateSigningKeyPair,
  importPrivateKey,
  mintForwardedToken,
} from "@brandpool/tokens";
import type { KeyPair } from "@brandpool/tokens";
import { eventually, startTestStack } from "./support/test-stack.js";
import type { TestStack } from "./support/test-stack.js";
import { callerClaims, hmacWithPublicKey, signToken, unsignedToken } from "./support/hand-made-tokens.js";

// Invariant 4 at the gateway: a caller's JWT is accepted only from the issuer registered for the
// brand it claims, signed with EdDSA, for our audience, unexpired, with subject and id; the
// development issuer only with BRANDPOOL_DEV=1, and never under NODE_ENV=production.

/** pieshop gets an identity provider of its own; teabar and stylehub stay on the dev issuer. */
const PIESHOP_ISSUER = "https://id.pieshop.example";
const PLATFORM_ISSUER = "https://id.platform.example";
/** A mutation that would change both a node (pieshop's members) and the coordinator (a label). */
const WRITE = `mutation {
  tagMembers(tag: "interest:tea", expression: "interest:coffee") { affected }
  upsertTag(input: { dimension: "interest", value: "tea", labelZh: "被改了", labelEn: "Changed by a bad token" }) { key }
}`;

describe("caller tokens at the gateway", () => {
  let stack: TestStack;
  let pieshopIdp: KeyPair;

  /** Everything a bad token could have changed: pieshop's members, the taxonomy, the registry. */
  async function state() {
    const [members] = await stack.sql<{ f: string }>("pieshop", "SELECT md5(string_agg(id::text || tag_ids::text, ',' ORDER BY seq)) AS f FROM members");
    const [tags] = await stack.sql<{ f: string }>("coordinator", "SELECT md5(string_agg(key || label_zh || label_en || sensitive::text, ',' ORDER BY key)) AS f FROM taxonomy_tags");
    const [brands] = await stack.sql<{ f: string }>("coordinator", "SELECT md5(string_agg(id || issuer || issuer_keys::text || admitted::text, ',' ORDER BY id)) AS f FROM brands");
    return { members: members?.f, tags: tags?.f, brands: brands?.f };
  }

  const teabarDevIssuer = () => {
    const key = stack.keys.nodes.teabar?.issuer;
    if (!key) throw new Error("no dev issuer key for teabar");
    return key;
  };
  const pieshopToken = (claims: Partial<{ role: string; brand: string; sub: string }> = {}) =>
    signToken(pieshopIdp.privateJwk, callerClaims({ iss: PIESHOP_ISSUER, role: "analyst", brand: "pieshop", ...claims }));

  beforeAll(async () => {
    stack = await startTestStack();
    pieshopIdp = await generateSigningKeyPair();
    const admin = await stack.token({ role: "platform-admin", subject: "caller-tokens-setup" });
    await graphqlOk(stack.gatewayUrl, "mutation($input: UpdateBrandInput!) { updateBrand(id: \"pieshop\", input: $input) { id } }", {
      token: admin,
      variables: { input: { issuer: PIESHOP_ISSUER, issuerKeys: { keys: [pieshopIdp.publicJwk] } } },
    });
    // The gateway caches the routing table for two seconds: wait until it knows pieshop's issuer.
    await eventually(async () => {
      const result = await graphqlRequest(stack.gatewayUrl, "{ viewer { brandId } }", { token: await pieshopToken() });
      return result.status === 200 ? true : undefined;
    });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it("accepts a token from the issuer registered for the brand it claims", async () => {
    const result = await stack.ask<{ viewer: { brandId: string; role: string }; members: { totalCount: number } }>(
      await pieshopToken(),
      "{ viewer { brandId role } members(first: 1) { totalCount } }",
    );
    expect(result.errors).toEqual([]);
    expect(result.data).toEqual({ viewer: { brandId: "pieshop", role: "analyst" }, members: { totalCount: 2_000 } });
  });

  it("refuses every malformed, misdirected or misissued token with 401 UNAUTHENTICATED and changes nothing", async () => {
    const now = Math.floor(Date.now() / 1000);
    const pieshop = (overrides: Record<string, unknown>) => ({ ...callerClaims({ iss: PIESHOP_ISSUER, role: "analyst", brand: "pieshop" }), ...overrides });
    const impostor = await generateSigningKeyPair();
    const kid = pieshopIdp.privateJwk.kid;
    const bad: { what: string; token: string }[] = [
      { what: "expired an hour ago", token: await signToken(pieshopIdp.privateJwk, pieshop({ iat: now - 7200, exp: now - 3600 })) },
      { what: "signed by another key under pieshop's kid", token: await signToken(impostor.privateJwk, pieshop({}), { kid }) },
      { what: "alg none, unsigned", token: unsignedToken(pieshop({}), kid) },
      { what: "HS256 keyed with pieshop's public key", token: await hmacWithPublicKey(pieshopIdp.publicJwk.x, pieshop({}), kid) },
      { what: "an issuer nobody registered", token: await signToken(pieshopIdp.privateJwk, pieshop({ iss: "https://id.evil.example" })) },
      { what: "the audience of another system", token: await signToken(pieshopIdp.privateJwk, pieshop({ aud: "someone-else" })) },
      { what: "no audience", token: await signToken(pieshopIdp.privateJwk, pieshop({ aud: undefined })) },
      { what: "no jti", token: await signToken(pieshopIdp.privateJwk, pieshop({ jti: undefined })) },
      { what: "no subject", token: await signToken(pieshopIdp.privateJwk, pieshop({ sub: undefined })) },
      { what: "no expiry", token: await signToken(pieshopIdp.privateJwk, pieshop({ exp: undefined })) },
      { what: "pieshop's issuer claiming brand teabar", token: await signToken(pieshopIdp.privateJwk, pieshop({ brand: "teabar" })) },
      { what: "pieshop's issuer claiming a brand that is not registered", token: await signToken(pieshopIdp.privateJwk, pieshop({ brand: "nobody" })) },
      { what: "the dev issuer claiming pieshop, whose issuer it no longer is", token: await stack.token({ brand: "pieshop", role: "analyst" }) },
      { what: "role platform-admin with brand pieshop, from pieshop's issuer", token: await signToken(pieshopIdp.privateJwk, pieshop({ role: "platform-admin" })) },
      { what: "role platform-admin with brand teabar, from teabar's dev issuer", token: await stack.token({ brand: "teabar", role: "platform-admin" }) },
      { what: "role analyst without a brand, from the platform issuer", token: await stack.token({ role: "analyst" }) },
      { what: "role admin without a brand, from the platform issuer", token: await stack.token({ role: "admin" }) },
      { what: "a role that does not exist", token: await signToken(pieshopIdp.privateJwk, pieshop({ role: "root" })) },
      { what: "a brand claim that is not a string", token: await signToken(pieshopIdp.privateJwk, pieshop({ brand: ["pieshop"] })) },
      {
        what: "a token the gateway itself minted for a service, replayed to the gateway",
        token: await mintForwardedToken(await importPrivateKey(stack.keys.gateway), stack.keys.gateway.kid ?? "gateway", GATEWAY_AUDIENCE, {
          kind: "user",
          subject: "pie-analyst@test",
          brand: "pieshop",
          role: "analyst",
          tokenId: "replayed",
        }),
      },
      { what: "not a JWT at all", token: "not.a.jwt" },
      // Lifetimes: at most an hour (the stack's gateway runs the default), issued now or earlier.
      { what: "expiring in 2126", token: await signToken(pieshopIdp.privateJwk, pieshop({ exp: Date.UTC(2126, 0, 1) / 1000 })) },
      { what: "an hour and a second to live", token: await signToken(pieshopIdp.privateJwk, pieshop({ iat: now, exp: now + 3_601 })) },
      { what: "issued ten years ahead", token: await signToken(pieshopIdp.privateJwk, pieshop({ iat: now + 10 * 365 * 86_400, exp: now + 10 * 365 * 86_400 + 600 })) },
      { what: "issued just beyond the clock skew ahead", token: await signToken(pieshopIdp.privateJwk, pieshop({ iat: now + CLOCK_SKEW_SECONDS + 30, exp: now + CLOCK_SKEW_SECONDS + 630 })) },
      { what: "no iat", token: await signToken(pieshopIdp.privateJwk, pieshop({ iat: undefined })) },
      { what: "an iat that is not a number", token: await signToken(pieshopIdp.privateJwk, pieshop({ iat: String(now) })) },
      // A brand's issuer is never the platform's, in development too.
      { what: "pieshop's issuer without a brand claim, role auditor", token: await signToken(pieshopIdp.privateJwk, pieshop({ brand: undefined, role: "auditor" })) },
      { what: "teabar's dev issuer without a brand claim, role auditor", token: await signToken(teabarDevIssuer(), callerClaims({ iss: devBrandIssuer("teabar"), role: "auditor" })) },
      { what: "the dev platform issuer's name on a token signed by teabar's dev key", token: await signToken(teabarDevIssuer(), callerClaims({ iss: DEV_PLATFORM_ISSUER, role: "auditor" })) },
    ];
    const before = await state();
    const answers = [];
    for (const { what, token } of bad) {
      const result = await graphqlRequest(stack.gatewayUrl, WRITE, { token });
      answers.push({ what, status: result.status, codes: result.errors.map((error) => error.extensions?.code), data: result.data });
    }
    expect(answers).toEqual(bad.map(({ what }) => ({ what, status: 401, codes: ["UNAUTHENTICATED"], data: null })));
    expect(await state()).toEqual(before);
  });

  it("accepts a token at exactly the maximum lifetime, and one issued within the clock skew ahead", async () => {
    const now = Math.floor(Date.now() / 1000);
    const claims = callerClaims({ iss: PIESHOP_ISSUER, role: "analyst", brand: "pieshop" });
    for (const times of [
      { iat: now, exp: now + 3_600 },
      { iat: now + CLOCK_SKEW_SECONDS - 10, exp: now + CLOCK_SKEW_SECONDS - 10 + 3_600 },
    ]) {
      const result = await stack.ask<{ viewer: { brandId: string } }>(await signToken(pieshopIdp.privateJwk, { ...claims, ...times }), "{ viewer { brandId } }");
      expect([result.status, result.errors, result.data?.viewer.brandId]).toEqual([200, [], "pieshop"]);
    }
  });

  it("gives a brand's dev token the brand's principal and a platform dev token the platform's, each from its own key", async () => {
    const asBrand = await stack.ask<{ viewer: { brandId: string | null; role: string } }>({ brand: "teabar", role: "auditor" }, "{ viewer { brandId role } }");
    const asPlatform = await stack.ask<{ viewer: { brandId: string | null; role: string } }>({ role: "auditor" }, "{ viewer { brandId role } }");
    expect([asBrand.data?.viewer, asPlatform.data?.viewer]).toEqual([
      { brandId: "teabar", role: "auditor" },
      { brandId: null, role: "auditor" },
    ]);
    expect(stack.keys.nodes.teabar?.issuer.x).not.toBe(stack.keys.platformIssuer.x);
  });

  it("refuses a request without a token, introspection included, with 401", async () => {
    const before = await state();
    for (const query of [WRITE, "{ __schema { queryType { name } } }", "{ __typename }"]) {
      const result = await graphqlRequest(stack.gatewayUrl, query);
      expect({ query, status: result.status, codes: result.errors.map((error) => error.extensions?.code) }).toEqual({ query, status: 401, codes: ["UNAUTHENTICATED"] });
    }
    const wrongScheme = await graphqlRequest(stack.gatewayUrl, "{ viewer { subject } }", { headers: { authorization: `Basic ${await pieshopToken()}` } });
    expect([wrongScheme.status, wrongScheme.errors[0]?.extensions?.code]).toEqual([401, "UNAUTHENTICATED"]);
    expect(await state()).toEqual(before);
    const introspection = await stack.ask<{ __schema: { queryType: { name: string } } }>(await pieshopToken(), "{ __schema { queryType { name } } }");
    expect(introspection.status).toBe(200);
    expect(introspection.data?.__schema.queryType.name).toBe("Query");
  });

  it("exits at start-up, naming BRANDPOOL_DEV, when the development issuer is asked for under NODE_ENV=production", async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [`${REPO_ROOT}gateway/dist/main.js`], {
      env: {
        PATH: process.env.PATH ?? "",
        PORT: String(port),
        COORDINATOR_URL: stack.coordinator.url,
        GATEWAY_KEY: JSON.stringify(stack.keys.gateway),
        PLATFORM_ISSUER: DEV_PLATFORM_ISSUER,
        PLATFORM_KEYS: JSON.stringify({ keys: [pieshopIdp.publicJwk] }),
        BRANDPOOL_DEV: "1",
        NODE_ENV: "production",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
    const code = await new Promise<number | null>((resolve) => child.once("exit", (exitCode) => resolve(exitCode)));
    clearTimeout(timer);
    expect(code, output).not.toBe(0);
    expect(code, "killed: it kept running").not.toBeNull();
    expect(output).toMatch(/BRANDPOOL_DEV/);
    const listening = await fetch(`http://127.0.0.1:${port}/health`).then(() => true, () => false);
    expect(listening).toBe(false);
  });

  describe("a production gateway without BRANDPOOL_DEV", () => {
    let gateway: ServiceProcess;
    let platformIdp: KeyPair;

    beforeAll(async () => {
      platformIdp = await generateSigningKeyPair();
      const port = await freePort();
      gateway = await startServiceProcess({
        name: "gateway-prod",
        script: "gateway/dist/main.js",
        port,
        env: {
          PORT: String(port),
          COORDINATOR_URL: stack.coordinator.url,
          GATEWAY_KEY: JSON.stringify(stack.keys.gateway),
          PLATFORM_ISSUER,
          PLATFORM_KEYS: JSON.stringify({ keys: [platformIdp.publicJwk] }),
          NODE_ENV: "production",
        },
      });
    });
    afterAll(async () => {
      await gateway?.stop();
    });

    it("refuses tokens of the development issuer, even for a brand registered with it", async () => {
      const before = await state();
      const attempts = [
        { what: "a dev platform admin", token: await stack.token({ role: "platform-admin" }) },
        { what: "a dev platform auditor", token: await stack.token({ role: "auditor" }) },
        { what: "a dev teabar analyst (teabar's registered issuer is the dev issuer)", token: await stack.token({ brand: "teabar", role: "analyst" }) },
      ];
      const answers = [];
      for (const { what, token } of attempts) {
        const result = await graphqlRequest(gateway.url, WRITE, { token });
        answers.push({ what, status: result.status, codes: result.errors.map((error) => error.extensions?.code) });
      }
      expect(answers).toEqual(attempts.map(({ what }) => ({ what, status: 401, codes: ["UNAUTHENTICATED"] })));
      expect(await state()).toEqual(before);
      // The same tokens still work at the stack's own gateway (BRANDPOOL_DEV=1): the refusal is the flag's.
      const atDevGateway = await stack.ask<{ viewer: { brandId: string } }>(attempts[2]?.token ?? "", "{ viewer { brandId } }");
      expect(atDevGateway.data?.viewer.brandId).toBe("teabar");
    });

    it("serves tokens of the registered and platform issuers", async () => {
      const platform = await signToken(platformIdp.privateJwk, callerClaims({ iss: PLATFORM_ISSUER, role: "auditor" }));
      const asPlatform = await graphqlRequest<{ viewer: { role: string; brandId: string | null } }>(gateway.url, "{ viewer { role brandId } }", { token: platform });
      expect(asPlatform.errors).toEqual([]);
      expect(asPlatform.data?.viewer).toEqual({ role: "auditor", brandId: null });
      const asPieshop = await graphqlRequest<{ members: { totalCount: number } }>(gateway.url, "{ members(first: 1) { totalCount } }", { token: await pieshopToken() });
      expect(asPieshop.errors).toEqual([]);
      expect(asPieshop.data?.members.totalCount).toBe(2_000);
    });
  });
});
