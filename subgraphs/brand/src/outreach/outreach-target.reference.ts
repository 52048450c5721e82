import { AppError } from "@brandpool/errors";
import type { OutreachTarget } from "./outreach-target.type.js";

/** Entity fetches for a target reach this node only for its own brand; anything else is refused. */
export function outreachTargetReference(brandId: string) {
  return {
    OutreachTarget: {
      __resolveReference(reference: { requestId: string; brandId: string }): OutreachTarget {
        if (reference.brandId !== brandId) throw new AppError("NOT_FOUND", "This node does not serve that brand.");
        return { requestId: reference.requestId, brandId: reference.brandId };
      },
    },
  };
}
