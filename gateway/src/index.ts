export { loadConfig } from "./config.js";
export type { GatewayConfig } from "./config.js";
export { startGateway } from "./server/start-gateway.js";
