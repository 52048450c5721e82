import "reflect-metadata";

export { FEDERATION_LINK, buildFederatedSchema, printFederatedSdl } from "./build-federated-schema.js";
export type { ReferenceResolvers } from "./build-federated-schema.js";
export { createFormatError, reportUnexpectedError } from "./format-error.js";
export type { UnexpectedErrorReporter } from "./format-error.js";
export { createPolicyAuthChecker } from "./policy-guard.js";
export type { DecisionCache, PolicyGuardOptions } from "./policy-guard.js";
export { fieldsWithoutDecision, policyMapOf } from "./policy-map.js";
export type { PolicyMap } from "./policy-map.js";
export { principalFromCaller, serviceContext } from "./principal-from-caller.js";
export type { ServiceContext } from "./principal-from-caller.js";
export { AuditChainVerification } from "./audit-chain-verification.type.js";
export { AuditEvent, AuditEventConnection, AuditEventEdge, AuditEventPageInfo, AuditExportPage } from "./audit-event.type.js";
export { auditEventConnection } from "./audit-event-connection.js";
