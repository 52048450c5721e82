import { z } from "zod";

/** What an SMS provider posts for a reply: the sender's number (E.164) and the text. */
export const SmsReplySchema = z.object({
  from: z.string().regex(/^\+[1-9][0-9]{6,14}$/),
  text: z.string().max(1_000),
});
export type SmsReply = z.infer<typeof SmsReplySchema>;

// "T" and "TD" (退订) as Chinese carriers expect them, "回T退订" echoed back, "STOP" and the
// usual English words; case, spaces and trailing punctuation do not matter.
const OPT_OUT_WORDS = new Set(["T", "TD", "回T", "回T退订", "退订", "STOP", "UNSUBSCRIBE", "STOPALL", "CANCEL", "END", "QUIT"]);

/** Whether a reply withdraws consent. */
export function isOptOutReply(text: string): boolean {
  const word = text.normalize("NFKC").toUpperCase().replace(/[\s.!。！,，]/g, "");
  return OPT_OUT_WORDS.has(word);
}
