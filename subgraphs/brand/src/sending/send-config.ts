import { createCsvMailExportAdapter, createHttpSmsAdapter, createSmtpEmailAdapter } from "../delivery/index.js";
import type { BrandNodeConfig } from "../config.js";
import type { Channel } from "../members/expression.sql.js";
import { parseQuietHours } from "./quiet-hours.js";
import type { ChannelAdapters, SendPacing } from "./send-batch.js";
import type { SendSettings } from "./send-settings.js";
import { UNSUBSCRIBE_PATH } from "../opt-out/opt-out.routes.js";

/** The send pipeline's settings from the node's config. */
export function sendSettings(config: BrandNodeConfig): SendSettings {
  const channels = new Set<Channel>();
  if (config.SMTP_URL) channels.add("EMAIL");
  if (config.SMS_WEBHOOK_URL) channels.add("SMS");
  if (config.MAIL_EXPORT_DIR) channels.add("MAIL");
  return {
    brandId: config.BRAND_ID,
    channels,
    quiet: parseQuietHours(config.QUIET_HOURS, config.TIME_ZONE),
    batchSize: config.SEND_BATCH_SIZE,
    frequencyCap: config.FREQUENCY_CAP,
    frequencyWindowDays: config.FREQUENCY_WINDOW_DAYS,
    retry: { maxAttempts: config.SEND_MAX_ATTEMPTS, baseDelayMs: config.SEND_RETRY_BASE_MS, maxDelayMs: Math.max(config.SEND_RETRY_BASE_MS, 3_600_000) },
    mailCountry: config.MAIL_COUNTRY,
  };
}

/** The owner's channel adapters that its config names (created here, so bad options stop the start). */
export function channelAdapters(config: BrandNodeConfig): ChannelAdapters {
  const publicUrl = (config.PUBLIC_URL ?? `http://${config.HOST}:${config.PORT}`).replace(/\/+$/, "");
  const adapters: ChannelAdapters = {};
  if (config.SMTP_URL && config.SMTP_FROM) {
    adapters.EMAIL = createSmtpEmailAdapter({
      url: config.SMTP_URL,
      from: config.SMTP_FROM,
      unsubscribeUrl: `${publicUrl}${UNSUBSCRIBE_PATH}`,
      maxConnections: config.SMTP_MAX_CONNECTIONS,
    });
  }
  if (config.SMS_WEBHOOK_URL) {
    adapters.SMS = createHttpSmsAdapter({
      webhookUrl: config.SMS_WEBHOOK_URL,
      concurrency: config.SMS_CONCURRENCY,
      ...(config.SMS_WEBHOOK_AUTHORIZATION ? { authorization: config.SMS_WEBHOOK_AUTHORIZATION } : {}),
    });
  }
  if (config.MAIL_EXPORT_DIR) adapters.MAIL = createCsvMailExportAdapter({ dir: config.MAIL_EXPORT_DIR });
  return adapters;
}

/**
 * How many messages are in flight together. SMTP: the send workers share the pool's
 * connections, each marking only its share in flight at a time, so every message marked is on a
 * connection and a crash leaves at most SMTP_MAX_CONNECTIONS AMBIGUOUS. A webhook or export send
 * is re-sent after a crash anyway, so its group is the whole batch.
 */
export function sendPacing(config: BrandNodeConfig): SendPacing {
  const emailShare = Math.max(1, Math.floor(config.SMTP_MAX_CONNECTIONS / config.SEND_WORKERS));
  return {
    chunk: { EMAIL: emailShare, SMS: config.SEND_BATCH_SIZE, MAIL: config.SEND_BATCH_SIZE },
  };
}
