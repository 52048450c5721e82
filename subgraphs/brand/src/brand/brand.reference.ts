import { AppError } from "@brandpool/errors";
import type { Brand } from "./brand.type.js";

/**
 * Entity fetches for `Brand` reach this node only for its own brand (the gateway routes by key);
 * anything else is a routing error, refused rather than answered for the wrong brand.
 */
export function brandReference(brandId: string) {
  return {
    Brand: {
      __resolveReference(reference: { id: string }): Brand {
        if (reference.id !== brandId) throw new AppError("NOT_FOUND", "This node does not serve that brand.");
        return { id: reference.id };
      },
    },
  };
}
