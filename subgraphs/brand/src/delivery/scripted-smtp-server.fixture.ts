import { createServer } from "node:net";
import type { AddressInfo, Socket } from "node:net";

/**
 * What a misbehaving SMTP server does at one point of the dialogue: answer with a reply line,
 * drop the connection (`drop`: reset; `end`: an orderly close without a reply), or say nothing.
 */
export type ScriptedStep = { reply: string } | "drop" | "end" | "silence";

export interface ScriptedSmtpServerScript {
  /** At `RCPT TO`; default `250 OK`. */
  rcpt?: ScriptedStep;
  /** After the body's final `.`; default `250 queued`. */
  afterData?: ScriptedStep;
}

export interface ScriptedSmtpServer {
  url: string;
  /** Bodies received up to their final `.`, whatever was answered. */
  bodies: string[];
  /** `DATA` commands received (a re-send would show here). */
  dataCommands(): number;
  close(): Promise<void>;
}

/** A tiny SMTP server over `net` that follows a script, to test the adapter's failure paths. */
export async function startScriptedSmtpServer(script: ScriptedSmtpServerScript): Promise<ScriptedSmtpServer> {
  const bodies: string[] = [];
  const sockets = new Set<Socket>();
  let dataCommands = 0;

  function act(socket: Socket, step: ScriptedStep): void {
    if (step === "drop") socket.resetAndDestroy();
    else if (step === "end") socket.end();
    else if (step !== "silence") socket.write(`${step.reply}\r\n`);
  }

  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => undefined);
    let buffer = "";
    let inData = false;
    socket.write("220 scripted ESMTP\r\n");
    socket.on("data", (chunk: Buffer) => {
      buffer += chunk.toString("latin1");
      for (;;) {
        if (inData) {
          const end = buffer.indexOf("\r\n.\r\n");
          if (end < 0) return;
          bodies.push(buffer.slice(0, end));
          buffer = buffer.slice(end + 5);
          inData = false;
          act(socket, script.afterData ?? { reply: "250 queued" });
          continue;
        }
        const newline = buffer.indexOf("\r\n");
        if (newline < 0) return;
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 2);
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === "EHLO" || verb === "HELO") socket.write("250-scripted\r\n250 8BITMIME\r\n");
        else if (verb === "MAIL") socket.write("250 OK\r\n");
        else if (verb === "RCPT") act(socket, script.rcpt ?? { reply: "250 OK" });
        else if (verb === "DATA") {
          dataCommands += 1;
          inData = true;
          socket.write("354 go ahead\r\n");
        } else if (verb === "RSET" || verb === "NOOP") socket.write("250 OK\r\n");
        else if (verb === "QUIT") socket.end("221 bye\r\n");
        else socket.write("502 not implemented\r\n");
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    bodies,
    dataCommands: () => dataCommands,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
