import "reflect-metadata";
import { runUntilSignal } from "@brandpool/http-server";
import { loadConfig } from "./config.js";
import { startCoordinator } from "./app.js";

const config = loadConfig();
await runUntilSignal("coordinator", () => startCoordinator(config));
