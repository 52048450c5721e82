import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { arrivalName, ensureSinkDir, writeSinkFile } from "./sink-files.js";

/** Options of {@link startSmtpSink}. */
export interface SmtpSinkOptions {
  /** Folder for the `.eml` files, created if missing (for `npm start`: `.data/sinks/mail/`). */
  dir: string;
  /** Port on 127.0.0.1; default 0, a free port. */
  port?: number;
  /** Largest message accepted, in bytes; default 1 MiB (a larger one is answered 552). */
  maxMessageBytes?: number;
}

/** A running SMTP sink. */
export interface SmtpSink {
  /** `smtp://127.0.0.1:<port>` */
  url: string;
  host: "127.0.0.1";
  port: number;
  dir: string;
  /** How many messages were stored since the start. */
  stored(): number;
  close(): Promise<void>;
}

/**
 * A real SMTP server on loopback that accepts every message (no authentication, no TLS: it
 * listens on 127.0.0.1 only) and stores each one, as received, as an `.eml` file in `dir`.
 * It is the mail server of `npm start` and of the delivery tests.
 */
export async function startSmtpSink(options: SmtpSinkOptions): Promise<SmtpSink> {
  const maxMessageBytes = options.maxMessageBytes ?? 1024 * 1024;
  await ensureSinkDir(options.dir);
  let sequence = 0;
  let storedCount = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    disableReverseLookup: true,
    logger: false,
    // a client that keeps a pooled connection open must not hold `close()` for the default 30 s
    closeTimeout: 500,
    size: maxMessageBytes,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        if (stream.sizeExceeded) {
          callback(Object.assign(new Error("Message too large"), { responseCode: 552 }));
          return;
        }
        sequence += 1;
        writeSinkFile(options.dir, arrivalName(sequence, "eml"), Buffer.concat(chunks)).then(
          () => {
            storedCount += 1;
            callback();
          },
          () => callback(Object.assign(new Error("Sink could not store the message"), { responseCode: 451 })),
        );
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  // A client that drops its connection mid-session (a node killed while sending) makes the
  // server emit "error" with ECONNRESET: that is the client's end, not the sink's, and without a
  // listener it would be thrown in the process that runs the sink.
  server.on("error", () => undefined);
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    host: "127.0.0.1",
    port,
    dir: options.dir,
    stored: () => storedCount,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
