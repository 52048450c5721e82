import "reflect-metadata";
import { loadConfig } from "./config.js";
import { startBrandNode } from "./app.js";

const config = loadConfig();
const node = await startBrandNode(config);
process.stdout.write(`brand node ${config.BRAND_ID} listening at ${node.url}\n`);

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    node.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
