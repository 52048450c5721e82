import { createServer } from "node:net";

export interface PortUse {
  port: number;
  /** What npm start runs there, for the message. */
  what: string;
  /** The setting that moves it. */
  variable: string;
}

/** The first of `ports` that cannot be listened on at 127.0.0.1 (taken there or on every address), or null. */
export async function firstBusyPort(ports: readonly PortUse[]): Promise<PortUse | null> {
  for (const use of ports) if (!(await canListen(use.port))) return use;
  return null;
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen({ port, host: "127.0.0.1", exclusive: true }, () => server.close(() => resolve(true)));
  });
}
