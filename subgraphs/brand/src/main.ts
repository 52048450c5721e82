import "reflect-metadata";
import { runUntilSignal } from "@brandpool/http-server";
import { loadConfig } from "./config.js";
import { startBrandNode } from "./app.js";

const config = loadConfig();
await runUntilSignal(`brand node ${config.BRAND_ID}`, () => startBrandNode(config));
