export { startEmbeddedPostgres } from "./embedded-server.js";
export type { EmbeddedServerOptions, RunningServer } from "./embedded-server.js";
export { createDatabase, databaseExists, databaseUrl, dropDatabase, listDatabases } from "./databases.js";
export { migrateDatabase, migrationsFolder } from "./migrate.js";
export type { MigrationSet } from "./migrate.js";
export { freePort } from "./free-port.js";
export { withTransaction } from "./transaction.js";
export type { Transaction } from "./transaction.js";
