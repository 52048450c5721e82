/**
 * Messages a second through the owner node's channel adapters to the local sinks on loopback:
 * SMS by HTTP to the SMS sink at several concurrencies, email by pooled SMTP to the SMTP sink
 * at several pool sizes. Figures are printed, never asserted. The sinks run in this same
 * process (one core does both sides and writes every message to disk), so the figures are a
 * floor for the adapters alone.
 *
 *   node bench/dist/delivery-throughput.js [--messages 5000]
 */
import { mkdtemp, rm } from "node:fs/promises";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { createHttpSmsAdapter, createSmtpEmailAdapter } from "@brandpool/brand-node/delivery";
import type { ChannelAdapter, DeliveryOutcome, EmailMessage, OutboundMessage, SmsMessage } from "@brandpool/brand-node/delivery";
import { startSmsSink, startSmtpSink } from "@brandpool/sinks";

interface Row {
  channel: string;
  setting: string;
  messages: number;
  seconds: number;
  perSecond: number;
  delivered: number;
}

const BATCH = 500;

function messageCount(argv: readonly string[]): number {
  const index = argv.indexOf("--messages");
  const value = index >= 0 ? Number(argv[index + 1]) : 5_000;
  if (!Number.isInteger(value) || value < 1 || value > 1_000_000) throw new Error("--messages must be an integer from 1 to 1,000,000");
  return value;
}

async function measure<M extends OutboundMessage>(
  channel: string,
  setting: string,
  adapter: ChannelAdapter<M>,
  make: (index: number) => M,
  count: number,
): Promise<Row> {
  // warm up the connections and the code paths first; not counted
  await adapter.sendBatch(Array.from({ length: BATCH }, (_, index) => make(1_000_000 + index)));
  const started = process.hrtime.bigint();
  const outcomes: DeliveryOutcome[] = [];
  for (let first = 0; first < count; first += BATCH) {
    const batch = Array.from({ length: Math.min(BATCH, count - first) }, (_, offset) => make(first + offset));
    outcomes.push(...(await adapter.sendBatch(batch)));
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await adapter.close();
  const delivered = outcomes.filter((outcome) => outcome.status === "DELIVERED").length;
  return { channel, setting, messages: count, seconds, perSecond: count / seconds, delivered };
}

function table(rows: readonly Row[]): string {
  const header = ["channel", "setting", "messages", "seconds", "messages/s", "delivered"];
  const cells = rows.map((row) => [row.channel, row.setting, String(row.messages), row.seconds.toFixed(2), row.perSecond.toFixed(0), String(row.delivered)]);
  const widths = header.map((title, column) => Math.max(title.length, ...cells.map((line) => (line[column] ?? "").length)));
  const format = (line: readonly string[]) => `| ${line.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join(" | ")} |`;
  return [format(header), `| ${widths.map((width) => "-".repeat(width)).join(" | ")} |`, ...cells.map(format)].join("\n");
}

async function main(): Promise<void> {
  const count = messageCount(process.argv.slice(2));
  const root = await mkdtemp(join(tmpdir(), "delivery-throughput-"));
  const rows: Row[] = [];
  const run = `${Date.now().toString(36)}`;
  try {
    const smsSink = await startSmsSink({ dir: join(root, "sms") });
    for (const concurrency of [8, 32, 64]) {
      const adapter = createHttpSmsAdapter({ webhookUrl: smsSink.url, concurrency });
      const make = (index: number): SmsMessage => ({
        channel: "SMS",
        key: `bench-${run}-c${concurrency}-${index}`.padEnd(16, "0"),
        to: "+8613800138000",
        text: "【茶吧】您的券码 ABCD-EFGH，回T退订",
      });
      rows.push(await measure("SMS (HTTP)", `concurrency ${concurrency}`, adapter, make, count));
    }
    await smsSink.close();

    const smtpSink = await startSmtpSink({ dir: join(root, "mail") });
    for (const maxConnections of [5, 10, 20]) {
      const adapter = createSmtpEmailAdapter({
        url: smtpSink.url,
        from: "offers@pieshop.example",
        unsubscribeUrl: "https://pieshop-node.example/unsubscribe",
        maxConnections,
      });
      const make = (index: number): EmailMessage => ({
        channel: "EMAIL",
        key: `bench-${run}-p${maxConnections}-${index}`.padEnd(16, "0"),
        to: "member@example.com",
        subject: "A tea for your pie",
        text: "Hello,\nyour code is ABCD-EFGH.\n",
        unsubscribeToken: "tok_0123456789abcdef",
      });
      rows.push(await measure("email (SMTP pool)", `${maxConnections} connections`, adapter, make, count));
    }
    await smtpSink.close();
  } finally {
    await rm(root, { recursive: true, force: true });
  }
  console.log(`delivery throughput, loopback, sinks in-process: node ${process.version}, ${cpus().length} cpus, batches of ${BATCH}`);
  console.log(table(rows));
}

await main();
