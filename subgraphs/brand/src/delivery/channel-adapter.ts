import type { DeliveryOutcome } from "./delivery-outcome.type.js";
import type { DeliveryChannel, OutboundMessage } from "./outbound-message.schema.js";

/**
 * One channel of the owner's node (email, SMS, mail export). The send job calls it once per
 * attempt with the message's fixed key, records the outcome and asks `retry-policy.ts` what
 * next. An adapter never re-sends on its own.
 */
export interface ChannelAdapter<M extends OutboundMessage = OutboundMessage> {
  readonly channel: DeliveryChannel;
  /**
   * Delivers one message. Resolves with the outcome of this attempt; rejects only with an
   * `AppError` `BAD_INPUT` for a message that is not valid, and then sends nothing.
   */
  send(message: M): Promise<DeliveryOutcome>;
  /**
   * Delivers a batch (a send job's unit), outcomes in the order of `messages`. A batch with one
   * invalid message is refused as a whole, before anything is sent.
   */
  sendBatch(messages: readonly M[]): Promise<DeliveryOutcome[]>;
  /** Releases connections; later sends are refused. */
  close(): Promise<void>;
}
