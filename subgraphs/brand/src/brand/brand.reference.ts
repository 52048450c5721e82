import { AppError } from "@brandpool/errors";
import type { Brand } from "./brand.type.js";
import type { OutreachTargetEvidence } from "../audit/outreach-evidence.type.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

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
    OutreachTargetEvidence: {
      __resolveReference(reference: { requestId: string; brandId: string }): OutreachTargetEvidence {
        if (reference.brandId !== brandId) throw new AppError("NOT_FOUND", "This node does not serve that brand.");
        if (!UUID.test(reference.requestId)) throw new AppError("BAD_INPUT", "requestId is not a request id.", { field: "requestId" });
        return { requestId: reference.requestId.toLowerCase(), brandId: reference.brandId };
      },
    },
  };
}
