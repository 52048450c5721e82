import { afterEach, describe, expect, it } from "vitest";
import { useNoTelemetry } from "./use-no-telemetry.js";

const before = process.env.APOLLO_TELEMETRY_DISABLED;

afterEach(() => {
  if (before === undefined) delete process.env.APOLLO_TELEMETRY_DISABLED;
  else process.env.APOLLO_TELEMETRY_DISABLED = before;
});

describe("useNoTelemetry", () => {
  it("switches off @apollo/gateway's telemetry and Apollo Server's usage and schema reporting", () => {
    delete process.env.APOLLO_TELEMETRY_DISABLED;
    const plugins = useNoTelemetry() as unknown as { __internal_plugin_id__?: string; __is_disabled_plugin__?: boolean }[];
    expect(process.env.APOLLO_TELEMETRY_DISABLED).toBe("true");
    expect(plugins.map((plugin) => [plugin.__internal_plugin_id__, plugin.__is_disabled_plugin__])).toEqual([
      ["UsageReporting", true],
      ["SchemaReporting", true],
    ]);
  });
});
