import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { startSmsSink, startSmtpSink } from "@brandpool/sinks";
import type { SmsSink, SmtpSink } from "@brandpool/sinks";
import { readSecretFile, writeSecretFile } from "./secret-files.js";
import { secretPaths } from "./stack-keys.js";

/** The local stand-ins for the owners' mail server and SMS provider that `npm start` runs. */
export interface DemoChannels {
  mail: SmtpSink;
  sms: SmsSink;
  /** Each demo node's channel settings. */
  nodeEnv(brandId: string): Record<string, string>;
  /** Where a newcomer reads what was sent, and how to post an SMS reply. */
  describe(brandIds: readonly string[], nodeUrl: (brandId: string) => string): string[];
  close(): Promise<void>;
}

const smsReplySecretPath = (dataDir: string, brandId: string) => join(secretPaths.root(dataDir), `brand-${brandId}`, "sms-reply-secret");

/**
 * Starts the loopback SMTP sink (every message an `.eml` file under `.data/sinks/mail/`) and SMS
 * webhook sink (one JSON file per Idempotency-Key under `.data/sinks/sms/`), and gives each demo
 * node the settings to use them: no quiet hours (the demo works at any hour; refused in
 * production), mail exports under `.data/mail-exports/<brand>/`, and a reply-webhook secret
 * drawn at the first start and kept under `.data/secrets/brand-<id>/`.
 */
export async function startDemoChannels(dataDir: string, brandIds: readonly string[], ports: { smtp: number; sms: number }): Promise<DemoChannels> {
  const mail = await startSmtpSink({ dir: join(dataDir, "sinks", "mail"), port: ports.smtp });
  const sms = await startSmsSink({ dir: join(dataDir, "sinks", "sms"), port: ports.sms }).catch(async (error: unknown) => {
    await mail.close();
    throw error;
  });
  const secrets = new Map<string, string>();
  for (const id of brandIds) {
    const path = smsReplySecretPath(dataDir, id);
    let secret = (await readSecretFile(path))?.trim();
    if (!secret) {
      secret = randomBytes(24).toString("base64url");
      await writeSecretFile(secretPaths.root(dataDir), path, secret);
    }
    secrets.set(id, secret);
  }
  return {
    mail,
    sms,
    nodeEnv: (brandId) => ({
      SMTP_URL: mail.url,
      SMTP_FROM: `outreach@${brandId}.example`,
      SMS_WEBHOOK_URL: sms.url,
      SMS_REPLY_SECRET: secrets.get(brandId) ?? "",
      MAIL_EXPORT_DIR: join(dataDir, "mail-exports", brandId),
      QUIET_HOURS: "none",
      // The demo's audiences are small (20,000 members a brand): the lowest minimum allowed, and
      // automatic declines told within minutes rather than hours.
      MIN_OUTREACH_AUDIENCE: "100",
      AUTO_DECLINE_MEDIAN_SECONDS: "120",
      // The approver is told of each new request (and of one about to expire) at the same sink.
      APPROVER_EMAIL: `approver@${brandId}.example`,
      NOTIFY_SMTP_URL: mail.url,
    }),
    describe: (ids, nodeUrl) => [
      `Outreach the nodes send lands in local sinks: email (SMTP ${mail.url}) as .eml files in .data/sinks/mail/ (the approvers' notices of new requests too),`,
      `SMS (webhook ${sms.url}) as one JSON file per message in .data/sinks/sms/, direct mail as CSV parts in .data/mail-exports/<brand>/<request>/ (download: outreachMailExport).`,
      `An SMS reply "T" or "STOP" opts a member out, e.g. for ${ids[0] ?? "a brand"}:`,
      `  curl -s ${nodeUrl(ids[0] ?? "").replace(/\/graphql$/, "")}/sms/replies -H "x-sms-webhook-secret: $(cat .data/secrets/brand-${ids[0] ?? "<id>"}/sms-reply-secret)" \\`,
      `    -H 'content-type: application/json' -d '{"from":"+8613800000000","text":"T"}'`,
    ],
    close: async () => {
      await sms.close();
      await mail.close();
    },
  };
}
