export { sendError, serveGraphQL } from "./serve-http.js";
export type { HttpService, ServeOptions } from "./serve-http.js";
export { runUntilSignal } from "./run-until-signal.js";
export { callerFromRequest } from "./forwarded-caller-context.js";
export { ServerTimings, timed } from "./server-timing.js";
export type { StageTimings, TimedStage } from "./server-timing.js";
