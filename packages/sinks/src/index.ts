export { startSmtpSink } from "./smtp-sink.js";
export type { SmtpSink, SmtpSinkOptions } from "./smtp-sink.js";
export { startSmsSink } from "./sms-sink.js";
export type { SmsSink, SmsSinkOptions } from "./sms-sink.js";
