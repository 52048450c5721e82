export { sendError, serveGraphQL } from "./serve-http.js";
export type { HttpService, ServeOptions } from "./serve-http.js";
export { runUntilSignal } from "./run-until-signal.js";
export { callerFromRequest } from "./forwarded-caller-context.js";
