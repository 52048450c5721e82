import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// Built to static files that the gateway serves at /admin: the UI (index.html) and GraphiQL
// (graphiql.html, served for a browser's GET of /graphql). Nothing is loaded from elsewhere.
export default defineConfig({
  base: "/admin/",
  plugins: [react()],
  resolve: {
    alias: {
      // Only the parser: the package's index also holds the question key, which needs node:crypto.
      "@tag-expression/parse": fileURLToPath(new URL("../packages/tag-expression/src/parse-tag-expression.ts", import.meta.url)),
    },
  },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 2_000,
    rollupOptions: {
      input: {
        index: fileURLToPath(new URL("index.html", import.meta.url)),
        graphiql: fileURLToPath(new URL("graphiql.html", import.meta.url)),
      },
    },
  },
});
