import { runUntilSignal } from "@brandpool/http-server";
import { loadConfig } from "./config.js";
import { startGateway } from "./server/start-gateway.js";

const config = loadConfig();
await runUntilSignal("gateway", () => startGateway(config));
