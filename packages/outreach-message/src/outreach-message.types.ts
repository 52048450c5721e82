export const OUTREACH_CHANNELS = ["SMS", "EMAIL", "MAIL"] as const;

export type OutreachChannel = (typeof OUTREACH_CHANNELS)[number];

/** What a requester writes: the channel, for EMAIL a subject, and the plain-text message. */
export type OutreachMessage = {
  readonly channel: OutreachChannel;
  /** Required for EMAIL; refused on the other channels. */
  readonly subject?: string | null | undefined;
  readonly message: string;
};

/** The placeholders a message may hold, written `{{coupon}}` and `{{firstName}}`. */
export const PLACEHOLDER_NAMES = ["coupon", "firstName"] as const;

export type PlaceholderName = (typeof PLACEHOLDER_NAMES)[number];

/** Longest e-mail subject, in characters (code points), `{{firstName}}` filled in. */
export const EMAIL_SUBJECT_MAX_CHARACTERS = 200;
/** Longest e-mail body, in characters (code points), placeholders filled in. */
export const EMAIL_BODY_MAX_CHARACTERS = 10_000;
/** Longest direct-mail body, in characters (code points), placeholders filled in. */
export const MAIL_BODY_MAX_CHARACTERS = 2_000;
