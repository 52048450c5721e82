import { defineConfig } from "vitest/config";

const ignored = ["**/node_modules/**", "**/dist/**"];

// The kind of a test is chosen by its file suffix: *.test.ts (unit), *.int.test.ts (needs
// Postgres), tests/**/*.e2e.test.ts (the whole stack through the gateway).
export default defineConfig({
  test: {
    globalSetup: ["packages/postgres/dist/vitest-global-setup.js"],
    projects: [
      {
        test: {
          name: "unit",
          include: ["**/src/**/*.test.ts"],
          exclude: [...ignored, "**/*.int.test.ts"],
        },
      },
      {
        test: {
          name: "int",
          include: ["**/src/**/*.int.test.ts"],
          exclude: ignored,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: "e2e",
          include: ["tests/**/*.e2e.test.ts"],
          exclude: ignored,
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
